"""CSL JSON: Zotero's and Better BibTeX's JSON export, and what DOI content negotiation returns.

A file is an array of items (or one item, as ``doi.org`` answers with
``Accept: application/vnd.citationstyles.csl+json``). Fields used:
``title``, ``author`` (``family``/``given`` with particles and ``suffix``, or
``literal``), ``issued`` (``date-parts``, or ``raw``/``literal`` text),
``DOI``, ``URL``, ``abstract`` (Crossref's JATS markup becomes plain text),
``keyword`` (comma separated, the tags) and the arXiv id from an arXiv DOI,
the ``URL``, ``number`` (``arXiv:…``) or ``note``. The ``id`` or
``citation-key`` names an item in messages. ``container-title`` (the venue)
is not kept: papers have no venue field.

The file is streamed an item at a time with
:class:`~readinglist.core.formats.json_stream.JsonStream`, so each item is
reported at the line it starts on, and a big file never loads whole.

Writing gives a CSL JSON array, an item a line, that Zotero, pandoc and
citeproc read: stable citation keys as ``id``, ``article-journal`` for a
paper with a (non-arXiv) DOI, ``article`` otherwise.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from readinglist.core import links, venues
from readinglist.core.errors import FormatError
from readinglist.core.formats import BadEntry, Format, register, textio
from readinglist.core.formats.bibtex import keyed
from readinglist.core.formats.json_stream import JsonStream, Value
from readinglist.core.models import Paper, PaperDraft

# Keys only CSL uses (ours are "authors", "year", "doi", "url"); "type" alone is too common.
_CSL_KEYS = frozenset(
    {"issued", "container-title", "citation-key", "DOI", "URL", "author", "editor", "page", "ISSN"}
)
# The same, for a first item too long to decode from the sniffed head.
_CSL_KEY_TEXT = re.compile(r'"(?:issued|container-title|citation-key|DOI|URL|family|date-parts)"\s*:')
_TYPE_TEXT = re.compile(r'"type"\s*:\s*"[A-Za-z-]+"')
# Keys of our own paper objects (``readinglist list --json`` and the export's papers).
_OUR_KEYS = re.compile(
    r'"(?:arxiv_id|primary_link|queue_position|notes_updated_at)"\s*:|"format"\s*:\s*"readinglist"'
)
_decode = json.JSONDecoder().raw_decode

# Markup CSL text may carry: Crossref's JATS (``<jats:p>``) and CSL's own rich
# text (``<i>``, ``<sup>``). Block elements become a space, inline ones nothing.
_MARKUP = re.compile(
    r"</?(?:jats:[\w.-]+|p|i|b|em|strong|sub|sup|sc|span|italic|bold|title|sec|div|br)\b[^<>]*/?>",
    re.IGNORECASE,
)
_BLOCK = re.compile(r"^</?(?:jats:)?(?:p|title|sec|div|br|list-item|list)\b", re.IGNORECASE)
# A JATS abstract often starts with a heading that only says "Abstract".
_HEADING = re.compile(r"<jats:title>\s*(?:abstract|summary)\s*</jats:title>", re.IGNORECASE)
_ARXIV_IN_TEXT = re.compile(r"arxiv[:\s/]*([a-z.-]*/?\d{4}\.?\d{3,5}(?:v\d+)?)", re.IGNORECASE)
_YEAR_TEXT = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_ISO_TEXT = re.compile(r"^\s*(\d{4})-(\d{2})(?:-(\d{2}))?")
_NAME_PARTS = ("given", "dropping-particle", "non-dropping-particle", "family", "suffix")


def sniff(head: str, path: Path) -> bool:
    """Whether ``head`` starts a CSL JSON array or item (not our own JSON).

    Only the first item is looked at: decoded if it ends within ``head``,
    otherwise its keys are searched for in the text.
    """
    text = head.lstrip()
    if text.startswith("["):
        text = text[1:].lstrip()
    if not text.startswith("{"):
        return False
    try:
        first, _ = _decode(text)
    except (ValueError, RecursionError):
        # Cut off by the end of the sample (Crossref items carry long reference lists),
        # or nested past what the decoder takes (the reader reports that item).
        return (
            not _OUR_KEYS.search(text)
            and _TYPE_TEXT.search(text) is not None
            and _CSL_KEY_TEXT.search(text) is not None
        )
    return isinstance(first, dict) and looks_like_item(first)


def looks_like_item(item: dict[str, Any]) -> bool:
    """Whether a decoded JSON object is a CSL item rather than one of our papers or an arXiv record."""
    if "citation-key" in item:
        return True
    if not isinstance(item.get("type"), str) or "arxiv_id" in item:
        return False
    return isinstance(item.get("id"), str) or any(key in item for key in _CSL_KEYS)


# -- reading -------------------------------------------------------------------


def read(path: Path) -> Iterator[PaperDraft | BadEntry]:
    """Yield a draft for every item in ``path``, and a :class:`BadEntry` for each that is unusable.

    Raises:
        FormatError: if the file is not a JSON array or object at all, or holds no item.
    """
    found = 0
    try:
        with path.open(encoding="utf-8-sig") as handle:
            stream = JsonStream(path, handle)
            start = stream.peek()
            if start == "[":
                values: Iterable[Value] = stream.items("item")
            elif start == "{":
                values = _objects(stream)
            else:
                raise stream.error("expected a CSL JSON array of items" if start else "empty file")
            for value in values:
                found += 1
                if value.error is not None:
                    yield BadEntry(str(path), value.line, value.error)
                else:
                    yield _checked_draft(path, value.line, value.value)
            if not stream.at_end():
                yield BadEntry(
                    str(path), stream.line_at(stream.pos), "text after the end of the JSON document"
                )
    except UnicodeDecodeError:
        raise FormatError(str(path), textio.bad_utf8_line(path), "not UTF-8 text") from None
    except FileNotFoundError:
        raise FormatError(str(path), 0, "no such file") from None
    except OSError as exc:
        raise FormatError(str(path), 0, exc.strerror or str(exc)) from None
    if not found:
        raise FormatError(str(path), 1, "no items in this CSL JSON file")


def _objects(stream: JsonStream) -> Iterator[Value]:
    """One item (a DOI's answer), or items one after another (one a line, as JSON Lines)."""
    yield stream.value("item")
    while stream.peek() == "{":
        yield stream.value("item")


def _checked_draft(path: Path, line: int, obj: Any) -> PaperDraft | BadEntry:
    try:
        return draft_from_item(path, line, obj)
    except (ValueError, TypeError, RecursionError) as exc:
        # A field of a shape CSL does not allow spoils this item only.
        return BadEntry(str(path), line, f"{_name(obj)}: {exc}")


def draft_from_item(path: Path, line: int, obj: Any) -> PaperDraft | BadEntry:
    """Turn one CSL item into a draft, or a :class:`BadEntry` saying what is wrong.

    Args:
        path: The file, for messages.
        line: The line the item starts on.
        obj: The decoded JSON value.

    Raises:
        TypeError: if a field has a shape CSL does not allow (an ``author`` that is not a list).
    """
    if not isinstance(obj, dict):
        return BadEntry(str(path), line, f"expected a CSL item (a JSON object), found {type(obj).__name__}")
    title = _plain(_text(obj, "title"))
    if not title:
        return BadEntry(str(path), line, f"{_name(obj)} has no title")
    doi_text = _text(obj, "DOI")
    url = _text(obj, "URL") or None
    year, date = _issued(obj.get("issued"))
    return PaperDraft(
        title=title,
        abstract=_plain(_text(obj, "abstract")),
        authors=_authors(obj.get("author")),
        year=year,
        date=date,
        arxiv_id=_arxiv_id(obj, doi_text, url),
        doi=links.normalize_doi(doi_text),
        url=url,
        tags=_keywords(obj.get("keyword")),
        line=line,
        venue=venues.clean(_plain(_text(obj, "container-title"))),
        key=_citation_key(obj),
    )


# What a citation key looks like: Zotero's CSL ids are numbers or item URIs
# (``http://zotero.org/users/1/items/ABCD``, ``1234/ABCD``), no keys.
_KEY = re.compile(r"(?!\d+$)[^\s{},/\\]+")


def _citation_key(obj: dict[str, Any]) -> str:
    """``citation-key`` (Better BibTeX), else an ``id`` that looks like one (not a number or a URI)."""
    for name in ("citation-key", "id"):
        value = obj.get(name)
        if isinstance(value, str) and _KEY.fullmatch(value.strip()):
            return value.strip()
    return ""


def _name(obj: Any) -> str:
    """How messages name an item: by its citation key or id."""
    key = (obj.get("citation-key") or obj.get("id")) if isinstance(obj, dict) else None
    return f"item {str(key)[:60]!r}" if isinstance(key, (str, int)) and str(key) else "item"


def _text(obj: dict[str, Any], key: str) -> str:
    """A text field; a list of strings (Crossref's API shape) gives its first one."""
    value = obj.get(key)
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise TypeError(f"{key} must be text, not {type(value).__name__}")
    return value.strip()


def _plain(text: str) -> str:
    """``text`` without JATS or CSL markup, entities decoded; text without markup is kept as it is."""
    if "<" not in text or not _MARKUP.search(text):
        return text
    text = _HEADING.sub(" ", text)
    text = _MARKUP.sub(lambda m: " " if _BLOCK.match(m.group(0)) else "", text)
    return " ".join(html.unescape(text).split())


def _authors(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise TypeError(f"author must be a list of names, not {type(value).__name__}")
    names: list[str] = []
    for person in value:
        if isinstance(person, str):
            name = person
        elif isinstance(person, dict):
            literal = person.get("literal")
            if isinstance(literal, str) and literal.strip():
                name = literal
            else:
                name = " ".join(str(person[p]) for p in _NAME_PARTS if isinstance(person.get(p), str))
                if not person.get("family") and isinstance(person.get("name"), str):
                    name = person["name"]  # DataCite's organisations
        else:
            raise TypeError(f"an author must be a name object, not {type(person).__name__}")
        name = " ".join(name.split())
        if name:
            names.append(name)
    return tuple(names)


def _issued(value: Any) -> tuple[int | None, str | None]:
    """The year and ISO date of an ``issued`` date: ``date-parts`` first, then ``raw``/``literal``."""
    if not isinstance(value, dict):
        return None, None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        numbers = [_number(p) for p in parts[0][:3]]
        year = numbers[0]
        if year is not None and -9999 <= year <= 9999:
            return year, _iso(year, *numbers[1:])
    for key in ("raw", "literal"):
        text = value.get(key)
        if not isinstance(text, str):
            continue
        iso = _ISO_TEXT.match(text)
        if iso:
            day = iso.group(3)
            return int(iso.group(1)), _iso(int(iso.group(1)), int(iso.group(2)), int(day) if day else None)
        year_match = _YEAR_TEXT.search(text)
        if year_match:
            return int(year_match.group(1)), None
    return None, None


def _number(value: Any) -> int | None:
    """A date part: Zotero and Better BibTeX write the year as text (``"2017"``)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value) < 8:
        return int(value)
    return None


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    if not 1 <= year <= 9999 or month is None or not 1 <= month <= 12:
        return None
    if day is not None and 1 <= day <= 31:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return f"{year:04d}-{month:02d}"


def _arxiv_id(obj: dict[str, Any], doi: str, url: str | None) -> str | None:
    """From an arXiv DOI, an arxiv.org URL, ``number`` (``arXiv:…``) or ``note``, in that order."""
    for candidate in (doi, url or ""):
        found = links.normalize_arxiv_id(candidate)
        if found:
            return found
    for key in ("number", "note", "archive_location"):
        value = obj.get(key)
        match = _ARXIV_IN_TEXT.search(value) if isinstance(value, str) else None
        found = links.normalize_arxiv_id(match.group(1)) if match else None
        if found:
            return found
    return None


def _keywords(value: Any) -> tuple[str, ...]:
    """``keyword`` as tags: comma separated text (Better BibTeX), or a list."""
    if isinstance(value, str):
        parts = value.split(",")
    elif isinstance(value, list):
        parts = [v for v in value if isinstance(v, str)]
    else:
        return ()
    return tuple(p.strip() for p in parts if p.strip())


# -- writing -------------------------------------------------------------------


def item_for(paper: Paper, key: str) -> dict[str, Any]:
    """One paper as a CSL item, with ``key`` as its ``id``."""
    arxiv_doi = bool(paper.doi and links.normalize_arxiv_id(paper.doi))
    journal = bool(paper.doi) and not arxiv_doi
    kind = "article-journal" if journal else "article"
    if paper.venue:
        kind = "paper-conference" if venues.is_proceedings(paper.venue) else "article-journal"
    item: dict[str, Any] = {"id": key, "type": kind, "title": paper.title}
    if paper.venue:
        item["container-title"] = paper.venue
    if paper.authors:
        item["author"] = [csl_name(a) for a in paper.authors]
    if paper.year is not None:
        parts: list[int] = [paper.year]
        if paper.date and paper.date[:4] == f"{paper.year:04d}":
            parts += [int(p) for p in paper.date[5:].split("-") if p.isdigit()]
        item["issued"] = {"date-parts": [parts]}
    if paper.doi:
        item["DOI"] = paper.doi
    if paper.url:
        item["URL"] = paper.url
    if paper.arxiv_id:
        # Zotero's places for a preprint's archive id: "number" for a preprint, "note" otherwise.
        item["note" if journal else "number"] = f"arXiv:{paper.arxiv_id}"
    if paper.abstract:
        item["abstract"] = paper.abstract
    if paper.tags:
        item["keyword"] = ", ".join(paper.tags)
    return item


def csl_name(author: str) -> dict[str, str]:
    """``First von Last`` as CSL ``given``/``non-dropping-particle``/``family``, as BibTeX splits it.

    A one-word name, or one with a comma (a braced corporate name kept as
    written), is a ``literal``: CSL would not reorder it.
    """
    words = author.split()
    if len(words) < 2 or "," in author:
        return {"literal": author}
    # BibTeX's "von" part: lower-case words between the first name and the last.
    particle_at = next((i for i in range(1, len(words) - 1) if words[i][:1].islower()), len(words) - 1)
    name = {"family": words[-1], "given": " ".join(words[:particle_at])}
    if particle_at < len(words) - 1:
        name["non-dropping-particle"] = " ".join(words[particle_at:-1])
    return name


def write(papers: Iterable[Paper], stream: TextIO) -> None:
    """Write ``papers`` as a CSL JSON array, an item a line, citation keys made unique (``a``, ``b``…)."""
    stream.write("[")
    for n, (paper, key) in enumerate(keyed(papers)):  # the same keys as a BibTeX export
        stream.write(",\n" if n else "\n")
        stream.write(json.dumps(item_for(paper, key), ensure_ascii=False))
    stream.write("\n]\n")


FORMAT = register(
    Format(
        name="csl-json",
        description="CSL JSON from Zotero, Better BibTeX or DOI content negotiation",
        sniff=sniff,
        read=read,
        write=write,
        extensions=(".json", ".csljson", ".csl.json"),
    )
)

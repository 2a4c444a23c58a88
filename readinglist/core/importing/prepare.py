"""Turning a parsed draft into what an import run needs: normalised title, ids, JSON fields.

This runs where the file is read, which for a big file is the parsing helper
process (:mod:`~readinglist.core.importing.reader`), so the writer only does SQL.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from readinglist.core import links
from readinglist.core.formats import BadEntry
from readinglist.core.formats.bibtex_write import key_stem
from readinglist.core.models import PaperDraft, clean_tags
from readinglist.core.spaces import squash


class Prepared(NamedTuple):
    """A draft with its title and identifiers normalised, ready for dedup.

    Made where the file is read (possibly another process) and sent over as a
    plain tuple: cheaper to pickle than the draft itself.
    """

    where: str
    """``path:line`` for messages."""
    title: str
    key: str
    arxiv_id: str | None
    doi: str | None
    authors_json: str
    links_json: str
    tags: tuple[str, ...]
    abstract: str
    year: int | None
    date: str | None
    url: str | None
    source: str
    added_at: str | None
    starred: bool | None
    status: str | None
    queue_position: int | None
    notes: str | None
    notes_updated_at: str | None
    draft_id: int | None
    venue: str | None
    cite_key: str
    """The citation key the file gave (empty: the run generates one)."""
    key_stem: str | None
    """Without ``cite_key``: the generated key's stem
    (:func:`~readinglist.core.formats.bibtex_write.key_stem`), made here, where the
    file is read, to spare the busier writing process (None with ``cite_key``)."""


# One encoder, built once: json.dumps with options builds a new one per call.
_to_json = json.JSONEncoder(ensure_ascii=False).encode
# What the encoder escapes when ensure_ascii is off; author lists without any of it
# are joined directly (the same text, a third of the time).
_JSON_ESCAPED = re.compile(r'[\x00-\x1f"\\]')


def _authors_json(authors: Sequence[str]) -> str:
    if not authors:
        return "[]"
    # The names alone are searched: the separator's quotes would always match.
    if _JSON_ESCAPED.search("".join(authors)):
        return _to_json(list(authors))
    joined = '", "'.join(authors)
    return f'["{joined}"]'


def _links_json(abstract: str, extra: Sequence[str] = ()) -> str:
    found = links.extract_links(abstract) if abstract else None
    if extra:
        # The url field's other URLs come first, then the abstract's, each once.
        found = [*extra, *(u for u in found or () if u not in extra)]
    return _to_json(found) if found else "[]"  # most abstracts have no link


# What a url field holding several URLs (or a space) has; one C-speed search per paper.
_MAYBE_SEVERAL = re.compile(r"[\s;,]")


def _url_and_doi(draft: PaperDraft) -> tuple[str | None, tuple[str, ...], str | None]:
    """The paper's URL, the further URLs its url field holds, and its DOI (from the url field if need be).

    A field with one URL and no spaces (nearly all) is taken as it is.
    """
    doi = links.normalize_doi(draft.doi)
    url = draft.url
    if not url:
        return url, (), doi
    urls = links.split_urls(url) if _MAYBE_SEVERAL.search(url) else [url]
    if not urls:
        return None, (), doi
    if doi is None:
        doi = next((found for u in urls if (found := links.doi_in_url(u))), None)
    return urls[0], tuple(urls[1:]), doi


# A UTF-16 surrogate on its own: JSON's "\ud800" decodes to one, and so do bytes
# that are not UTF-8 in a file name (Python's surrogateescape). SQLite cannot store it.
_SURROGATE = re.compile("[\ud800-\udfff]")


_TEXT_FIELDS = (
    *("title", "abstract", "notes", "url", "doi", "arxiv_id"),
    *("date", "source", "added_at", "venue", "key"),
)


def _surrogate_field(draft: PaperDraft) -> tuple[str, str] | None:
    """The first text field of ``draft`` holding a lone surrogate, and that character's escape."""
    d = draft
    values = (d.title, d.abstract, d.notes, d.url, d.doi, d.arxiv_id, d.date, d.source, d.added_at, d.venue)
    try:
        # Every text field at once: a lone surrogate makes the joined text fail to encode
        # as its own field does (Python never pairs surrogates that meet in a join).
        whole = "".join(filter(None, (*values, d.key, d.notes_updated_at))) + "".join((*d.authors, *d.tags))
    except TypeError:
        pass  # a field that is not text: the loop below fails on it as it always has
    else:
        if whole.isascii() or _encodes(whole):
            return None
    # isascii clears almost every field at C speed; encoding checks the rest (a regex
    # scan took four times as long on an accented abstract).
    for value in (*values, d.key, d.notes_updated_at, *d.authors, *d.tags):
        if value and not value.isascii() and not _encodes(value):
            break
    else:
        return None
    for name in _TEXT_FIELDS:
        found = _SURROGATE.search(getattr(d, name) or "")
        if found:
            return name, f"\\u{ord(found.group()):04x}"
    for name, value in (("notes_updated_at", d.notes_updated_at or ""), *(("authors", a) for a in d.authors)):
        if found := _SURROGATE.search(value):
            return name, f"\\u{ord(found.group()):04x}"
    found = _SURROGATE.search(" ".join(d.tags))
    return "tags", f"\\u{ord(found.group()) if found else 0xFFFD:04x}"


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def display_name(path: Path) -> str:
    """``path``'s file name as text SQLite can store: bytes that are not UTF-8 become U+FFFD."""
    return path.name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class _Place(NamedTuple):
    """What :func:`prepare` says of the file of the papers it prepares, worked out once a file."""

    path: Path
    where: str
    """``str(path)``, before ``:line``."""
    name: str
    """:func:`display_name`, for the ``source``."""


_place: _Place | None = None


def _place_of(path: Path) -> _Place:
    # Papers come a file at a time: the file's names are made once, not once a paper.
    global _place
    place = _place
    if place is None or place.path is not path:
        place = _place = _Place(path, str(path), display_name(path))
    return place


# A title's key (links.normalize_title) for ASCII titles: letters lowered, every other
# character but a digit a space. bytes.translate with this table takes half the time
# of str.translate with a dict (a test checks both give the same keys).
_TITLE_KEY_BYTES = bytes(ord(chr(b).lower()) if b < 128 and chr(b).isalnum() else 32 for b in range(256))


def title_key(title: str) -> str:
    """:func:`~readinglist.core.links.normalize_title` of ``title``, faster for an ASCII title."""
    if title.isascii():
        return " ".join(title.encode("ascii").translate(_TITLE_KEY_BYTES).decode("ascii").split())
    return links.normalize_title(title)


# An arXiv id as the snapshot gives it (``1501.00001``): links.normalize_arxiv_id returns
# its first group, so the prefix removal and the second pattern can be skipped.
_PLAIN_ARXIV_ID = re.compile(r"^(\d{4}\.\d{4,5})(v\d+)?$")


def _arxiv_id(value: str | None) -> str | None:
    if value:
        plain = _PLAIN_ARXIV_ID.match(value)
        if plain is not None:
            return plain.group(1)
    return links.normalize_arxiv_id(value)


def prepare(draft: PaperDraft, path: Path, format_name: str) -> Prepared | BadEntry:
    """Normalise a draft's title and identifiers; a draft without a title is a bad entry.

    A draft without a ``source`` gets ``file:line (format)``, the same for every
    reader; one that carries its own (our JSON export) keeps it. A draft with a
    lone surrogate in a field (not Unicode text; SQLite refuses it) is a bad entry.
    """
    title = squash(draft.title)
    if not title:
        return BadEntry(str(path), draft.line, "entry has no title")
    if (bad := _surrogate_field(draft)) is not None:
        field, char = bad
        reason = f"{field} holds {char}, half of a UTF-16 pair (not a character)"
        return BadEntry(str(path), draft.line, reason)
    abstract = draft.abstract.strip()
    line = draft.line
    place = _place_of(path)
    source = draft.source or (
        f"{place.name}:{line} ({format_name})" if line else f"{place.name} ({format_name})"
    )
    url, more_urls, doi = _url_and_doi(draft)
    cite_key = "".join(draft.key.split())
    # Positional: a NamedTuple built from 21 keywords costs a microsecond more per paper.
    return Prepared(
        f"{place.where}:{line}" if line else place.where,
        title,
        title_key(title),
        _arxiv_id(draft.arxiv_id)
        or links.normalize_arxiv_id(draft.doi)
        or (links.normalize_arxiv_id(doi) if doi != draft.doi else None),
        doi,
        _authors_json(draft.authors),
        _links_json(abstract, more_urls),
        tuple(clean_tags(draft.tags)) if draft.tags else (),
        abstract,
        draft.year,
        draft.date,
        url,
        source,
        draft.added_at,
        draft.starred,
        draft.status.value if draft.status else None,
        draft.queue_position,
        draft.notes,
        draft.notes_updated_at,
        draft.id,
        (squash(draft.venue) or None) if draft.venue else None,
        cite_key,
        None if cite_key else key_stem(title, draft.authors[:1], draft.year),
    )

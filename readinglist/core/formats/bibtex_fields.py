"""Turning the values of parsed BibTeX fields into the plain data of a paper draft.

bibtexparser hands over field values with macros resolved but LaTeX still in
them; these helpers decode the LaTeX, split name and keyword lists at the
separators that are not inside braces, and read dates and arXiv ids. They are
apart from :mod:`~readinglist.core.formats.bibtex` only to keep that module to
the parsing and writing of files.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from readinglist.core import latex_text, links, venues
from readinglist.core.formats import bibtex_latex
from readinglist.core.formats.bibtex_latex import BACKSLASH, DOLLAR
from readinglist.core.spaces import squash

# Fields whose values become tags: ``keywords`` as Zotero, JabRef and Mendeley
# write it (``keyword`` is an older spelling Zotero also reads), and ``groups``,
# where JabRef 3.8+ keeps the explicit groups an entry belongs to.
TAG_FIELDS = ("keywords", "keyword", "groups")
_ARXIV_IN_TEXT = re.compile(r"arxiv[:\s/]*([a-z.-]*/?\d{4}\.?\d{3,5}(?:v\d+)?)", re.IGNORECASE)
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_SEPARATOR = re.compile(r"[,;]")
_COMMA = re.compile(",")
_YEAR = re.compile(r"\d{4}")
# A year before 1000, only when it is all the field holds (``{800}``).
_SHORT_YEAR = re.compile(r"^\s*([1-9]\d{0,2})\s*$")
# biblatex ``date``: an ISO date, year-month or year, possibly the start of a range.
_ISO_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_MONTH_START = re.compile(r"^\W*(?:(\d{1,2})\b|([a-z]{3}))", re.IGNORECASE)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def text(value: Any) -> str:
    """A field value as plain Unicode text: LaTeX decoded, braces gone, spaces squashed."""
    if value is None:
        return ""
    raw = str(value)
    # Decoding costs far more than this test; most titles and abstracts need none.
    if _maybe_latex(raw):
        raw = bibtex_latex.decode(raw)
        # Math came through verbatim ($\beta$, \(x^2\)): it becomes text, the rest is decoded already.
        raw = latex_text.math_to_text(raw, math_only=True)
        if DOLLAR in raw or BACKSLASH in raw:
            raw = raw.replace(DOLLAR, "$").replace(BACKSLASH, "\\")
    return squash(raw)


def _maybe_latex(raw: str) -> bool:
    """Whether ``bibtex_latex.LATEX_HINT`` matches ``raw``, by substring tests (several times faster).

    The same nine alternatives (a test checks). A two-character search costs a
    microsecond or two on an abstract, a one-character one a few hundredths, so
    each pair is only looked for when its first character is there.
    """
    return (
        "\\" in raw
        or "{" in raw
        or "$" in raw
        or "~" in raw
        or ("-" in raw and "--" in raw)
        or ("`" in raw and ("``" in raw or "?`" in raw or "!`" in raw))
        or ("'" in raw and "''" in raw)
    )


def url_list(value: Any) -> str:
    r"""A ``url`` field like :func:`verbatim`, but with its white space kept.

    A field may hold several URLs separated by spaces or line breaks, or one
    with a space in its path; the importer tells them apart
    (:func:`~readinglist.core.links.split_urls`), which needs the spaces.
    """
    out = _VERBATIM_ESCAPE.sub(_unescape_verbatim, str(value or ""))
    return out.strip()


def verbatim(value: Any) -> str:
    r"""A URL or DOI field: grouping braces dropped and the escapes of special characters undone.

    ``\_``, ``\%``, ``\&`` and the like, and the ``\textbackslash{}`` family
    our export writes, become their character; nothing else is decoded, and
    white space is removed (a URL or DOI holds none).
    """
    out = _VERBATIM_ESCAPE.sub(_unescape_verbatim, str(value or ""))
    return "".join(out.split())


_VERBATIM_MACROS = {
    "textbackslash": "\\",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "textbraceleft": "{",
    "textbraceright": "}",
}
_VERBATIM_ESCAPE = re.compile(r"\\(" + "|".join(_VERBATIM_MACROS) + r")\{\}|\\([_%&$#{}~^])|[{}]")


def _unescape_verbatim(match: re.Match[str]) -> str:
    if match.group(1):
        return _VERBATIM_MACROS[match.group(1)]
    return match.group(2) or ""  # a bare brace only groups


def _top_level(value: str) -> str:
    r"""``value`` with every character inside braces or escaped by ``\`` blanked out.

    The result has the same length, so a separator found in it is at the same
    place in ``value``, and separators that braces protect are not found.
    """
    out: list[str] = []
    depth = 0
    escaped = False
    for ch in value:
        if escaped:
            escaped = False
            out.append("_")
            continue
        if ch == "\\":
            escaped = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            out.append(ch)
            continue
        out.append("_")
    return "".join(out)


def _split(value: str, separator: re.Pattern[str]) -> list[str]:
    if "{" not in value and "\\" not in value:
        return separator.split(value)  # nothing protected: the same cuts, without the character walk
    parts: list[str] = []
    start = 0
    for match in separator.finditer(_top_level(value)):
        parts.append(value[start : match.start()])
        start = match.end()
    parts.append(value[start:])
    return parts


@lru_cache(maxsize=16384)
def person(name: str) -> str:
    """``Last, First`` (or ``Last, Jr, First``) as ``First Last``; already natural names stay.

    Only commas outside braces count: ``{Doe, John}`` is kept as one name. Cached:
    authors recur from entry to entry, and decoding their names was a fifth of reading.
    """
    parts = [text(p).strip() for p in _split(name, _COMMA)]
    if len(parts) == 2 and parts[1]:
        return f"{parts[1]} {parts[0]}"
    if len(parts) == 3 and parts[2]:
        return f"{parts[2]} {parts[0]} {parts[1]}"
    return " ".join(p for p in parts if p)


def authors(value: Any) -> tuple[str, ...]:
    r"""The names in an ``author`` field, as ``First Last``, without a trailing ``others``.

    Split here rather than with bibtexparser's ``split_multiple_persons_names``,
    which drops an accent command that starts a name (``and \'Emile Zola``
    gives ``Emile Zola``, ``and \"Ozg\"ur`` loses its umlaut).
    """
    if not value:
        return ()
    text = str(value).strip()
    parts = _split(text, _AND)
    # Only a bare ``others`` means "et al."; ``{Others}`` is someone's name. A name that
    # lower-cases to it is in the lower-cased field, so most fields skip the test.
    if "others" in text.lower():
        parts = [n for n in parts if n.strip().lower() != "others"]
    return tuple(n for n in map(person, parts) if n)


def tags(fields: dict[str, Any]) -> tuple[str, ...]:
    """The tags an entry's keyword fields name, LaTeX decoded, in order.

    Keywords are split at ``,`` and ``;`` outside braces (Zotero and biblatex
    write ``,``, Mendeley ``;``; ``{Smith, Jones}`` stays one keyword). They are
    only split here: trimming, a leading ``#`` and case-insensitive repeats are
    left to the importer's tag cleaning, the same as for CSV tags and ``--tag``.
    """
    out: list[str] = []
    for name in TAG_FIELDS:
        value = fields.get(name)
        if value:
            out += (text(part) for part in _split(str(value), _SEPARATOR))
    return tuple(t for t in out if t)


def month_number(value: Any) -> int | None:
    """A ``month`` field as 1-12: a number, or a name or macro (``jun``, ``{June}``, ``jun # "~15"``)."""
    if isinstance(value, int):
        return value if 1 <= value <= 12 else None
    match = _MONTH_START.match(str(value or ""))
    if not match:
        return None
    if match.group(1):
        number = int(match.group(1))
        return number if 1 <= number <= 12 else None
    name = match.group(2).lower()
    return _MONTHS.index(name) + 1 if name in _MONTHS else None


def year_and_date(fields: dict[str, Any]) -> tuple[int | None, str | None]:
    """The year and ISO date (``YYYY-MM`` or ``YYYY-MM-DD``) from ``year``/``month`` or biblatex ``date``."""
    year_text = str(fields.get("year", ""))
    year_match = _YEAR.search(year_text)
    short = _SHORT_YEAR.match(year_text)
    year = int(year_match.group(0)) if year_match else int(short.group(1)) if short else None
    iso = _ISO_DATE.match(str(fields.get("date") or ""))
    if iso and (year is None or year == int(iso.group(1))):
        year = int(iso.group(1))
        iso_month, day = iso.group(2), iso.group(3)
        if iso_month and 1 <= int(iso_month) <= 12:
            valid_day = day is not None and 1 <= int(day) <= 31
            return year, f"{year:04d}-{iso_month}" + (f"-{day}" if valid_day else "")
    month = month_number(fields.get("month"))
    return year, (f"{year:04d}-{month:02d}" if year and month else None)


def arxiv_id(fields: dict[str, Any], doi: str, url: str | None) -> str | None:
    """The arXiv id from ``eprint`` (``archivePrefix`` or biblatex ``eprinttype``), a DOI, URL or note."""
    prefix = str(fields.get("archiveprefix") or fields.get("eprinttype") or "").lower()
    eprint = text(fields.get("eprint"))
    if eprint and (prefix in ("", "arxiv")):
        found = links.normalize_arxiv_id(eprint)
        if found:
            return found
    for candidate in (doi, url or ""):
        found = links.normalize_arxiv_id(candidate)
        if found:
            return found
    for key in ("journal", "note", "howpublished"):
        match = _ARXIV_IN_TEXT.search(text(fields.get(key)))
        if match:
            found = links.normalize_arxiv_id(match.group(1))
            if found:
                return found
    return None


def venue(fields: dict[str, Any]) -> str | None:
    """Where the entry was published: ``booktitle``, else ``journal`` (biblatex ``journaltitle``).

    Google Scholar's ``arXiv preprint arXiv:…`` journal is not a venue.
    """
    for name in ("booktitle", "journal", "journaltitle"):
        found = venues.clean(text(fields.get(name)))
        if found:
            return found
    return None

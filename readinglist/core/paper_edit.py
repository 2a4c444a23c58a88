"""Editing a stored paper's fields: checking new values, and the small TOML document the editor shows.

``readinglist edit ID --set FIELD=VALUE`` and the editor (CLI ``edit``, the
app's ``E``) both end here: values are checked one field at a time and a
value that does not parse (a year of ``20x4``, a DOI that is no DOI) is a
:class:`EditError` naming the field, so nothing is written.
"""

from __future__ import annotations

import json
import re
import tomllib
from typing import Any

from readinglist.core import links
from readinglist.core.errors import ReadingListError
from readinglist.core.models import Paper

EDITABLE = ("title", "authors", "year", "date", "venue", "url", "doi", "arxiv_id", "key", "abstract")
"""The fields a user edits, in the order the editor shows them."""

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
# What a citation key must not hold: BibTeX ends a key at white space, a comma or a brace.
_KEY_BREAKS = re.compile(r"[\s,{}()\\\"#%'=~\x00-\x1f\x7f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class EditError(ReadingListError):
    """A new value that cannot be stored; the message names the field and the value."""


def check(field: str, value: Any) -> Any:
    """One field's new value as the library stores it (``authors`` a tuple, an empty text None).

    Args:
        field: One of :data:`EDITABLE`.
        value: Text (from ``--set``), or what TOML gives (an integer year, a list of authors).

    Raises:
        EditError: if the field is unknown or the value does not parse.
    """
    if field not in EDITABLE:
        raise EditError(f"unknown field {field!r}; fields are {', '.join(EDITABLE)}")
    if field == "authors":
        return _authors(value)
    if field == "year":
        return _year(value)
    if not isinstance(value, str):
        raise EditError(f"{field} must be text, not {_shown(value)}")
    # Normalised as an import stores text, so a value left alone is no change (even
    # an odd character an imported title holds: the document escapes it).
    if field == "abstract":
        return value.strip()
    text = " ".join(value.split())
    if field == "title":
        if not text:
            raise EditError("title cannot be empty")
        return text
    if not text:
        return "" if field == "key" else None
    return _CHECKS.get(field, lambda t: t)(text)


def _authors(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        # On the command line: names separated by ";" (a comma may be part of a name).
        value = value.split(";")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise EditError(f"authors must be a list of names, not {_shown(value)}")
    return tuple(name for name in (" ".join(v.split()) for v in value) if name)


def _year(value: Any) -> int | None:
    if isinstance(value, bool):
        raise EditError(f"year {_shown(value)} is not a year")
    if isinstance(value, str):
        if not value.strip():
            return None
        if not re.fullmatch(r"\s*-?\d{1,4}\s*", value):
            raise EditError(f"year {_shown(value)} is not a year")
        value = int(value)
    if not isinstance(value, int) or not 0 < value < 10_000:
        raise EditError(f"year {_shown(value)} is not a year")
    return value


def _date(text: str) -> str:
    match = _DATE.fullmatch(text)
    month = int(match.group(2) or 1) if match else 0
    day = int(match.group(3) or 1) if match else 0
    if not match or not 1 <= month <= 12 or not 1 <= day <= 31:
        raise EditError(f"date {_shown(text)} is not YYYY, YYYY-MM or YYYY-MM-DD")
    return text


def _doi(text: str) -> str:
    doi = links.normalize_doi(text)
    if doi is None:
        raise EditError(f"doi {_shown(text)} is not a DOI (10.NNNN/…)")
    return doi


def _arxiv_id(text: str) -> str:
    found = links.normalize_arxiv_id(text)
    if found is None:
        raise EditError(f"arxiv_id {_shown(text)} is not an arXiv id (2005.11401 or hep-th/9901001)")
    return found


def _url(text: str) -> str:
    if not re.match(r"[a-z][a-z0-9+.-]*://\S", text, re.IGNORECASE) or " " in text:
        raise EditError(f"url {_shown(text)} is not a URL (https://…)")
    return text


def _key(text: str) -> str:
    if _KEY_BREAKS.search(text):
        raise EditError(f"key {_shown(text)} holds a space or one of , {{ }} ( ) \\ \" # % ' = ~")
    return text


_CHECKS = {"date": _date, "doi": _doi, "arxiv_id": _arxiv_id, "url": _url, "key": _key}


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:50] + "…"


def changes(paper: Paper, values: dict[str, Any]) -> dict[str, Any]:
    """The checked values that differ from the paper's (an empty dict: nothing to do).

    Raises:
        EditError: for the first value that does not parse, or a year its date contradicts.
    """
    out: dict[str, Any] = {}
    for field, value in values.items():
        new = check(field, value)
        if new != getattr(paper, field):
            out[field] = new
    year = out.get("year", paper.year)
    date = out.get("date", paper.date)
    if ("year" in out or "date" in out) and year is not None and date and int(date[:4]) != year:
        raise EditError(f"date {date!r} is not in year {year}")
    if "date" in out and out["date"] and year is None:
        out["year"] = int(out["date"][:4])
    return out


def columns(paper: Paper, changed: dict[str, Any]) -> dict[str, Any]:
    """The ``papers`` columns to write for checked changes (derived columns included)."""
    cols = dict(changed)
    if "authors" in cols:
        cols["authors"] = json.dumps(list(cols["authors"]), ensure_ascii=False)
    if "title" in cols:
        cols["title_key"] = links.normalize_title(cols["title"])
    if "abstract" in cols:
        # The links found in the old abstract give way to the new one's; the url
        # field's other URLs (stored first) stay.
        old = set(links.extract_links(paper.abstract))
        kept = [u for u in paper.links if u not in old]
        found = [u for u in links.extract_links(cols["abstract"]) if u not in kept]
        cols["links"] = json.dumps([*kept, *found], ensure_ascii=False)
    return cols


# -- the document the editor shows ---------------------------------------------------

HEADER = (
    "# Edit paper {id}, save and quit. Quit without saving to change nothing.\n"
    '# Leave a field empty ("") to clear it; authors is a list of names.\n'
)
ERROR_MARK = "# ERROR: "


def to_toml(paper: Paper) -> str:
    """The paper's editable fields as a small TOML document, with a comment on how to use it."""
    lines = [HEADER.format(id=paper.id)]
    for field in EDITABLE:
        value = getattr(paper, field)
        if field == "authors":
            inner = "".join(f"  {_basic(a)},\n" for a in value)
            lines.append(f"authors = [\n{inner}]\n" if value else "authors = []\n")
        elif field == "year":
            lines.append(f"year = {value}\n" if value is not None else 'year = ""\n')
        elif field == "abstract":
            lines.append(f"abstract = {_multiline(value)}\n")
        else:
            lines.append(f"{field} = {_basic(value or '')}\n")
    return "".join(lines)


def _basic(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's (control characters as ``u`` escapes)."""
    # JSON leaves DEL as it is; TOML wants it escaped.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _multiline(text: str) -> str:
    """A multi-line literal string where one can hold ``text`` as typed, else a basic string."""
    if text and "'''" not in text and not _CONTROL.search(text) and "\r" not in text and text[-1:] != "'":
        return f"'''\n{text}\n'''"
    return _basic(text)


def from_toml(paper: Paper, document: str) -> dict[str, Any]:
    """The checked changes an edited document makes to ``paper``.

    Raises:
        EditError: if the document is not TOML, has a field not in :data:`EDITABLE`, or a bad value.
    """
    try:
        data = tomllib.loads(document)
    except tomllib.TOMLDecodeError as exc:
        raise EditError(f"not valid TOML: {exc}") from None
    unknown = [k for k in data if k not in EDITABLE]
    if unknown:
        raise EditError(f"unknown field {unknown[0]!r}; fields are {', '.join(EDITABLE)}")
    values = dict(data)
    if isinstance(values.get("abstract"), str):
        values["abstract"] = values["abstract"].strip("\n")
    return changes(paper, values)


def with_error(document: str, error: str) -> str:
    """``document`` with ``error`` on top (replacing an earlier one), for the editor to show again."""
    body = "".join(line for line in document.splitlines(keepends=True) if not line.startswith(ERROR_MARK))
    return f"{ERROR_MARK}{error}\n{body}"

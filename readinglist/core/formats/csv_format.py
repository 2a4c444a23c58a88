"""CSV with a header row: one paper a row.

Reading needs a ``title`` column; ``abstract``, ``authors``, ``year``, ``url``,
``doi``, ``arxiv_id`` and ``tags`` are optional (case and spaces in the header
do not matter, other columns are ignored). Several authors or tags in one cell
are separated by ``;``. Commas, semicolons and tabs are accepted as delimiters.

Writing gives every field of :func:`~readinglist.core.models.paper_to_dict`
except the derived link list, with the same ``;`` convention.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from readinglist.core.errors import FormatError
from readinglist.core.formats import BadEntry, Format, register, textio
from readinglist.core.models import Paper, PaperDraft

COLUMNS = (
    "id",
    "title",
    "authors",
    "year",
    "date",
    "arxiv_id",
    "doi",
    "url",
    "primary_link",
    "tags",
    "starred",
    "status",
    "queue_position",
    "added_at",
    "abstract",
    "notes",
)
_DELIMITERS = (",", ";", "\t")
_YEAR = re.compile(r"^\s*(\d{4})")


def _header(line: str) -> tuple[str, list[str]] | None:
    for delim in _DELIMITERS:
        names = [c.strip().lower() for c in next(csv.reader([line], delimiter=delim), [])]
        if "title" in names:
            return delim, names
    return None


def sniff(head: str, path: Path) -> bool:
    """Whether the first line of ``head`` is a header row with a ``title`` column."""
    first = head.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    if first.lstrip().startswith(("{", "[", "<", "@")):
        return False
    return _header(first) is not None or path.suffix.lower() in (".csv", ".tsv")


def _split(cell: str) -> tuple[str, ...]:
    return tuple(p for p in (" ".join(x.split()) for x in cell.split(";")) if p)


def read(path: Path) -> Iterator[PaperDraft | BadEntry]:
    """Yield a draft for every data row; a row without a title or with a bad year is a :class:`BadEntry`.

    Raises:
        FormatError: if the header has no ``title`` column, or the file cannot be read.
    """
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise FormatError(str(path), 0, exc.strerror or str(exc)) from None
    with handle:
        consumed = 1
        try:
            first = handle.readline()
            found = _header(first.rstrip("\r\n"))
            if found is None:
                shown = first.strip()[:80]
                raise FormatError(str(path), 1, f"CSV header has no 'title' column (header: {shown!r})")
            delim, names = found
            reader = csv.reader(textio.counting(path, handle, len(first)), delimiter=delim)
            for row in reader:
                # line_num counts the lines this reader consumed (a quoted cell may span several).
                start, consumed = consumed + 1, reader.line_num + 1
                if not any(cell.strip() for cell in row):
                    continue
                yield _draft(path, start, dict(zip(names, row, strict=False)))
        except UnicodeDecodeError:
            raise FormatError(str(path), textio.bad_utf8_line(path), "not UTF-8 text") from None
        except csv.Error as exc:
            raise FormatError(str(path), consumed + 1, f"broken CSV: {exc}") from None


def _draft(path: Path, line: int, row: dict[str, str]) -> PaperDraft | BadEntry:
    title = " ".join((row.get("title") or "").split())
    if not title:
        return BadEntry(str(path), line, "row has no title")
    year_text = (row.get("year") or "").strip()
    year = None
    if year_text:
        match = _YEAR.match(year_text)
        if not match:
            return BadEntry(str(path), line, f"year {year_text!r} is not a year")
        year = int(match.group(1))
    return PaperDraft(
        title=title,
        abstract=(row.get("abstract") or "").strip(),
        authors=_split(row.get("authors") or ""),
        year=year,
        arxiv_id=(row.get("arxiv_id") or "").strip() or None,
        doi=(row.get("doi") or "").strip() or None,
        url=(row.get("url") or "").strip() or None,
        tags=_split(row.get("tags") or ""),
        line=line,
    )


def write(papers: Iterable[Paper], stream: TextIO) -> None:
    """Write one row per paper under a header of :data:`COLUMNS`."""
    out = csv.writer(stream, lineterminator="\n")
    out.writerow(COLUMNS)
    for p in papers:
        out.writerow(
            [
                p.id,
                p.title,
                "; ".join(p.authors),
                p.year or "",
                p.date or "",
                p.arxiv_id or "",
                p.doi or "",
                p.url or "",
                p.primary_link,
                "; ".join(p.tags),
                int(p.starred),
                p.status.value,
                p.queue_position or "",
                p.added_at,
                p.abstract,
                p.notes,
            ]
        )


FORMAT = register(
    Format(
        name="csv",
        description="CSV with a header row (title required)",
        sniff=sniff,
        read=read,
        write=write,
        extensions=(".csv", ".tsv"),
    )
)

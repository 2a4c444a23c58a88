r"""CSV with a header row: one paper a row.

Reading needs a ``title`` column; ``abstract``, ``authors``, ``year``, ``url``,
``doi``, ``arxiv_id``, ``venue`` and ``tags`` are optional (case and spaces in the header
do not matter, other columns are ignored). Several authors or tags in one cell
are separated by ``;``. Commas, semicolons and tabs are accepted as delimiters.

A quoted cell may hold line breaks, but a stray ``"`` would otherwise swallow
every later row into one cell. So a quoted cell that is never closed, that
runs on past the ``csv`` module's field limit, or that spans lines and then
leaves a row that does not fit the header is a bad entry at the line where
it starts, and reading goes on from the next line.

Writing gives every field of :func:`~readinglist.core.models.paper_to_dict`
except the derived link list, with the same ``;`` convention (a ``;`` or
``\`` inside a tag or a name is written ``\;`` or ``\\``). Unless asked
for raw output, a cell that a spreadsheet would run as a formula (one
starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a
``'`` in front. A file with exactly our header is read back with those marks
and escapes undone and with the user's data (stars, status, queue, notes
and dates), so a CSV export round-trips like the JSON one (only the ids are
new: rows are not in id order).
"""

from __future__ import annotations

import csv
import re
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from readinglist.core.errors import FormatError
from readinglist.core.formats import BadEntry, Format, register, textio
from readinglist.core.models import Paper, PaperDraft, Status

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
    "venue",
    "key",
)
_COLUMNS_BEFORE_VENUE = COLUMNS[:-2]
"""Our header before ``venue`` and ``key`` joined it: older exports are still read as ours."""
_DELIMITERS = (",", ";", "\t")
_YEAR = re.compile(r"^\s*(\d{4})")
# What a spreadsheet may run as a formula (OWASP's list), after any quotes
# already there: those are doubled up too, so reading undoes exactly one.
_RISKY = re.compile(r"'*[=+\-@\t\r]")
_NEUTRALISED = re.compile(r"'+[=+\-@\t\r]")
_LIST_ESCAPE = re.compile(r"[\\;]")
_EOF_IN_QUOTES = "unexpected end of data"
_TOO_LONG = "field larger than field limit"
_REPORT_EVERY = 64
_STATUSES = frozenset(s.value for s in Status)


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


def _split_ours(cell: str) -> tuple[str, ...]:
    r"""A list cell of our own export: ``;`` separates, ``\;`` and ``\\`` are escapes."""
    if "\\" not in cell:
        return _split(cell)
    items: list[str] = []
    buf: list[str] = []
    chars = iter(cell)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            buf.append(nxt if nxt in ("\\", ";") else ch + nxt)
        elif ch == ";":
            items.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    items.append("".join(buf))
    words = (" ".join(item.split()) for item in items)
    return tuple(w for w in words if w)


def _join(items: Iterable[str]) -> str:
    return "; ".join(_LIST_ESCAPE.sub(lambda m: "\\" + m.group(0), item) for item in items)


def neutralise(cell: str) -> str:
    """``cell`` with a ``'`` in front if a spreadsheet would read it as a formula."""
    return "'" + cell if _RISKY.match(cell) else cell


def unneutralise(cell: str) -> str:
    """Undo :func:`neutralise`."""
    return cell[1:] if _NEUTRALISED.match(cell) else cell


class _Lines:
    """The file's lines for :func:`csv.reader`, keeping the lines of the record being read.

    When a record turns out broken, :meth:`replay` puts back every line of it
    but the first, so reading goes on from the line after the one it started on.
    """

    def __init__(self, path: Path, handle: TextIO, consumed: int) -> None:
        self.path, self.handle, self.consumed = path, handle, consumed
        self.number = 1
        self.pending: deque[tuple[int, str]] = deque()
        self.record: list[tuple[int, str]] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.pending:
            item = self.pending.popleft()
        else:
            text = self.handle.readline()
            if not text:
                textio.set_position(self.path, self.consumed)
                raise StopIteration
            self.number += 1
            self.consumed += len(text)
            if self.number % _REPORT_EVERY == 0:
                textio.set_position(self.path, self.consumed)
            item = (self.number, text)
        self.record.append(item)
        return item[1]

    def replay(self) -> None:
        self.pending.extendleft(reversed(self.record[1:]))


def read(path: Path) -> Iterator[PaperDraft | BadEntry]:
    """Yield a draft for every data row; a bad row (no title, bad year, stray quote) is a :class:`BadEntry`.

    Raises:
        FormatError: if the header has no ``title`` column, or the file cannot be read.
    """
    try:
        handle = path.open(encoding=textio.encoding_of(path), newline="")
    except OSError as exc:
        raise FormatError(str(path), 0, exc.strerror or str(exc)) from None
    with handle:
        try:
            first = handle.readline().removeprefix("\ufeff")  # kept by a forced UTF-16-LE/BE
            found = _header(first.rstrip("\r\n"))
            if found is None:
                shown = first.strip()[:80]
                raise FormatError(str(path), 1, f"CSV header has no 'title' column (header: {shown!r})")
            delim, names = found
            ours = tuple(names) in (COLUMNS, _COLUMNS_BEFORE_VENUE)
            lines = _Lines(path, handle, len(first))
            # Strict: text after a closing quote, or the end of the file inside
            # one, is an error here rather than silently glued into the cell.
            reader = csv.reader(lines, delimiter=delim, strict=True)
            while True:
                lines.record = []
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    got = _broken(path, lines, delim, exc)
                    if isinstance(got, BadEntry):
                        yield got
                        continue
                    row = got
                start, end = lines.record[0][0], lines.record[-1][0]
                if not any(cell.strip() for cell in row):
                    continue
                if end > start and len(row) != len(names):
                    lines.replay()
                    yield BadEntry(
                        str(path),
                        start,
                        f"a quoted cell runs on to line {end} and leaves {len(row)} cells for "
                        f"{len(names)} columns (a stray '\"' here?)",
                    )
                    continue
                if ours:
                    # Only a cell that starts with ' can carry our mark: test that first.
                    row = [c[1:] if c[:1] == "'" and _NEUTRALISED.match(c) else c for c in row]
                yield _draft(path, start, dict(zip(names, row, strict=False)), ours)
        except UnicodeDecodeError:
            raise FormatError(str(path), textio.bad_utf8_line(path), "not UTF-8 text") from None


def _broken(path: Path, lines: _Lines, delim: str, exc: csv.Error) -> list[str] | BadEntry:
    """What to make of a record the strict reader refused: the lenient row, or a bad entry."""
    if not lines.record:  # nothing read: cannot happen, but never loop on it
        raise FormatError(str(path), lines.number, f"broken CSV: {exc}")
    start, end = lines.record[0][0], lines.record[-1][0]
    message = str(exc)
    if end == start and _EOF_IN_QUOTES not in message and _TOO_LONG not in message:
        # Text after a closing quote within one line (`"A" ,x`): the csv module has
        # always taken that as it stands, and no later row is at stake.
        try:
            return next(csv.reader([lines.record[0][1]], delimiter=delim))
        except csv.Error as again:
            return BadEntry(str(path), start, f"broken CSV: {again}")
    lines.replay()
    if _EOF_IN_QUOTES in message:
        reason = "a quoted cell opened on this line is never closed (a stray '\"'?)"
    elif _TOO_LONG in message:
        reason = (
            f"a quoted cell runs on past {csv.field_size_limit()} characters (to line {end}) "
            "without closing (a stray '\"' here?)"
        )
    else:
        reason = f"a quoted cell runs on to line {end} and breaks there ({message}; a stray '\"' here?)"
    return BadEntry(str(path), start, reason)


def _year(path: Path, line: int, row: dict[str, str]) -> int | BadEntry | None:
    year_text = (row.get("year") or "").strip()
    if not year_text:
        return None
    match = _YEAR.match(year_text)
    if not match:
        return BadEntry(str(path), line, f"year {year_text!r} is not a year")
    return int(match.group(1))


def _draft(path: Path, line: int, row: dict[str, str], ours: bool = False) -> PaperDraft | BadEntry:
    """A draft from a row; ``ours`` (our own export's header) also reads the user's data."""
    title = " ".join((row.get("title") or "").split())
    if not title:
        return BadEntry(str(path), line, "row has no title")
    year = _year(path, line, row)
    if isinstance(year, BadEntry):
        return year
    split = _split_ours if ours else _split
    abstract = (row.get("abstract") or "").strip()
    authors, tags = split(row.get("authors") or ""), split(row.get("tags") or "")
    arxiv_id = (row.get("arxiv_id") or "").strip() or None
    doi = (row.get("doi") or "").strip() or None
    if not ours:
        url = (row.get("url") or "").strip() or None
        venue = " ".join((row.get("venue") or "").split()) or None
        return PaperDraft(
            title, abstract, authors, year, None, arxiv_id, doi, url, tags=tags, line=line, venue=venue
        )
    starred = row.get("starred", "").strip()
    status = row.get("status", "").strip()
    try:
        if starred not in ("", "0", "1"):
            raise ValueError(f"starred {starred[:40]!r} is not 0 or 1")
        if status and status not in _STATUSES:
            raise ValueError(f"status {status[:40]!r} is not one of {', '.join(s.value for s in Status)}")
        queue = _whole(row, "queue_position")
    except ValueError as exc:
        return BadEntry(str(path), line, str(exc))
    return PaperDraft(
        title,
        abstract,
        authors,
        year,
        date=row.get("date", "").strip() or None,
        arxiv_id=arxiv_id,
        doi=doi,
        url=row.get("url") or None,  # as stored, even with (odd) white space at an end
        tags=tags,
        starred=starred == "1",
        status=Status(status) if status else None,
        queue_position=queue,
        notes=row.get("notes", ""),
        added_at=row.get("added_at", "").strip() or None,
        line=line,
        venue=row.get("venue", "").strip() or None,
        key=row.get("key", "").strip(),
    )


def _whole(row: dict[str, str], name: str) -> int | None:
    text = row.get(name, "").strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise ValueError(f"{name} {text[:40]!r} is not a whole number")
    return int(text)


def write(papers: Iterable[Paper], stream: TextIO, *, raw: bool = False) -> None:
    """Write one row per paper under a header of :data:`COLUMNS`.

    Args:
        papers: What to write.
        stream: Where to.
        raw: Keep cells a spreadsheet would run as formulas as they are
            (by default they get a ``'`` in front; see :func:`neutralise`).
    """
    out = csv.writer(stream, lineterminator="\n")
    # The csv module quotes a cell holding the line terminator (\n) but not a lone
    # \r, which a reader then takes for a line end: such rows are quoted in full.
    quoted = csv.writer(stream, lineterminator="\n", quoting=csv.QUOTE_ALL)
    out.writerow(COLUMNS)
    for p in papers:
        cells = [
            str(p.id),
            p.title,
            _join(p.authors),
            str(p.year or ""),
            p.date or "",
            p.arxiv_id or "",
            p.doi or "",
            p.url or "",
            p.primary_link,
            _join(p.tags),
            str(int(p.starred)),
            p.status.value,
            str(p.queue_position or ""),
            p.added_at,
            p.abstract,
            p.notes,
            p.venue or "",
            p.key,
        ]
        if any("\0" in c for c in cells):
            # No CSV reader takes a NUL (Python's refuses the line): leave it out.
            cells = [c.replace("\0", "") for c in cells]
        if not raw:
            cells = [neutralise(c) for c in cells]
        (quoted if any("\r" in c for c in cells) else out).writerow(cells)


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

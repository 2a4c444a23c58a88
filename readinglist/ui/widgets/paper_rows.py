"""What one row of the paper list shows, and its segments (kept apart from the widget).

A row is columns: marks, the title, the first author, the year (and the added date
under ``sort:added``), then the tags. The title keeps at least 60% of the text's
room: narrower lists drop the tags, then shorten and drop the author, before the title.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style

from readinglist.core.models import Paper, Status
from readinglist.core.safe_text import pictured
from readinglist.core.search.results import Span

MARKS = {Status.READ: "✓", Status.READING: "▸", Status.QUEUED: "", Status.UNREAD: ""}
PENDING = "  ⋯ pending"
"""After the title of a paper added offline and not looked up yet."""

_HEAD = 7
"""The batch mark, the star and the queue position or status mark: ``●★  12 ``."""
_TITLE_SHARE = 0.6
_AUTHOR_FULL = 14
"""Room for ``Vaswani et al.``; an author cut narrower shows the surname alone."""
_AUTHOR_MIN = 6
_TAGS_MIN, _TAGS_MAX = 7, 18
"""``#rag +2`` at least; a long first tag is cut before the count."""
_YEAR = 6  # two spaces and four digits
_ADDED = 12  # two spaces and YYYY-MM-DD


class RowContent(NamedTuple):
    """Everything one row shows apart from the geometry and the styles (a cache key)."""

    title: str
    starred: bool
    mark: str
    tags: tuple[str, ...]
    spans: tuple[Span, ...]
    on_cursor: bool
    marked: bool = False
    authors: tuple[str, ...] = ()
    year: int | None = None
    added: str = ""
    """The added date, shown only when the list is sorted by it."""
    pending: bool = False


BLANK = RowContent("", False, "", (), (), False)
"""A line below the last row."""


@dataclass(frozen=True)
class RowStyles:
    """The styles of a row, looked up once a frame instead of once a row."""

    base: Style
    empty: Style
    plain: dict[str, Style]
    cursor: Style
    on_cursor: dict[str, Style]


class Columns(NamedTuple):
    """The widths of a row's columns for a width (0: the column is dropped)."""

    title: int
    author: int
    tags: int
    added: bool


@lru_cache(maxsize=64)
def columns(width: int, added: bool = False) -> Columns:
    """How ``width`` cells are shared: the title keeps 60%, tags go first, then the author.

    Args:
        width: The room for the row's text (the marks included).
        added: Whether the added date shows (the list is sorted by it).
    """
    text = width - _HEAD
    fixed = _YEAR + (_ADDED if added else 0)  # the sort key always shows
    least = max(12, math.ceil(_TITLE_SHARE * text))
    spare = text - fixed - least
    author = 0
    if spare >= 2 + _AUTHOR_MIN:
        author = min(_AUTHOR_FULL, spare - 2)
        spare -= author + 2
    tags = 0
    if author == _AUTHOR_FULL and spare >= 2 + _TAGS_MIN:
        tags = min(_TAGS_MAX, spare - 2)
    title = text - fixed - (author + 2 if author else 0) - (tags + 2 if tags else 0)
    return Columns(max(4, title), author, tags, added)


def _surname(name: str) -> str:
    name = name.strip()
    if "," in name:  # "Lewis, Patrick"
        return name.split(",", 1)[0].strip()
    return name.split()[-1] if name.split() else ""


def byline(authors: Sequence[str]) -> str:
    """The first author as a list shows it: ``Lewis``, ``Lewis & Chen``, ``Lewis et al.``."""
    # Only the first two names are looked at: a row is drawn for every scroll step.
    names = [a for a in authors[:2] if a.strip()]
    if not names:
        return ""
    if len(authors) == 1:
        return _surname(names[0])
    if len(authors) == 2 and len(names) == 2:
        return f"{_surname(names[0])} & {_surname(names[1])}"
    return f"{_surname(names[0])} et al."


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def _author_cell(authors: Sequence[str], width: int) -> str:
    """The byline in ``width`` cells: in full if it fits, else the surname alone, cut."""
    full = pictured(byline(authors))
    if len(full) <= width:
        return full
    first = pictured(_surname(next((a for a in authors if a.strip()), "")))
    return _cut(first, width)


def tags_label(tags: Sequence[str], width: int) -> str:
    """``#rag +2`` in ``width`` cells: the first tag (cut if needed) and how many more."""
    if not tags:
        return ""
    more = f" +{len(tags) - 1}" if len(tags) > 1 else ""
    return _cut(pictured(f"#{tags[0]}"), max(2, width - len(more))) + more


def row_content(
    paper: Paper,
    spans: dict[int, list[Span]],
    on_cursor: bool,
    marked: bool = False,
    sort: str = "",
) -> RowContent:
    """Everything a paper's row shows apart from the geometry and the styles.

    Args:
        paper: The row's paper.
        spans: Title ranges to highlight, per paper id.
        on_cursor: Whether the row is highlighted.
        marked: Whether the paper is marked for a batch action.
        sort: The list's ``sort:`` order (``added`` shows the added date).
    """
    mark = f"{paper.queue_position}" if paper.queue_position is not None else MARKS[paper.status]
    matched = tuple((s, e) for s, e in spans.get(paper.id, ()))
    added = paper.added_at[:10] if sort == "added" else ""
    return RowContent(
        paper.title,
        paper.starred,
        mark,
        tuple(paper.tags),
        matched,
        on_cursor,
        marked,
        tuple(paper.authors),
        paper.year,
        added,
        paper.pending is not None,
    )


def merged(spans: Iterable[Span], limit: int) -> list[Span]:
    """``spans`` clipped to ``[0, limit)``, sorted, overlaps joined."""
    out: list[Span] = []
    for s, e in sorted((max(0, s), min(e, limit)) for s, e in spans if s < limit):
        if e <= s:
            continue
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _title_window(title: str, spans: Sequence[Span], room: int) -> tuple[str, list[Span]]:
    """The title in ``room`` cells and its matches; its start gives way if the first match would be cut."""
    joined = merged(spans, len(title))
    if len(title) <= room:
        return title, joined
    start = 0
    if joined and joined[0][1] > room - 1 and room > 8:
        # The matched word is why the row is listed: its start gives way (after an ellipsis):
        # begin a little before it, and no later than needed to show it whole with some context.
        first, end = joined[0]
        start = max(1, min(first - 2, end - room + 6, len(title) - (room - 1)))
    head = "…" if start else ""
    body = title[start:]
    fits = room - len(head)
    if len(body) > fits:
        body, fits = body[: fits - 1] + "…", fits - 1
    else:
        fits = len(body)
    shift = len(head) - start
    moved = [(max(s, start) + shift, e + shift) for s, e in joined if e > start]
    return head + body, merged(moved, len(head) + fits)


def row_segments(
    paper: Paper,
    mark: str,
    spans: Sequence[Span],
    width: int,
    base: Style,
    parts: dict[str, Style],
    marked: bool = False,
    added: str = "",
) -> list[Segment]:
    """A row's segments: marks, the title with its matches, author, year, (added date), tags.

    Args:
        paper: The row's paper.
        mark: Its queue position or status mark.
        spans: Title ranges to highlight.
        width: The room for the row's text.
        base: The row's style.
        parts: The styles of the star, mark, matches and tags.
        marked: Whether the paper is marked for a batch action (drawn in the first column).
        added: The added date to show (the list is sorted by it), or "".
    """
    # Segments straight away: building a rich Text and rendering it cost
    # three times as much, on the frame the user waits for after each key.
    cols = columns(width, bool(added))
    star = "★" if paper.starred else " "
    segments = [
        Segment(f"{'●' if marked else ' '}{star}", parts["star"]),
        Segment(f" {mark:>3} ", parts["mark"]),
    ]
    author = _author_cell(paper.authors, cols.author) if cols.author else ""
    year = f"{paper.year}" if paper.year is not None else ""
    # A paper without an author lends the empty cells (the author's, and the year's if it
    # has none either) to its title; the columns of the rows that have them stay aligned.
    room = cols.title
    if not author:
        room += (cols.author + 2 if cols.author else 0) + (0 if year else _YEAR)
        if not year and not added and cols.tags and not paper.tags:
            # Nothing after the title at all: the tags' cells are its too (a wide
            # list showed titles cut with 20 blank cells after them).
            room += cols.tags + 2
    # Added offline, not looked up yet (filling it in changes its title, so the row cache sees it).
    pending = PENDING if paper.pending is not None else ""
    # Imported text: a control character would reach the terminal raw (an ESC in a
    # title could retitle the window or recolour the screen), so each is pictured.
    title, shown = _title_window(pictured(paper.title), spans, max(4, room - len(pending)))
    at = 0
    for s, e in shown:
        if s > at:
            segments.append(Segment(title[at:s], base))
        segments.append(Segment(title[s:e], parts["match"]))
        at = e
    if at < len(title):
        segments.append(Segment(title[at:], base))
    if pending:
        segments.append(Segment(pending, parts["tags"]))
    pad = " " * (room - len(title) - len(pending))
    if author:
        segments.append(Segment(pad + "  " + author.ljust(cols.author), base))
        pad = ""
    if year or author:
        segments.append(Segment(f"{pad}  {year:>4}", parts["mark"]))
        pad = ""
    if added:
        segments.append(Segment(f"{pad}  {added:<10}", parts["mark"]))
        pad = ""
    if cols.tags and paper.tags:
        segments.append(Segment(pad + "  " + tags_label(paper.tags, cols.tags), parts["tags"]))
    return segments

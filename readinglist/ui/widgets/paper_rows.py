"""What one row of the paper list shows, and its segments (kept apart from the widget)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style

from readinglist.core.models import Paper, Status
from readinglist.core.safe_text import pictured
from readinglist.core.search.results import Span

MARKS = {Status.READ: "✓", Status.READING: "▸", Status.QUEUED: "", Status.UNREAD: ""}


class RowContent(NamedTuple):
    """Everything one row shows apart from the geometry and the styles (a cache key)."""

    title: str
    starred: bool
    mark: str
    tags: tuple[str, ...]
    spans: tuple[Span, ...]
    on_cursor: bool
    marked: bool = False


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


def row_content(
    paper: Paper, spans: dict[int, list[Span]], on_cursor: bool, marked: bool = False
) -> RowContent:
    """Everything a paper's row shows apart from the geometry and the styles (``marked``: a batch mark)."""
    mark = f"{paper.queue_position}" if paper.queue_position is not None else MARKS[paper.status]
    matched = tuple((s, e) for s, e in spans.get(paper.id, ()))
    return RowContent(paper.title, paper.starred, mark, tuple(paper.tags), matched, on_cursor, marked)


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


def row_segments(
    paper: Paper,
    mark: str,
    spans: Sequence[Span],
    width: int,
    base: Style,
    parts: dict[str, Style],
    marked: bool = False,
) -> list[Segment]:
    """A row's segments: star, mark, the title (cut to ``width``) with its matches, tags.

    Args:
        paper: The row's paper.
        mark: Its queue position or status mark.
        spans: Title ranges to highlight.
        width: The room for the row's text.
        base: The row's style.
        parts: The styles of the star, mark, matches and tags.
        marked: Whether the paper is marked for a batch action (drawn in the first column).
    """
    # Segments straight away: building a rich Text and rendering it cost
    # three times as much, on the frame the user waits for after each key.
    star = "★" if paper.starred else " "
    head = f" {mark:>3} "
    segments = [Segment(f"{'●' if marked else ' '}{star}", parts["star"]), Segment(head, parts["mark"])]
    # Imported text: a control character would reach the terminal raw (an ESC in a
    # title could retitle the window or recolour the screen), so each is pictured.
    tags = "  " + pictured(" ".join(f"#{t}" for t in paper.tags)) if paper.tags else ""
    # Added offline, not looked up yet (filling it in changes its title, so the row cache sees it).
    tags += "  ⋯ pending" if paper.pending is not None else ""
    # Shorten the title, not the tags, so tags stay visible on narrow screens.
    room = max(12, width - 2 - len(head) - len(tags))
    title = pictured(paper.title)  # the same length: the spans still fit
    title = title if len(title) <= room else title[: room - 1] + "…"
    at = 0
    for s, e in merged(spans, len(title)):
        if s > at:
            segments.append(Segment(title[at:s], base))
        segments.append(Segment(title[s:e], parts["match"]))
        at = e
    if at < len(title):
        segments.append(Segment(title[at:], base))
    if tags:
        segments.append(Segment(tags, parts["tags"]))
    return segments

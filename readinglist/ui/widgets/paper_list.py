"""The paper list: a virtual Line-API list that stays fast at 100k rows.

Only ids are held for every row; papers are fetched a screenful at a time
when a row is drawn (docs/tech-notes.md §2: OptionList/DataTable took 4-10 s at 100k).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import groupby
from typing import ClassVar

from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import Reactive, reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from readinglist.core.models import Paper
from readinglist.core.search.results import Span
from readinglist.ui.widgets.paper_rows import BLANK, RowContent, RowStyles, row_content, row_segments

Fetch = Callable[[Sequence[int]], list[Paper]]

# Fetch a little beyond the visible rows so a one-line scroll needs no query.
_MARGIN = 20
_CACHE_LIMIT = 4000
_STRIP_CACHE_LIMIT = 2000


@lru_cache(maxsize=16)
def _wrapped(text: str, width: int) -> tuple[str, ...]:
    """``text`` in lines of at most ``width`` cells, broken between words where it can."""
    return tuple(textwrap.wrap(text, width, break_on_hyphens=False)) or ("",)


class PaperList(ScrollView, can_focus=True):
    """The list of papers of the current view or search, one line per paper."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", id="cursor-down", tooltip="Next paper", show=False),
        Binding("up,k", "cursor_up", "Up", id="cursor-up", tooltip="Previous paper", show=False),
        Binding("home,g", "first", "First paper", id="cursor-first", tooltip="First paper", show=False),
        Binding("end,G", "last", "Last paper", id="cursor-last", tooltip="Last paper", show=False),
        Binding("pagedown", "page_down", "Page down", id="page-down", tooltip="One page down", show=False),
        Binding("pageup", "page_up", "Page up", id="page-up", tooltip="One page up", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paper-list--cursor",
        "paper-list--star",
        "paper-list--mark",
        "paper-list--tags",
        "paper-list--match",
        "paper-list--empty",
    }

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False, repaint=False)
    """Neither lays out nor repaints by itself: :meth:`_set_virtual_height` asks for a
    layout pass when one is needed, and :meth:`set_rows` redraws the rows that changed."""

    cursor: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)
    """The index of the highlighted row."""

    class Highlighted(Message):
        """The highlighted paper changed (or the list emptied: ``paper_id`` None)."""

        def __init__(self, paper_id: int | None) -> None:
            super().__init__()
            self.paper_id = paper_id

    def __init__(self, fetch: Fetch, *, id: str | None = None) -> None:
        """Build an empty list.

        Args:
            fetch: Returns the papers for some ids (unknown ids left out).
            id: The widget id.
        """
        super().__init__(id=id)
        self._fetch = fetch
        self._ids: list[int] = []
        self._cache: dict[int, Paper] = {}
        self._spans: dict[int, list[Span]] = {}
        self.empty_text = "Loading…"
        self.marks: set[int] = set()
        """Paper ids marked for a batch action (the screen changes them, then refreshes)."""
        self._last_posted: int | None = -1
        self._row_styles: RowStyles | None = None
        self._strips: dict[tuple[object, ...], Strip] = {}
        """Rows drawn lately, by everything that shows in them."""
        self._retired: list[object] = []
        """Rows replaced since the last frame, freed after it."""
        self._frame: tuple[int, int, int] | None = None
        """Scroll offset, width and room for text of the frame being drawn."""
        self._after_draw: list[Callable[[], object]] = []
        """Called once the next frame that draws rows is on screen."""
        self.sort = ""
        """The rows' ``sort:`` order, if the search gave one (``added`` shows the added date)."""

    # -- data ------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        """How many rows the list holds."""
        return len(self._ids)

    @property
    def ids(self) -> list[int]:
        """The ids of every row, in order (do not modify)."""
        return self._ids

    @property
    def current_id(self) -> int | None:
        """The id of the highlighted paper, read fresh (never a stale copy)."""
        if 0 <= self.cursor < len(self._ids):
            return self._ids[self.cursor]
        return None

    def set_rows(
        self,
        ids: list[int],
        spans: dict[int, list[Span]] | None = None,
        keep_id: int | None = None,
        papers: Sequence[Paper] = (),
    ) -> None:
        """Replace every row; O(1) in the number of rows apart from finding ``keep_id``.

        Args:
            ids: The paper ids to show, in order.
            spans: Title ranges to highlight, per paper id.
            keep_id: Keep the cursor on this paper if it is still listed;
                otherwise the cursor keeps its index (clamped).
            papers: Papers already read for some of the rows (the first
                screen): drawing them then needs no query.
        """
        old_index = self.cursor
        top, height = int(self.scroll_y), self.scrollable_content_region.height
        before = self._visible_rows(top, height)
        # Freeing a whole view's ids (a million ints at 1M papers: 12-18 ms) waits
        # until the frame with the new rows is drawn.
        self._retired.append((self._ids, self._cache, self._spans))
        self.call_after_refresh(self._retired.clear)
        self._ids = ids
        self._spans = spans or {}
        self._cache = {paper.id: paper for paper in papers}
        index = old_index
        if keep_id is not None:
            # Searching is O(n) but only near the old place is likely; look there first.
            lo = max(0, old_index - 50)
            window = ids[lo : old_index + 50]
            if keep_id in window:
                index = lo + window.index(keep_id)
            elif len(ids) <= 200_000 and keep_id in ids:
                index = ids.index(keep_id)
        self._set_virtual_height(len(ids))
        self._last_posted = -1
        self.cursor = max(0, min(index, len(ids) - 1))
        after = self._visible_rows(top, height) if int(self.scroll_y) == top else None
        self._refresh_changed(before, after)

    def _visible_rows(self, top: int, height: int) -> list[RowContent | None] | None:
        """What each visible row shows (None where its paper is not read yet), or None if empty."""
        if not self._ids:
            return None
        return [self._row_content(index) for index in range(top, top + height)]

    def _row_content(self, index: int) -> RowContent | None:
        """What row ``index`` shows, from papers already read (None if its paper is not)."""
        if not 0 <= index < len(self._ids):
            return BLANK  # a blank line below the last row
        paper = self._cache.get(self._ids[index])
        if paper is None:
            return None
        return row_content(paper, self._spans, index == self.cursor, paper.id in self.marks, self.sort)

    def _refresh_changed(
        self, before: list[RowContent | None] | None, after: list[RowContent | None] | None
    ) -> None:
        """Redraw only the visible rows whose content changed (all of them if unsure).

        While a query is typed, most keys change a few rows or none: redrawing
        only those halves the frame the user waits for, since Textual re-styles
        and re-composes every line it is asked to redraw, even unchanged ones.
        """
        if before is None or after is None or len(before) != len(after):
            self.refresh()
            return
        width = self.size.width
        changed = [old is None or old != new for old, new in zip(before, after, strict=True)]
        y = 0
        for redraw, run in groupby(changed):
            lines = len(list(run))
            if redraw:
                self.refresh(Region(0, y, width, lines))
            y += lines

    def invalidate(self, paper_id: int | None = None) -> None:
        """Forget cached papers (one or all) and redraw, after the library changed."""
        if paper_id is None:
            self._cache.clear()
        else:
            self._cache.pop(paper_id, None)
        self.refresh()

    def paper_at(self, index: int) -> Paper | None:
        """The paper on row ``index``, fetching its screenful if needed."""
        if not 0 <= index < len(self._ids):
            return None
        paper_id = self._ids[index]
        if paper_id not in self._cache:
            if len(self._cache) > _CACHE_LIMIT:
                self._cache.clear()
            start = max(0, min(index, int(self.scroll_y)) - _MARGIN)
            end = max(index + 1, int(self.scroll_y) + self.size.height + _MARGIN)
            for paper in self._fetch(self._ids[start:end]):
                self._cache[paper.id] = paper
        return self._cache.get(paper_id)

    # -- cursor ------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        """Redraw the two rows, keep the cursor visible and announce the new paper."""
        if self._ids:
            self.refresh(Region(0, old - int(self.scroll_y), self.size.width, 1))
            self.refresh(Region(0, new - int(self.scroll_y), self.size.width, 1))
            self.scroll_to_region(Region(0, new, 1, 1), animate=False, force=True, immediate=True)
        paper_id = self.current_id
        if paper_id != self._last_posted:
            self._last_posted = paper_id
            self.post_message(self.Highlighted(paper_id))

    def _move(self, index: int) -> None:
        if self._ids:
            self.cursor = max(0, min(index, len(self._ids) - 1))

    def action_cursor_down(self) -> None:
        """Highlight the next paper."""
        self._move(self.cursor + 1)

    def action_cursor_up(self) -> None:
        """Highlight the previous paper."""
        self._move(self.cursor - 1)

    def action_first(self) -> None:
        """Highlight the first paper."""
        self._move(0)

    def action_last(self) -> None:
        """Highlight the last paper."""
        self._move(len(self._ids) - 1)

    def action_page_down(self) -> None:
        """Move one screenful down."""
        self._move(self.cursor + max(1, self.size.height - 1))

    def action_page_up(self) -> None:
        """Move one screenful up."""
        self._move(self.cursor - max(1, self.size.height - 1))

    def on_click(self, event: events.Click) -> None:
        """Highlight the clicked row."""
        offset = event.get_content_offset(self)  # None on the border
        if offset is not None:
            self._move(int(self.scroll_y) + offset.y)

    def on_resize(self, event: events.Resize) -> None:
        """Keep the virtual width in step with the widget."""
        self._set_virtual_height(len(self._ids))

    def _set_virtual_height(self, rows: int) -> None:
        """Set the virtual size; lay the screen out again only if the scrollbar comes or goes.

        A new virtual size normally asks for a layout pass of the whole screen
        (5-10 ms, and every pane redrawn) on the frame that shows a search's
        first rows; while the scrollbar stays, telling it the new size is enough.
        """
        before = self.virtual_size.height
        self.virtual_size = Size(self.scrollable_content_region.width, rows)
        if rows == before:
            return
        height = self.scrollable_content_region.height
        if not self.show_vertical_scrollbar or rows <= height:
            self.refresh(layout=True)  # the scrollbar may appear or go: the gutter changes
            return
        bar = self.vertical_scrollbar
        bar.window_virtual_size = rows
        bar.window_size = height
        bar.refresh()

    # -- drawing -------------------------------------------------------------------

    def notify_style_update(self) -> None:
        """Forget the row styles: the theme, focus or CSS changed."""
        super().notify_style_update()
        self._row_styles = None

    def render_lines(self, crop: Region) -> list[Strip]:
        """Draw the visible rows, looking the styles and geometry up once for all of them."""
        styles = self._build_styles()  # cheap to rebuild once a frame; never stale
        if styles != self._row_styles:
            self._strips.clear()
        self._row_styles = styles
        self._frame = (int(self.scroll_y), self.size.width, self.scrollable_content_region.width)
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None
            if self._after_draw:
                # After the whole frame, not during it: ``call_after_refresh`` alone
                # may run before the frame that draws the new rows.
                callbacks, self._after_draw = self._after_draw, []
                for callback in callbacks:
                    self.call_after_refresh(callback)

    def after_drawn(self, callback: Callable[[], object]) -> None:
        """Call ``callback`` (once) after the next frame that draws any of the list's lines.

        While another screen hides the list no frame draws it: callers wait with a timeout.
        """
        self._after_draw.append(callback)

    def _styles(self) -> RowStyles:
        if self._row_styles is None:
            self._row_styles = self._build_styles()
        return self._row_styles

    def _build_styles(self) -> RowStyles:
        base = self.rich_style
        parts = {
            name: self.get_component_rich_style(f"paper-list--{name}", partial=True)
            for name in ("star", "mark", "match", "tags")
        }
        cursor = base + self.get_component_rich_style("paper-list--cursor", partial=True)
        return RowStyles(
            base=base,
            empty=self.get_component_rich_style("paper-list--empty"),
            plain={name: base + style for name, style in parts.items()},
            cursor=cursor,
            on_cursor={name: cursor + style for name, style in parts.items()},
        )

    def render_line(self, y: int) -> Strip:
        """Draw one visible row."""
        styles = self._styles()
        if self._frame is not None:
            top, width, room = self._frame
        else:  # a single line drawn outside a frame
            top, width, room = int(self.scroll_y), self.size.width, self.scrollable_content_region.width
        index = top + y
        if not self._ids:
            # Wrapped, never cut: the advice on what to do next is read whole at 60 columns.
            lines = _wrapped(self.empty_text, max(1, room - 2))
            if y < len(lines):
                empty = Segment(f" {lines[y]}", styles.empty)
                return Strip([empty]).crop_extend(0, width, styles.base)
            return Strip.blank(width, styles.base)
        paper = self.paper_at(index)
        if paper is None:
            return Strip.blank(width, styles.base)
        # Typing a query shows mostly the same papers key after key: a row drawn
        # before (same text, marks, highlights, width and styles) is reused.
        # The key is the row's content, so a paper changed elsewhere never shows stale.
        content = row_content(paper, self._spans, index == self.cursor, paper.id in self.marks, self.sort)
        key = (content, width, room)
        strip = self._strips.get(key)
        if strip is None:
            base, parts = (
                (styles.cursor, styles.on_cursor) if content.on_cursor else (styles.base, styles.plain)
            )
            # Titles are cut to leave the scrollbar's column free; the strip still fills the line.
            segments = row_segments(
                paper, content.mark, content.spans, room, base, parts, content.marked, content.added
            )
            # No offsets metadata: clicks are placed by their content offset (on_click).
            strip = Strip(segments).crop_extend(0, width, base)
            if len(self._strips) >= _STRIP_CACHE_LIMIT:
                self._strips.clear()
            self._strips[key] = strip
        return strip

"""A screen with a paper list: its view, its search, and what the rows loader tells it.

The loading itself (the worker, which request is newest, when a query typed
during a search runs) belongs to :class:`~readinglist.ui.widgets.rows_loader.RowsLoader`;
this screen asks it for rows and shows what it posts back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import on
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static

from readinglist.core.errors import ReadingListError
from readinglist.core.models import Paper, View
from readinglist.core.search.parser import parse
from readinglist.core.search.results import COUNT_CAP
from readinglist.core.search.session import Rows, RowsRequest
from readinglist.ui.rows import empty_text, status_text, view_label
from readinglist.ui.toast import toast
from readinglist.ui.widgets.paper_list import PaperList
from readinglist.ui.widgets.rows_loader import RowsLoader
from readinglist.ui.widgets.search_bar import SearchBar

SHARES = (30, 40, 50, 60, 70, 80)
"""The list's widths, in percent of the screen, that ``<`` and ``>`` step through (styles/main.tcss)."""

if TYPE_CHECKING:
    from readinglist.ui.app import ReadingListApp


class ListingScreen(Screen[None]):
    """A screen with a ``PaperList``, a ``SearchBar``, a ``RowsLoader`` and a ``#status`` line."""

    def __init__(self) -> None:
        """No rows yet: :meth:`reload` starts loading them."""
        super().__init__()
        self.view = View.ALL
        self.tag: str | None = None
        self.rows: Rows | None = None
        self._fetch_error = ""
        self._share: int | None = None
        """The list's width chosen with ``<`` and ``>`` (percent), None for the stylesheet's."""
        self._hint: str | None = None

    @property
    def rl_app(self) -> ReadingListApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def rows_loader(self) -> RowsLoader:
        """A loader for the screen to compose (it needs the library's path and the keyboard's pace)."""
        loader = RowsLoader(self.rl_app.library.path, lambda: self.rl_app.last_key_at, id="loader")
        # Searches add papers found by meaning once the app's model has loaded (in a worker).
        loader.session.semantic = self.rl_app.semantic
        return loader

    def rows_shown(self) -> None:
        """Called once new rows are in the list (the frame showing them is not drawn yet)."""

    def _fetch(self, ids: Sequence[int]) -> list[Paper]:
        try:
            papers = self.rl_app.library.get_many(list(ids))
        except ReadingListError as exc:
            # Drawing retries every frame: say it once, not once per row.
            if str(exc) != self._fetch_error:
                self._fetch_error = str(exc)
                self.notify(str(exc), severity="error")
            return []
        self._fetch_error = ""
        return papers

    def _request(self) -> tuple[RowsRequest, int]:
        """What the list should show now, and how many papers its first screen needs."""
        query = self.query_one("#search", Input).value
        # The list's first screen and a little more, read along with the rows.
        prefetch = max(20, self.query_one(PaperList).scrollable_content_region.height + 10)
        return RowsRequest(self.view, self.tag, query), prefetch

    def action_widen_list(self, step: int) -> None:
        """Give the list (``step`` 1) or the panes beside it (-1) more of the width, for this session."""
        papers = self.query_one(PaperList)
        now = self._share
        if now is None:  # the stylesheet's width for this screen size, as laid out
            room = papers.parent.size.width if isinstance(papers.parent, Widget) else 0
            now = round(100 * papers.outer_size.width / room) if room else 50
        sizes = [n for n in SHARES if (n > now + 2 if step > 0 else n < now - 2)]
        if not sizes:
            toast(self.app, f"The list is as {'wide' if step > 0 else 'narrow'} as it goes")
            return
        share = min(sizes) if step > 0 else max(sizes)
        papers.remove_class(*(f"-share-{n}" for n in SHARES))
        papers.add_class(f"-share-{share}")
        # Kept, not measured again: keys pressed before the next layout would measure the old width.
        self._share = share

    @on(SearchBar.QueryChanged)
    def _query_changed(self) -> None:
        request, prefetch = self._request()
        self.query_one(RowsLoader).search(request, prefetch)

    def reload(self, *, keep_cursor: bool = False, seed: bool = False) -> None:
        """Reload the list for the current view, tag and query in a worker."""
        request, prefetch = self._request()
        self.query_one(RowsLoader).load(request, keep_cursor=keep_cursor, seed=seed, prefetch=prefetch)

    @on(RowsLoader.Busy)
    def _busy(self, message: RowsLoader.Busy) -> None:
        label, query = view_label(self.view, self.tag), message.request.query.strip()
        busy = f'{label} · searching "{query}"…' if query else f"{label} · loading…"
        self.query_one("#status", Static).update(busy, layout=False)

    @on(RowsLoader.Seeded)
    def _seeded(self, message: RowsLoader.Seeded) -> None:
        self.notify(
            f"New library: imported the bundled sample ({message.report.summary()}).", title="Welcome"
        )

    @on(RowsLoader.Failed)
    def _load_failed(self, message: RowsLoader.Failed) -> None:
        self.notify(message.error, severity="error", markup=False)

    @on(RowsLoader.Loaded)
    def _loaded(self, message: RowsLoader.Loaded) -> None:
        self.show_rows(message.rows, message.keep_cursor)
        self.query_one(PaperList).after_drawn(message.drawn.set)

    def show_rows(self, rows: Rows, keep_cursor: bool) -> None:
        """Put new rows in the list; the status line follows in the next frame."""
        self.rows = rows
        papers = self.query_one(PaperList)
        # An empty list says what to do next where the eye is (the status line is cut at 60 columns).
        papers.empty_text = empty_text(rows) or (
            "No papers match." if rows.request.query.strip() else "No papers in this view."
        )
        keep = papers.current_id if keep_cursor else None
        title_spans = {pid: s.get("title", []) for pid, s in rows.spans.items()}
        # The rows show their sort key: the year always, the added date under sort:added.
        query = rows.request.query
        papers.sort = parse(query).sort if "sort:" in query else ""
        if not keep_cursor:
            papers.cursor = 0
        papers.set_rows(rows.ids, title_spans, keep_id=keep, papers=rows.papers)
        # The status line follows in the next frame: it spans the screen's width, so
        # redrawing it with the list would redraw the side panes' rows too (6-8 ms of
        # the frame the user waits for).
        self.call_after_refresh(self._update_status)
        self._show_hint(rows.hint)
        self.rows_shown()

    def _show_hint(self, hint: str | None) -> None:
        """Show the search's hint on its own line under the search box (wrapped, never cut)."""
        if hint == self._hint:
            return  # most keys keep the hint (or its absence): no layout pass for them
        self._hint = hint
        for line in self.query("#search-hint").results(Static):
            line.update(hint or "")
            line.display = bool(hint)

    @on(RowsLoader.Counted)
    def _counted(self, message: RowsLoader.Counted) -> None:
        rows = self.rows
        if rows is None:
            return
        rows.counting = False
        rows.matches, rows.more = (COUNT_CAP, True) if message.total is None else (message.total, False)
        self._update_status()

    def _update_status(self) -> None:
        if self.rows is not None:
            text = status_text(view_label(self.view, self.tag), self.rows)
            self.query_one("#status", Static).update(text, layout=False)

"""Loading the paper list of a screen: the view, the search and the worker that fills it.

A key in the search bar searches at once when no search is running. While one
runs, the newest text waits for it (its rows are still newer than those shown)
and is searched the moment it lands; a search that is slow to land is cut off
instead. Rows reach the screen with their first screen of papers already read,
so the frame that shows them needs no query on the UI thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

from textual import on, work
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from readinglist.core.errors import ReadingListError
from readinglist.core.models import Paper, View
from readinglist.core.search.run import COUNT_CAP
from readinglist.ui.rows import Rows, RowsRequest, Superseded, status_text, view_label
from readinglist.ui.widgets.paper_list import PaperList
from readinglist.ui.widgets.search_bar import SearchBar

if TYPE_CHECKING:
    from readinglist.ui.app import ReadingListApp

SLOW_SEARCH_S = 0.1
"""A search still running this long after it started is cut off by the next key;
a quicker one is let finish, and the newest text is searched right after it."""


BUSY_AFTER_S = 0.1
"""A search or view still loading this long after it started says so in the status line."""

KEYS_QUIET_S = 0.25
"""Reading ahead pauses until no key has arrived for this long (see ``BackgroundLibrary.warm``)."""

FRAME_WAIT_S = 0.1
"""How long the worker waits for the frame showing its rows before counting or reading ahead."""


class ListingScreen(Screen[None]):
    """A screen with a ``PaperList``, a ``SearchBar`` and a ``#status`` line, filled in a worker."""

    def __init__(self) -> None:
        """No rows yet: :meth:`reload` starts loading them."""
        super().__init__()
        self.view = View.ALL
        self.tag: str | None = None
        self.rows: Rows | None = None
        self._seq = 0
        self._fetch_error = ""
        self._busy_timer: Timer | None = None
        self._searching: int | None = None
        """The ``_seq`` of the search running now, if any."""
        self._searching_since = 0.0
        self._query_pending = False
        self._shown_seq = 0

    @property
    def rl_app(self) -> ReadingListApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

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

    @on(SearchBar.QueryChanged)
    def _query_changed(self) -> None:
        if self._searching is not None and time.monotonic() - self._searching_since < SLOW_SEARCH_S:
            self._query_pending = True  # searched as soon as the running search lands
            return
        self.reload()

    def _search_landed(self, seq: int) -> None:
        if seq == self._searching:
            self._searching = None
            if self._query_pending:
                self.reload()

    def reload(self, *, keep_cursor: bool = False, seed: bool = False) -> None:
        """Reload the list for the current view, tag and query in a worker."""
        self._seq += 1
        self._query_pending = False
        self.rl_app.background.interrupt()
        query = self.query_one("#search", Input).value
        label = view_label(self.view, self.tag)
        if self._busy_timer is not None:
            self._busy_timer.stop()
        self._searching = self._seq if query.strip() else None
        self._searching_since = time.monotonic()
        if not keep_cursor:
            # A slow search or view (a full scan on a big library) says so instead of
            # showing the last counts; quick ones never flash. Saying it at once cost
            # every key an extra frame in the middle of its search (GIL and frame slot).
            busy = f'{label} · searching "{query.strip()}"…' if query.strip() else f"{label} · loading…"
            self._busy_timer = self.set_timer(BUSY_AFTER_S, partial(self._say_busy, self._seq, busy))
        # The list's first screen and a little more, read along with the rows.
        prefetch = max(20, self.query_one(PaperList).scrollable_content_region.height + 10)
        self._load(self._seq, RowsRequest(self.view, self.tag, query), keep_cursor, seed, prefetch)

    @work(thread=True, exclusive=True, group="rows", description="Loading the list", exit_on_error=False)
    def _load(self, seq: int, request: RowsRequest, keep_cursor: bool, seed: bool, prefetch: int) -> None:
        worker = get_current_worker()
        background = self.rl_app.background
        try:
            seeded = background.seed() if seed else None
            if not request.query.strip() and not keep_cursor:
                # Show a screenful at once; a big view's full id list follows.
                head = background.first_page(request)
                head.seeded, seeded = seeded, None
                if worker.is_cancelled:
                    return
                self.app.call_from_thread(self._show_rows, seq, head, False)
                if not head.partial:
                    return
                keep_cursor = True
            rows = background.load(request, lambda: worker.is_cancelled, prefetch)
        except Superseded:
            return
        except ReadingListError as exc:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._load_failed, seq, str(exc))
            return
        rows.seeded = seeded
        if worker.is_cancelled:
            return
        drawn = threading.Event()
        self.app.call_from_thread(self._show_rows, seq, rows, keep_cursor, drawn)
        # Reading ahead and counting hold the GIL for milliseconds at a time: started
        # at once, they slowed the frame that shows these rows (median 10.5 ms
        # instead of 8.3 at 100k papers). They start once it is drawn.
        drawn.wait(FRAME_WAIT_S)
        if not request.query.strip():
            # The worker is idle until the next key: search every first letter
            # ahead, and read the newest papers the next letters rank.
            background.warm(request, lambda: worker.is_cancelled, self._keys_active)
        if rows.counting:
            try:
                total = background.count(request, lambda: worker.is_cancelled)
            except (Superseded, ReadingListError):
                return  # the rows stand; their status says "N+ match"
            if worker.is_cancelled:
                return
            self.app.call_from_thread(self._counted, seq, total)
        if request.query.strip() and request.query[-1:].isspace():
            # A word was just completed: its first letter is the slowest key to search.
            # (Keys typed meanwhile cancel it: it must not wait for a quiet keyboard.)
            background.warm(request, lambda: worker.is_cancelled)

    def _keys_active(self) -> bool:
        """Whether a key arrived in the last ``KEYS_QUIET_S`` (from any thread)."""
        return time.monotonic() - self.rl_app.last_key_at < KEYS_QUIET_S

    def _say_busy(self, seq: int, text: str) -> None:
        # A timer that fired just before its rows landed may still run after them: check.
        if seq == self._seq and self._shown_seq != seq:
            self.query_one("#status", Static).update(text, layout=False)

    def _load_failed(self, seq: int, message: str) -> None:
        self.notify(message, severity="error", markup=False)
        self._search_landed(seq)

    def _show_rows(
        self, seq: int, rows: Rows, keep_cursor: bool, drawn: threading.Event | None = None
    ) -> None:
        if rows.seeded is not None:
            self.notify(
                f"New library: imported the bundled sample ({rows.seeded.summary()}).", title="Welcome"
            )
        if seq != self._seq:
            if drawn is not None:
                drawn.set()
            return  # a newer request is on its way
        if self._busy_timer is not None:
            self._busy_timer.stop()
            self._busy_timer = None
        self._shown_seq = seq
        self.rows = rows
        papers = self.query_one(PaperList)
        papers.empty_text = "No papers match." if rows.request.query.strip() else "No papers in this view."
        keep = papers.current_id if keep_cursor else None
        title_spans = {pid: s.get("title", []) for pid, s in rows.spans.items()}
        if not keep_cursor:
            papers.cursor = 0
        papers.set_rows(rows.ids, title_spans, keep_id=keep, papers=rows.papers)
        if drawn is not None:
            papers.after_drawn(drawn.set)
        # The status line follows in the next frame: it spans the screen's width, so
        # redrawing it with the list would redraw the side panes' rows too (6-8 ms of
        # the frame the user waits for).
        self.call_after_refresh(self._update_status)
        self.rows_shown()
        self._search_landed(seq)

    def _counted(self, seq: int, total: int | None) -> None:
        rows = self.rows
        if seq != self._shown_seq or rows is None:
            return
        rows.counting = False
        rows.matches, rows.more = (COUNT_CAP, True) if total is None else (total, False)
        self._update_status()

    def _update_status(self) -> None:
        if self.rows is not None:
            text = status_text(view_label(self.view, self.tag), self.rows)
            self.query_one("#status", Static).update(text, layout=False)

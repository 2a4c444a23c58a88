"""The one widget that loads the paper list's rows: it owns the search session and its worker.

A screen asks it for rows (:meth:`RowsLoader.load`, or :meth:`RowsLoader.search`
for a query being typed) and hears typed messages back: ``Started``,
``Busy``, ``Seeded``, ``Loaded``, ``Failed`` and ``Counted``. The worker
thread posts them (``post_message`` is thread-safe) and never touches a
widget; this widget drops the ones a newer request made stale before they
bubble up, so a screen only ever sees rows newer than those it shows.

A key in the search bar searches at once when no search is running. While one
runs, the newest text waits for it (its rows are still newer than those shown)
and is searched the moment it lands; a search that is slow to land is cut off
instead. Rows arrive with their first screen of papers already read, so the
frame that shows them needs no query on the UI thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from textual import on, work
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.worker import get_current_worker

from readinglist.core.errors import ReadingListError
from readinglist.core.models import ImportReport
from readinglist.core.search.session import PREFETCH, Rows, RowsRequest, SearchSession, Superseded

SLOW_SEARCH_S = 0.1
"""A search still running this long after it started is cut off by the next key;
a quicker one is let finish, and the newest text is searched right after it."""

BUSY_AFTER_S = 0.1
"""A search or view still loading this long after it started says so (``Busy``)."""

KEYS_QUIET_S = 0.25
"""Reading ahead pauses until no key has arrived for this long (see ``SearchSession.warm``)."""

FRAME_WAIT_S = 0.1
"""How long the worker waits for the frame showing its rows before going on."""


class RowsLoader(Widget):
    """Loads rows in a worker and posts what it found; shows nothing (``styles/main.tcss``).

    Args:
        library_path: The library to open a second connection to.
        last_key_at: When the last key arrived (``time.monotonic``): reading
            ahead waits for a quiet keyboard.
        id: The widget id.
    """

    class Started(Message):
        """A load began; it supersedes every earlier one."""

        def __init__(self, request: RowsRequest) -> None:
            super().__init__()
            self.request = request

    class Busy(Message):
        """The load of ``request`` has run for ``BUSY_AFTER_S`` and goes on."""

        def __init__(self, request: RowsRequest) -> None:
            super().__init__()
            self.request = request

    class Seeded(Message):
        """A never-used library was filled with the bundled sample."""

        def __init__(self, report: ImportReport) -> None:
            super().__init__()
            self.report = report

    class _Landed(Message):
        """A load's answer, tagged with the request it answers."""

        def __init__(self, generation: int) -> None:
            super().__init__()
            self.generation = generation

    class Loaded(_Landed):
        """New rows to show (the newest request's, or on their way to them).

        The worker waits (up to ``FRAME_WAIT_S``) until ``drawn`` is set
        before it counts or reads ahead: set it once the rows are on screen.
        """

        def __init__(self, generation: int, rows: Rows, keep_cursor: bool) -> None:
            super().__init__(generation)
            self.rows = rows
            self.keep_cursor = keep_cursor
            self.drawn = threading.Event()

    class Failed(_Landed):
        """The library could not be read."""

        def __init__(self, generation: int, error: str) -> None:
            super().__init__(generation)
            self.error = error

    class Counted(_Landed):
        """The matches of the rows shown are counted: ``total``, or None beyond ``COUNT_CAP``."""

        def __init__(self, generation: int, total: int | None) -> None:
            super().__init__(generation)
            self.total = total

    def __init__(
        self, library_path: Path, last_key_at: Callable[[], float], *, id: str | None = None
    ) -> None:
        """Nothing is read until the first :meth:`load`."""
        super().__init__(id=id)
        self.session = SearchSession(library_path)
        self._last_key_at = last_key_at
        self._generation = 0
        self._shown = 0
        self._searching: int | None = None
        """The generation of the search running now, if any."""
        self._searching_since = 0.0
        self._pending: tuple[RowsRequest, int] | None = None
        self._busy_timer: Timer | None = None

    @property
    def searching(self) -> bool:
        """Whether a search (not a plain view) was started and has not landed yet."""
        return self._searching is not None

    def load(
        self, request: RowsRequest, *, keep_cursor: bool = False, seed: bool = False, prefetch: int = PREFETCH
    ) -> None:
        """Load ``request`` now, superseding any load still running.

        Args:
            request: What to show.
            keep_cursor: The same list again (after a write): show nothing
                partial first, and say nothing while it loads.
            seed: First fill a never-used library with the sample.
            prefetch: How many of the first rows' papers to read along.
        """
        self._generation += 1
        self._pending = None
        # The running search's statement stops at once: the lock is free for this one.
        self.session.interrupt()
        if self._busy_timer is not None:
            self._busy_timer.stop()
            self._busy_timer = None
        self._searching = self._generation if request.query.strip() else None
        self._searching_since = time.monotonic()
        if not keep_cursor:
            # A slow search or view says so instead of showing the last counts; quick
            # ones never flash. Saying it at once cost every key an extra frame in the
            # middle of its search (GIL and frame slot).
            self._busy_timer = self.set_timer(BUSY_AFTER_S, partial(self._busy, self._generation, request))
        self.post_message(self.Started(request))
        self._load(self._generation, request, keep_cursor, seed, prefetch)

    def search(self, request: RowsRequest, prefetch: int = PREFETCH) -> None:
        """Load a query just typed: now, or the moment a search that started lately lands."""
        if self._searching is not None and time.monotonic() - self._searching_since < SLOW_SEARCH_S:
            self._pending = (request, prefetch)
            return
        self.load(request, prefetch=prefetch)

    def _busy(self, generation: int, request: RowsRequest) -> None:
        # A timer that fired just before its rows landed may still run after them: check.
        if generation == self._generation and self._shown != generation:
            self.post_message(self.Busy(request))

    def _landed(self, generation: int) -> None:
        """The search of ``generation`` is over: search the text typed meanwhile."""
        if generation == self._searching:
            self._searching = None
            if self._pending is not None:
                request, prefetch = self._pending
                self.load(request, prefetch=prefetch)

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.generation != self._generation:
            message.stop()  # a newer request is on its way
            message.drawn.set()
            return
        if self._busy_timer is not None:
            self._busy_timer.stop()
            self._busy_timer = None
        self._shown = message.generation
        self._landed(message.generation)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self._landed(message.generation)

    @on(Counted)
    def _counted(self, message: Counted) -> None:
        if message.generation != self._shown:
            message.stop()

    @work(thread=True, exclusive=True, group="rows", description="Loading the list", exit_on_error=False)
    def _load(
        self, generation: int, request: RowsRequest, keep_cursor: bool, seed: bool, prefetch: int
    ) -> None:
        worker = get_current_worker()
        session = self.session

        def cancelled() -> bool:
            return worker.is_cancelled

        try:
            if seed and (report := session.seed()) is not None:
                self.post_message(self.Seeded(report))
            if not request.query.strip() and not keep_cursor:
                # Show a screenful at once; a big view's full id list follows.
                head = session.first_page(request)
                if cancelled() or not self._deliver(self.Loaded(generation, head, False)) or not head.partial:
                    return
                keep_cursor = True
            rows = session.load(request, cancelled, prefetch)
        except Superseded:
            return
        except ReadingListError as exc:
            if not cancelled():
                self.post_message(self.Failed(generation, str(exc)))
            return
        if cancelled() or not self._deliver(self.Loaded(generation, rows, keep_cursor)):
            return
        if not request.query.strip():
            # The worker is idle until the next key: search every first letter
            # ahead, and read the newest papers the next letters rank.
            session.warm(request, cancelled, self._keys_active)
        if rows.counting:
            try:
                total = session.count(request, cancelled)
            except (Superseded, ReadingListError):
                return  # the rows stand; their status says "N+ match"
            if not cancelled():
                self.post_message(self.Counted(generation, total))
        if request.query.strip() and request.query[-1:].isspace():
            # A word was just completed: its first letter is the slowest key to search.
            # (Keys typed meanwhile cancel it: it must not wait for a quiet keyboard.)
            session.warm(request, cancelled)

    def _deliver(self, message: Loaded) -> bool:
        """Post rows and wait for the frame that shows them; False if the widget is gone."""
        if not self.post_message(message):
            return False
        # Reading ahead and counting hold the GIL for milliseconds at a time: started
        # at once, they slowed the frame that shows these rows (median 10.5 ms
        # instead of 8.3 at 100k papers). They start once it is drawn.
        message.drawn.wait(FRAME_WAIT_S)
        return True

    def _keys_active(self) -> bool:
        """Whether a key arrived in the last ``KEYS_QUIET_S`` (from any thread)."""
        return time.monotonic() - self._last_key_at() < KEYS_QUIET_S

    def on_unmount(self) -> None:
        """Close the session's connection (a running search is interrupted first)."""
        self.session.close()

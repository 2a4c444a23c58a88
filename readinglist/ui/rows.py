"""Loading the rows of the list off the UI thread.

The worker gets its own connection (SQLite connections belong to one thread)
opened lazily with ``threadsafe=True``, and a lock serialises it, because each
exclusive worker runs on a new thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from readinglist.core import sample
from readinglist.core.errors import ReadingListError
from readinglist.core.models import ImportReport, Paper, View
from readinglist.core.search import SearchCache, SearchEngine
from readinglist.core.store import Library

Span = tuple[int, int]
SEARCH_LIMIT = 200
FIRST_PAGE = 200
"""Rows shown before a whole view's ids are loaded (1M ids take about a second)."""
WARM_MATCHES = 1_000
"""Matches of a query's complete words read for its next word (30-80 ms at 100k)."""
PAUSE_S = 0.002
"""How often paused reading ahead looks whether it may go on (or must stop)."""
PREFETCH = 80
"""Papers read along with the ids, so drawing the list's first screen (and a
margin) needs no query on the UI thread while the user waits for it; callers
that know the list's height ask for that instead (each paper costs ~40 µs of
the search's time)."""


class Superseded(Exception):
    """A newer request replaced this one before it ran."""


@dataclass(frozen=True)
class RowsRequest:
    """What the list should show."""

    view: View = View.ALL
    tag: str | None = None
    query: str = ""
    keep_id: int | None = None
    """Keep the cursor on this paper if it is still listed."""


@dataclass
class Rows:
    """The answer to a :class:`RowsRequest`."""

    request: RowsRequest
    ids: list[int]
    view_count: int
    """How many papers the view holds (without the search)."""
    matches: int | None = None
    """How many papers match the search (None without a query)."""
    more: bool = False
    """More papers than ``matches`` match (not counted yet, or beyond ``COUNT_CAP``)."""
    counting: bool = False
    """The matches are still being counted (:meth:`BackgroundLibrary.count` follows)."""
    spans: dict[int, dict[str, list[Span]]] = field(default_factory=dict)
    hint: str | None = None
    seeded: ImportReport | None = None
    partial: bool = False
    """Only the first page of the view: the rest is still loading."""
    papers: list[Paper] = field(default_factory=list)
    """The papers of the first rows (up to ``PREFETCH``), read with the ids."""


class BackgroundLibrary:
    """A second connection to the library for worker threads."""

    def __init__(self, path: Path) -> None:
        """Remember the path; the connection opens on first use."""
        self.path = path
        self.lock = threading.Lock()
        self._library: Library | None = None
        self._seeding = False
        self._counts: dict[tuple[View, str | None], tuple[tuple[int, int], int]] = {}
        self._search_cache = SearchCache()  # what one key's search read, for the next key's

    def _lib(self) -> Library:
        if self._library is None:
            self._library = Library(self.path, threadsafe=True)
        return self._library

    def seed(self) -> ImportReport | None:
        """Fill a never-used library with the bundled sample (once)."""
        with self.lock:
            self._seeding = True
            try:
                return sample.seed_if_new(self._lib())
            finally:
                self._seeding = False

    def first_page(self, request: RowsRequest) -> Rows:
        """The first rows of a view (no search), cheap at any library size."""
        with self.lock:
            papers = self._lib().papers(request.view, request.tag, limit=FIRST_PAGE)
        ids = [paper.id for paper in papers]
        return Rows(
            request, ids, view_count=len(ids), partial=len(ids) == FIRST_PAGE, papers=papers[:PREFETCH]
        )

    def load(
        self, request: RowsRequest, cancelled: Callable[[], bool] = lambda: False, prefetch: int = PREFETCH
    ) -> Rows:
        """The ids (and match spans) for ``request``.

        Args:
            request: What to load.
            cancelled: Checked once the lock is ours: requests superseded while
                they waited for it are dropped instead of run one after another.
            prefetch: How many of the first rows' papers to read along.

        Raises:
            Superseded: if ``cancelled()`` was true once the lock was ours.
            ReadingListError: if the library cannot be read.
        """
        with self.lock:
            if cancelled():
                raise Superseded
            lib = self._lib()
            if not request.query.strip():
                ids = lib.ids(request.view, request.tag)
                return Rows(request, ids, view_count=len(ids), papers=lib.get_many(ids[:prefetch]))
            # Counting every match (up to COUNT_CAP) is a third of a word-prefix search
            # at 100k papers: the rows come first, the count follows (see count()).
            result = SearchEngine(lib, self._search_cache).search(
                request.query, limit=SEARCH_LIMIT, view=request.view, tag=request.tag, count=False
            )
            ids = [hit.paper_id for hit in result.hits]
            view_count = self._count(lib, request.view, request.tag)
            # The search just synced the cache with the library: its papers are current.
            papers = self._search_cache.papers(ids[:prefetch], lib.get_many)
        spans = {hit.paper_id: hit.spans for hit in result.hits}
        total = result.total if result.total is not None else len(ids)
        return Rows(
            request,
            ids,
            view_count=view_count,
            matches=total,
            more=result.total is None,
            counting=result.countable,
            spans=spans,
            hint=result.hint,
            papers=papers,
        )

    def warm(
        self,
        shown: RowsRequest,
        cancelled: Callable[[], bool] = lambda: False,
        keys_active: Callable[[], bool] = lambda: False,
    ) -> None:
        """Read (and search) what the next keys will need into the search cache while nothing else runs.

        Args:
            shown: The rows just shown. Without a query: every one-letter
                search in its view is run ahead, and the newest papers read.
                With one whose words are complete (it ends with a space): its
                newest matches are read, among which the next word's first
                letter finds its candidates.
            cancelled: Checked between small batches and every 10,000 SQLite
                steps: true once a key was typed, whose search then waits a
                few milliseconds at most.
            keys_active: True while keys are being pressed (cursor moves,
                scrolling): the reading ahead pauses between batches until
                they stop, since it shares the GIL with their frames (a cursor
                key's frame took a median 10.5 ms instead of 5.6, once 41 ms).

        A failure only means colder searches, so it is not raised.
        """

        def stop() -> bool:
            while keys_active() and not cancelled():
                time.sleep(PAUSE_S)
            return cancelled()

        with self.lock:
            if cancelled():
                return
            lib = self._lib()
            engine = SearchEngine(lib, self._search_cache)
            try:
                with _stoppable(lib, cancelled):
                    if not shown.query.strip():
                        engine.warm(stop=stop, view=shown.view, tag=shown.tag, limit=SEARCH_LIMIT)
                    else:
                        engine.warm(WARM_MATCHES, stop, shown.query, shown.view, shown.tag, SEARCH_LIMIT)
            except ReadingListError:
                pass  # interrupted by a key, or unreadable: the key's own search will say

    def count(self, request: RowsRequest, cancelled: Callable[[], bool] = lambda: False) -> int | None:
        """How many papers match ``request``'s search, up to ``COUNT_CAP`` (None beyond).

        Raises:
            Superseded: if ``cancelled()`` turned true before or while counting.
            ReadingListError: if the library cannot be read.
        """
        with self.lock:
            if cancelled():
                raise Superseded
            lib = self._lib()
            # A key typed meanwhile stops the count at once: its search waits for this lock.
            try:
                with _stoppable(lib, cancelled):
                    engine = SearchEngine(lib, self._search_cache)  # the search's word expansions, at hand
                    return engine.count(request.query, view=request.view, tag=request.tag)
            except ReadingListError:
                if cancelled():
                    raise Superseded from None
                raise

    def _count(self, lib: Library, view: View, tag: str | None) -> int:
        """``lib.count``, remembered until the library changes (it costs 2-8 ms a search at 100k)."""
        # data_version moves when another connection commits; total_changes when this one writes.
        with lib.errors():
            version = (int(lib.conn.execute("PRAGMA data_version").fetchone()[0]), lib.conn.total_changes)
        known = self._counts.get((view, tag))
        if known is not None and known[0] == version:
            return known[1]
        count = lib.count(view, tag)
        self._counts[(view, tag)] = (version, count)
        return count

    def interrupt(self) -> None:
        """Abort the query a superseded worker is running (safe from any thread).

        Exclusive workers cannot stop a thread, but SQLite can stop its statement:
        the stale worker then fails fast and releases the lock for the new one.
        """
        library = self._library
        # Never abort the one-time sample import: it would roll back to an empty library.
        if library is not None and not self._seeding:
            library.conn.interrupt()

    def close(self) -> None:
        """Close the connection (from any thread: it was opened thread-safe)."""
        self.interrupt()  # a long search would otherwise hold the lock, and quitting, for seconds
        with self.lock:
            if self._library is not None:
                self._library.close()
                self._library = None


@contextmanager
def _stoppable(lib: Library, cancelled: Callable[[], bool]) -> Iterator[None]:
    """Abort the library's running statement once ``cancelled()`` turns true (checked every 10,000 steps)."""
    lib.conn.set_progress_handler(cancelled, 10_000)
    try:
        yield
    finally:
        lib.conn.set_progress_handler(None, 0)


_VIEW_LABELS = {
    View.ALL: "All",
    View.QUEUE: "Queue",
    View.STARRED: "Starred",
    View.UNREAD: "Unread",
    View.READ: "Read",
}


def view_label(view: View, tag: str | None) -> str:
    """How the status line names a view: ``Queue``, or ``#rag`` for a tag's view."""
    return f"#{tag}" if tag else _VIEW_LABELS[view]


def status_text(label: str, rows: Rows) -> str:
    """The status line: ``All · 220 papers`` or ``All · 220 · 14 match "speculative"``."""
    if rows.partial:
        return f"{label} · counting…"
    if rows.matches is None:
        return f"{label} · {rows.view_count} {'paper' if rows.view_count == 1 else 'papers'}"
    more = "+" if rows.more else ""
    text = f'{label} · {rows.view_count} · {rows.matches}{more} match "{rows.request.query.strip()}"'
    if rows.more or rows.matches > len(rows.ids):
        text += f" (best {len(rows.ids)} shown)"
    if rows.hint:
        text += f" · {rows.hint}"
    return text

"""A search session: the list's rows (a view, a search) read off the UI thread.

A :class:`SearchSession` is what the TUI's worker threads use, but it knows
nothing of Textual: it has its own connection (SQLite connections belong to
one thread) opened lazily with ``threadsafe=True``, and a lock serialises it,
because each exclusive worker runs on a new thread. It loads a view or a
search (:meth:`SearchSession.load`), counts a search's matches afterwards
(:meth:`SearchSession.count`), reads ahead what the next keys will search
(:meth:`SearchSession.warm`), and holds the :class:`SearchCache` that makes
one key's search cheap for the next.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from readinglist.core.errors import ReadingListError
from readinglist.core.models import ImportReport, Paper, View
from readinglist.core.search.results import Span
from readinglist.core.store import Library

if TYPE_CHECKING:
    # Loaded by the first search, in the worker: the app's first frame never waits for them.
    from readinglist.core.search.cache import SearchCache
    from readinglist.core.search.engine import SearchEngine
    from readinglist.core.semantic.discovery import Discovery
    from readinglist.core.semantic.model import Embedder

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
    """The matches are still being counted (:meth:`SearchSession.count` follows)."""
    spans: dict[int, dict[str, list[Span]]] = field(default_factory=dict)
    hint: str | None = None
    partial: bool = False
    """Only the first page of the view: the rest is still loading."""
    papers: list[Paper] = field(default_factory=list)
    """The papers of the first rows (up to ``PREFETCH``), read with the ids."""
    words: int | None = None
    """How many of ``ids`` matched the words; those after were found by meaning (None: no search)."""


class MeaningModel(Protocol):
    """The app's embedding model, loaded in a worker (``embedder`` is None until then)."""

    embedder: Embedder | None


class SearchSession:
    """A second connection to the library, for worker threads, and what its searches keep."""

    def __init__(self, path: Path) -> None:
        """Remember the path; the connection opens on first use."""
        self.path = path
        self.lock = threading.Lock()
        self._library: Library | None = None
        self._seeding = False
        self._search_cache: SearchCache | None = None
        self.semantic: MeaningModel | None = None
        """The app's model: once loaded, searches fill in papers found by meaning."""
        self._discovery: Discovery | None = None

    def _lib(self) -> Library:
        if self._library is None:
            self._library = Library(self.path, threadsafe=True)
        return self._library

    @property
    def search_cache(self) -> SearchCache:
        """What one key's search read, for the next key's (use it under :attr:`lock`)."""
        if self._search_cache is None:
            from readinglist.core.search.cache import SearchCache

            self._search_cache = SearchCache()
        return self._search_cache

    def _engine(self, lib: Library) -> SearchEngine:
        from readinglist.core.search.engine import SearchEngine

        return SearchEngine(lib, self.search_cache)

    def seed(self) -> ImportReport | None:
        """Fill a never-used library with the bundled sample (once)."""
        # Imported here, in the worker, after the first frame: the import pipeline
        # (formats, matching) is a tenth of a second of the app's start-up otherwise.
        from readinglist.core import sample

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
            from readinglist.core.semantic import fusion

            meaning = self._meaning(lib)
            fused = fusion.search(
                lib,
                request.query,
                SEARCH_LIMIT,
                request.view,
                request.tag,
                False,
                self._engine(lib),
                meaning,
                meaning is not None,
            )
            result = fused.result
            ids = [hit.paper_id for hit in result.hits]
            view_count = self._count(lib, request.view, request.tag)
            # The search just synced the cache with the library: its papers are current.
            papers = self.search_cache.papers(ids[:prefetch], lib.get_many)
        spans = {hit.paper_id: hit.spans for hit in result.hits}
        # Papers found by meaning do not match the words: they are not counted as matches.
        total = result.total if result.total is not None else fused.words
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
            words=fused.words,
        )

    def warm_meaning(self) -> None:
        """Read the library's vectors for meaning search now (1-2 s at 100k), not on a key."""
        with self.lock:
            discovery = self._meaning(self._lib())
            if discovery is not None:
                try:
                    discovery.matrix  # noqa: B018 - reading it loads it
                except ReadingListError:
                    pass  # the next search says what is wrong

    def _meaning(self, lib: Library) -> Discovery | None:
        """Meaning search on this connection, once the app's model has loaded (never waits for it)."""
        semantic = self.semantic
        if semantic is None or semantic.embedder is None:
            return None
        if self._discovery is None or self._discovery.library is not lib:
            from readinglist.core.semantic.discovery import Discovery

            self._discovery = Discovery(lib, semantic.embedder)
        return self._discovery

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
            engine = self._engine(lib)
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
                    engine = self._engine(lib)  # the search's word expansions, at hand
                    return engine.count(request.query, view=request.view, tag=request.tag)
            except ReadingListError:
                if cancelled():
                    raise Superseded from None
                raise

    def _count(self, lib: Library, view: View, tag: str | None) -> int:
        """``lib.count``, kept by the search cache (it costs 2-8 ms a search at 100k papers)."""
        cache = self.search_cache
        with lib.errors():
            cache.sync(lib.conn)
        return cache.memo(("view count", view, tag), lambda: lib.count(view, tag))

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

"""Loading the rows of the list off the UI thread.

The worker gets its own connection (SQLite connections belong to one thread)
opened lazily with ``threadsafe=True``, and a lock serialises it, because each
exclusive worker runs on a new thread.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from readinglist.core import importer
from readinglist.core.models import ImportReport, View
from readinglist.core.search import SearchEngine
from readinglist.core.store import Library

Span = tuple[int, int]
SEARCH_LIMIT = 200


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
    spans: dict[int, dict[str, list[Span]]] = field(default_factory=dict)
    hint: str | None = None
    seeded: ImportReport | None = None


class BackgroundLibrary:
    """A second connection to the library for worker threads."""

    def __init__(self, path: Path) -> None:
        """Remember the path; the connection opens on first use."""
        self.path = path
        self.lock = threading.Lock()
        self._library: Library | None = None

    def _lib(self) -> Library:
        if self._library is None:
            self._library = Library(self.path, threadsafe=True)
        return self._library

    def seed(self) -> ImportReport | None:
        """Fill a never-used library with the bundled sample (once)."""
        with self.lock:
            return importer.seed_if_new(self._lib())

    def load(self, request: RowsRequest) -> Rows:
        """The ids (and match spans) for ``request``.

        Raises:
            ReadingListError: if the library cannot be read.
        """
        with self.lock:
            lib = self._lib()
            if not request.query.strip():
                ids = lib.ids(request.view, request.tag)
                return Rows(request, ids, view_count=len(ids))
            result = SearchEngine(lib).search(
                request.query, limit=SEARCH_LIMIT, view=request.view, tag=request.tag
            )
            view_count = lib.count(request.view, request.tag)
        ids = [hit.paper_id for hit in result.hits]
        spans = {hit.paper_id: hit.spans for hit in result.hits}
        total = result.total if result.total is not None else len(ids)
        return Rows(request, ids, view_count=view_count, matches=total, spans=spans, hint=result.hint)

    def close(self) -> None:
        """Close the connection (from any thread: it was opened thread-safe)."""
        with self.lock:
            if self._library is not None:
                self._library.close()
                self._library = None

"""The app's side of finding papers by meaning: the shared model, the indexing worker's loop.

The model loads once per app, in a worker (about half a second, plus numpy):
never on the UI thread and never before the first frame. Until it has
loaded, searches show word matches only; nothing waits for it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from readinglist.core.errors import ReadingListError

if TYPE_CHECKING:
    from readinglist.core.semantic.discovery import Discovery, Ranked
    from readinglist.core.semantic.index import IndexProgress
    from readinglist.core.semantic.model import Embedder
    from readinglist.core.store import Library

INDEX_BATCH = 100
"""Papers embedded per transaction in the app: small, so typing never waits long for the GIL."""
PAUSE_S = 0.01
"""How often paused indexing looks whether the keyboard went quiet."""


class SemanticModel:
    """The model shared by the app's workers, and a connection of its own for related papers.

    Args:
        path: The library file (each worker thread uses its own connection).
    """

    def __init__(self, path: Path) -> None:
        """Nothing loads until :meth:`load` (in a worker)."""
        self.path = path
        self.embedder: Embedder | None = None
        self.error: str | None = None
        self._load_lock = threading.Lock()
        self._lock = threading.Lock()
        self._library: Library | None = None
        self._discovery: Discovery | None = None

    @property
    def ready(self) -> bool:
        """Whether the model has loaded (searches then add meaning results)."""
        return self.embedder is not None

    def load(self) -> Embedder:
        """Load the model (once; from a worker thread).

        Raises:
            ModelMissing: if the model's package is not installed.
        """
        from readinglist.core.semantic.model import Embedder

        with self._load_lock:
            if self.embedder is None:
                self.embedder = Embedder()
            return self.embedder

    def index(
        self,
        progress: Callable[[IndexProgress], None],
        stop: Callable[[], bool],
        keys_active: Callable[[], bool],
    ) -> int:
        """Embed new and changed papers on a connection of its own; pauses while keys are pressed.

        Raises:
            ModelMissing: if the model's package is not installed.
            LibraryError: if the library cannot be written.
        """
        from readinglist.core.semantic.index import embed_pending
        from readinglist.core.store import Library

        embedder = self.load()

        def halt() -> bool:
            while keys_active() and not stop():
                time.sleep(PAUSE_S)
            return stop()

        with Library(self.path) as lib:
            if lib.read_only is not None:
                return 0
            return embed_pending(lib, embedder, progress=progress, stop=halt, batch=INDEX_BATCH)

    def _ask(self, question: Callable[[Discovery], Ranked]) -> list[int]:
        from readinglist.core.semantic.discovery import Discovery
        from readinglist.core.store import Library

        embedder = self.load()
        with self._lock:
            if self._library is None:
                self._library = Library(self.path, threadsafe=True)
                self._discovery = Discovery(self._library, embedder)
            assert self._discovery is not None
            return [pid for pid, _ in question(self._discovery)]

    def related(self, paper_id: int, k: int) -> list[int]:
        """The ``k`` papers most like one (from a worker thread; empty if it is not indexed yet)."""
        return self._ask(lambda d: d.related(paper_id, k))

    def suggested(self, k: int) -> list[int]:
        """The ``k`` unread papers most like the starred ones (from a worker thread)."""
        from readinglist.core.models import View

        def ask(d: Discovery) -> Ranked:
            return d.read_next(d.library.ids(View.STARRED), k)

        return self._ask(ask)

    def close(self) -> None:
        """Close the connection (from any thread)."""
        with self._lock:
            if self._library is not None:
                self._library.close()
                self._library = None


def failure(exc: Exception) -> str:
    """A one-line message for a related-papers request that failed."""
    if isinstance(exc, ReadingListError):
        return str(exc)
    return f"finding related papers failed: {exc}"

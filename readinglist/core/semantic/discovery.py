"""Meaning search, related papers and "read next" over one library.

A :class:`Discovery` holds the model and the library's vectors once loaded;
a caller that asks many questions (the app, a benchmark) keeps one. Every
method reads the vectors written since the last call first, so papers
embedded meanwhile (by a background worker) are found at once.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from readinglist.core.semantic.index import embedded_count
from readinglist.core.semantic.model import Embedder, ModelMissing, available, content_words, model_id

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from readinglist.core.semantic.matrix import VectorMatrix
    from readinglist.core.store import Library

Ranked = list[tuple[int, float]]
"""Paper ids with their cosine similarity, best first."""

NOT_INDEXED_HINT = "no paper is indexed for meaning yet: run `readinglist index`"


class Discovery:
    """Finds papers by meaning in one library.

    Args:
        library: The library; used on its connection's thread (or under the caller's lock).
        embedder: A loaded model to share (loaded on first use otherwise).

    The model loads on the first question that needs it, never at
    construction: building a Discovery costs nothing.
    """

    def __init__(self, library: Library, embedder: Embedder | None = None) -> None:
        """Bind to a library."""
        self.library = library
        self._embedder = embedder
        self._matrix: VectorMatrix | None = None

    @staticmethod
    def available() -> bool:
        """Whether the model's package is installed."""
        return available()

    @property
    def embedder(self) -> Embedder:
        """The model, loaded on first use.

        Raises:
            ModelMissing: if its package is not installed.
        """
        if self._embedder is None:
            self._embedder = Embedder()
        return self._embedder

    def has_vectors(self) -> bool:
        """Whether any paper has a vector from the installed model (False without the model)."""
        if not available():
            return False
        if self._matrix is not None:
            return len(self.matrix) > 0  # read already: a refresh costs nothing while nothing changed
        with self.library.errors():
            if not self.library.conn.execute("SELECT EXISTS (SELECT 1 FROM paper_vectors)").fetchone()[0]:
                return False
        try:
            return embedded_count(self.library, model_id()) > 0
        except ModelMissing:
            return False

    @property
    def matrix(self) -> VectorMatrix:
        """The library's vectors, brought up to date.

        Raises:
            ModelMissing: if the model's package is not installed.
        """
        if self._matrix is None:
            from readinglist.core.semantic.matrix import VectorMatrix

            self._matrix = VectorMatrix(model_id(), 256)
        self._matrix.refresh(self.library)
        return self._matrix

    def embed_query(self, text: str) -> NDArray[np.float32]:
        """The unit vector of a description (zero if it has no words)."""
        vector: NDArray[np.float32] = self.embedder.embed([content_words(text)])[0]
        return vector

    def by_meaning(
        self, text: str, k: int, allowed: Collection[int] | None = None, excluded: Collection[int] = ()
    ) -> Ranked:
        """The ``k`` papers whose title and abstract are most like ``text``.

        Args:
            text: A description in plain words.
            k: How many.
            allowed: Only these papers (None for all).
            excluded: Never these papers.
        """
        query = self.embed_query(text)
        matrix = self.matrix
        slots = None if allowed is None else matrix.slots(allowed)
        return matrix.nearest(query, k, allowed=slots, excluded=excluded)

    def related(self, paper_id: int, k: int) -> Ranked:
        """The ``k`` papers most like one paper (never itself); empty if it has no vector yet.

        Paper against paper, the library's mean vector is taken off the query
        first: what every paper of a library shares (all of them are about
        language models, say) then stops deciding what is "like" this one.
        (A description is not centred: it lies apart from the papers, and
        centring it found 24 of 35 quality queries against 30.)
        """
        matrix = self.matrix
        vector = matrix.vector(paper_id)
        if vector is None:
            return []
        return matrix.nearest(_unit(vector - matrix.mean()), k, excluded=(paper_id,))

    def read_next(self, paper_ids: Sequence[int], k: int, skip_read: bool = True) -> Ranked:
        """The ``k`` papers most like a set of papers, outside the set (and not read).

        The set's vectors are averaged: a paper close to many of them ranks
        above one close to a single outlier.
        """
        import numpy as np

        matrix = self.matrix
        slots = matrix.slots(paper_ids)
        if not len(slots):
            return []
        rows = matrix.rows[slots].astype(np.float32) * matrix.scales[slots, None]
        rows /= np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)
        excluded = set(paper_ids)
        if skip_read:
            with self.library.errors():
                excluded.update(
                    r[0] for r in self.library.conn.execute("SELECT id FROM papers WHERE status = 'read'")
                )
        return matrix.nearest(_unit(rows.mean(axis=0) - matrix.mean()), k, excluded=excluded)


def _unit(vector: NDArray[np.float32]) -> NDArray[np.float32]:
    import numpy as np

    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector

"""Keeping the library's vectors up to date: which papers need (re-)embedding, and embedding them.

Vectors live in ``paper_vectors`` (see migration ``m008_paper_vectors``): one
row per paper with the model that computed it, a digest of the text it was
computed from, and the vector as int8 with a scale. A paper needs embedding
when it has no row, when its row is from another model (a model change
re-embeds everything), or when its title or abstract changed: a trigger
queues it in ``vector_dirty`` and its digest decides (an edit that leaves the
text as it was costs nothing). Work is committed in batches, so a run that is
killed keeps what it finished and the next run goes on from there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, NamedTuple

from readinglist.core.semantic.model import Embedder, paper_text

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from readinglist.core.store import Library

BATCH = 500
"""Papers embedded and committed together (about half a second of work)."""

_NEEDS = """
    FROM papers p LEFT JOIN paper_vectors v ON v.paper_id = p.id
    WHERE (v.paper_id IS NULL OR v.model != ? OR p.id IN (SELECT paper_id FROM vector_dirty))
"""


class IndexProgress(NamedTuple):
    """How far an embedding run has got."""

    done: int
    """Papers looked at so far (embedded, or found unchanged)."""
    total: int
    """Papers that needed looking at when the run started."""


def digest(text: str) -> str:
    """A short fingerprint of the text a vector was computed from."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def pending_count(library: Library, model: str) -> int:
    """How many papers need embedding (or a check of their text) for ``model``."""
    with library.errors():
        return int(library.conn.execute(f"SELECT count(*) {_NEEDS}", [model]).fetchone()[0])


def embedded_count(library: Library, model: str) -> int:
    """How many papers have a vector from ``model``."""
    with library.errors():
        row = library.conn.execute("SELECT count(*) FROM paper_vectors WHERE model = ?", [model]).fetchone()
    return int(row[0])


def quantize(vectors: NDArray[np.float32]) -> tuple[NDArray[np.int8], NDArray[np.float32]]:
    """Rows as int8 and one scale per row (``row ~ int8 * scale``): a quarter of float32's size."""
    import numpy as np

    peak = np.abs(vectors).max(axis=1)
    scale = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    return np.round(vectors / scale[:, None]).astype(np.int8), scale


def _batches(library: Library, model: str, size: int) -> Iterator[list[tuple[int, str, str, str | None]]]:
    """The papers to look at, ``size`` at a time, in id order (read afresh each batch)."""
    last = 0
    while True:
        with library.errors():
            rows = library.conn.execute(
                f"SELECT p.id, p.title, p.abstract, CASE WHEN v.model = ? THEN v.digest END {_NEEDS} "
                "AND p.id > ? ORDER BY p.id LIMIT ?",
                [model, model, last, size],
            ).fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def embed_pending(
    library: Library,
    embedder: Embedder | None = None,
    progress: Callable[[IndexProgress], None] | None = None,
    stop: Callable[[], bool] = lambda: False,
    batch: int = BATCH,
) -> int:
    """Embed every paper that needs it, committing each batch; returns how many were embedded.

    Args:
        library: The library (writable).
        embedder: The model (loaded here if None).
        progress: Called after each batch.
        stop: Checked between batches: a caller can end the run early and
            keep what was done.
        batch: Papers per transaction.

    Raises:
        ModelMissing: if the model's package is missing.
        LibraryError: if the library cannot be written.
    """
    model = embedder or Embedder()
    total = pending_count(library, model.model_id)
    done = embedded = 0
    if progress is not None:
        progress(IndexProgress(0, total))
    for rows in _batches(library, model.model_id, batch):
        if stop():
            break
        texts = [paper_text(title, abstract or "") for _, title, abstract, _ in rows]
        digests = [digest(t) for t in texts]
        todo = [k for k, (row, d) in enumerate(zip(rows, digests, strict=True)) if row[3] != d]
        vectors, scales = quantize(model.embed([texts[k] for k in todo]))
        records = [
            (rows[k][0], model.model_id, digests[k], float(scales[j]), vectors[j].tobytes())
            for j, k in enumerate(todo)
        ]
        ids = [(r[0],) for r in rows]
        with library.write() as db:
            stamp = int(db.execute("SELECT coalesce(max(stamp), 0) + 1 FROM paper_vectors").fetchone()[0])
            db.conn.executemany(
                "INSERT OR REPLACE INTO paper_vectors (paper_id, model, digest, scale, vec, stamp) "
                f"VALUES (?, ?, ?, ?, ?, {stamp})",
                records,
            )
            db.conn.executemany("DELETE FROM vector_dirty WHERE paper_id = ?", ids)
        done += len(rows)
        embedded += len(records)
        if progress is not None:
            progress(IndexProgress(min(done, max(total, done)), max(total, done)))
    return embedded

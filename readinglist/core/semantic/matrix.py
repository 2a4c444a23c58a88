"""The library's vectors in memory, and the nearest ones to a query vector.

At 100k papers the int8 rows take 25.6 MB, their sign bits 3.2 MB. A query
first ranks every paper by the Hamming distance between sign bits (popcount
over four 64-bit words per paper), then scores the closest few thousand
exactly with their int8 rows; small libraries are scored exactly outright.
The matrix is read once and then kept up to date by reading only the rows
written since (each batch of vectors carries a larger ``stamp``).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from readinglist.core.store import Library

EXACT_BELOW = 20_000
"""Libraries (or filtered sets) this small are scored exactly, without the sign-bit pass."""
SHORTLIST = 40
"""Papers scored exactly per result asked for (at least ``SHORTLIST_MIN``)."""
SHORTLIST_MIN = 10_000
CHUNK = 10_000
"""Rows converted to float at a time when reading (10 MB)."""


class VectorMatrix:
    """Every vector of one model in a library, as arrays.

    Args:
        model: Only vectors computed by this model are read.
        dim: Their length.
    """

    def __init__(self, model: str, dim: int) -> None:
        """An empty matrix; :meth:`refresh` reads the library."""
        self.model = model
        self.dim = dim
        self.ids: NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self.rows: NDArray[np.int8] = np.zeros((0, dim), dtype=np.int8)
        self.scales: NDArray[np.float32] = np.zeros(0, dtype=np.float32)
        self.bits: NDArray[np.uint64] = np.zeros((dim // 64, 0), dtype=np.uint64)
        self._where: dict[int, int] = {}
        self._stamp = -1
        self._size = 0
        self._sum = np.zeros(dim, dtype=np.float64)
        self._version: tuple[int, int] | None = None
        self._built = False
        """Whether the mean and the sign bits cover every row (built on first need)."""
        self._searches = 0
        self._center = np.zeros(dim, dtype=np.float32)
        """What the sign bits are taken around: the mean vector at the last full read."""

    def __len__(self) -> int:
        return self._size

    @property
    def nbytes(self) -> int:
        """Memory held by the arrays."""
        return sum(a.nbytes for a in (self.ids, self.rows, self.scales, self.bits))

    def refresh(self, library: Library) -> None:
        """Read what was written since the last call (everything the first time, or after deletions)."""
        conn = library.conn
        with library.errors():
            # Nothing written since the last call (by this connection or another): nothing to read.
            version = (int(conn.execute("PRAGMA data_version").fetchone()[0]), conn.total_changes)
            if version == self._version:
                return
            self._version = version
            count, stamp = conn.execute(
                "SELECT count(*), coalesce(max(stamp), 0) FROM paper_vectors WHERE model = ?", [self.model]
            ).fetchone()
            if stamp == self._stamp and count == self._size:
                return
            since = self._stamp if stamp >= self._stamp else -1
            rows = conn.execute(
                "SELECT paper_id, scale, vec FROM paper_vectors WHERE model = ? AND stamp > ?",
                [self.model, since],
            ).fetchall()
        self._merge(rows, fresh=since < 0)
        if self._size != count:  # papers were deleted meanwhile: read everything again
            with library.errors():
                rows = conn.execute(
                    "SELECT paper_id, scale, vec FROM paper_vectors WHERE model = ?", [self.model]
                ).fetchall()
            self._merge(rows, fresh=True)
        self._stamp = stamp

    def _merge(self, rows: list[tuple[int, float, bytes]], fresh: bool) -> None:
        if fresh:
            self._where, self._size = {}, 0
            self._built = False
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        scales = np.fromiter((r[1] for r in rows), dtype=np.float32, count=len(rows))
        vecs = np.frombuffer(b"".join(r[2] for r in rows), dtype=np.int8).reshape(len(rows), self.dim)
        if fresh:  # paper ids are unique: row k goes to slot k
            self._where = dict(zip(ids.tolist(), range(len(rows)), strict=True))
            self._size = len(rows)
            slots = np.arange(len(rows), dtype=np.int64)
        else:
            where = self._where
            slots = np.empty(len(rows), dtype=np.int64)
            for k, pid in enumerate(ids.tolist()):
                slot = where.get(pid)
                if slot is None:
                    slot = where[pid] = self._size
                    self._size += 1
                slots[k] = slot
        self._grow(self._size, keep=not fresh)
        if self._built:
            # Keep the sum behind mean() and the sign bits up to date for these rows: take
            # off the rows replaced (new slots hold zeros), add the new ones.
            for lo in range(0, len(rows), CHUNK):
                part = slots[lo : lo + CHUNK]
                self._sum -= self.scales[part] @ self.rows[part].astype(np.float32)
                self._sum += scales[lo : lo + CHUNK] @ vecs[lo : lo + CHUNK].astype(np.float32)
        self.ids[slots], self.scales[slots], self.rows[slots] = ids, scales, vecs
        if self._built:
            for lo in range(0, len(rows), CHUNK):
                self._set_bits(slots[lo : lo + CHUNK])

    def _set_bits(self, slots: NDArray[np.int64]) -> None:
        # Sign bits of the vectors less the library's mean: raw, most bits are the same
        # for every paper (what they all share), and the shortlist missed a third of the
        # top 50 at 100k papers; centred, it keeps 96% (benchmarks/bench_semantic.py).
        centred = self.rows[slots].astype(np.float32) * self.scales[slots, None] - self._center
        self.bits[:, slots] = np.packbits(centred > 0, axis=1).view(">u8").astype(np.uint64).T

    def _build(self) -> None:
        """The sum behind :meth:`mean` and the sign bits of every row, in chunks (10 MB at a time)."""
        n = self._size
        self._sum[:] = 0
        for lo in range(0, n, CHUNK):
            self._sum += self.scales[lo : lo + CHUNK] @ self.rows[lo : lo + CHUNK].astype(np.float32)
        self._center = (self._sum / max(n, 1)).astype(np.float32)
        for lo in range(0, n, CHUNK):
            self._set_bits(np.arange(lo, min(n, lo + CHUNK)))
        self._built = True

    def _grow(self, size: int, keep: bool) -> None:
        if size <= len(self.ids) and keep:
            return
        cap = max(size, int(len(self.ids) * 1.25) + 256) if keep else size
        ids, rows = np.zeros(cap, dtype=np.int64), np.zeros((cap, self.dim), dtype=np.int8)
        scales, bits = np.zeros(cap, dtype=np.float32), np.zeros((self.dim // 64, cap), dtype=np.uint64)
        if keep:
            n = len(self.ids)
            ids[:n], rows[:n], scales[:n], bits[:, :n] = self.ids, self.rows, self.scales, self.bits
        self.ids, self.rows, self.scales, self.bits = ids, rows, scales, bits

    def mean(self) -> NDArray[np.float32]:
        """The mean of every vector (kept up to date as rows are read)."""
        if not self._built:
            self._build()
        mean: NDArray[np.float32] = (self._sum / max(self._size, 1)).astype(np.float32)
        return mean

    def vector(self, paper_id: int) -> NDArray[np.float32] | None:
        """A paper's vector (dequantised), or None if it has none."""
        slot = self._where.get(paper_id)
        if slot is None:
            return None
        vector: NDArray[np.float32] = self.rows[slot].astype(np.float32) * self.scales[slot]
        return vector

    def slots(self, paper_ids: Collection[int]) -> NDArray[np.int64]:
        """The rows of those papers that have a vector."""
        where = self._where
        return np.fromiter((s for i in paper_ids if (s := where.get(i)) is not None), dtype=np.int64)

    def nearest(
        self,
        query: NDArray[np.float32],
        k: int,
        allowed: NDArray[np.int64] | None = None,
        excluded: Collection[int] = (),
    ) -> list[tuple[int, float]]:
        """The ``k`` papers whose vectors are most like ``query`` (cosine), best first.

        Args:
            query: A unit-length vector.
            k: How many.
            allowed: Only these rows (see :meth:`slots`); None for every paper.
            excluded: Paper ids never returned.
        """
        n = self._size
        if n == 0 or k <= 0 or not query.any():
            return []
        bad = self.slots(excluded) if excluded else None
        want = k + (0 if bad is None else len(bad))
        self._searches += 1
        if allowed is None and n > EXACT_BELOW and not self._built and self._searches == 1:
            # A one-shot question (`readinglist search`, `related`): scoring every row
            # costs less than building the sign bits and the mean first (0.3 s against 2 s
            # at 100k papers); a second question builds them.
            scores = np.empty(n, dtype=np.float32)
            for lo in range(0, n, CHUNK):
                dots = self.rows[lo : lo + CHUNK].astype(np.float32) @ query
                scores[lo : lo + CHUNK] = dots * self.scales[lo : lo + CHUNK]
            if bad is not None and len(bad):
                scores[bad] = -np.inf
            top = min(k, n - (0 if bad is None else len(bad)))
            if top <= 0:
                return []
            part_top = np.argpartition(-scores, top - 1)[:top]
            order = part_top[np.argsort(-scores[part_top], kind="stable")]
            return [(int(self.ids[j]), float(scores[j])) for j in order]
        if allowed is not None:
            cands = allowed
        elif n <= EXACT_BELOW:
            cands = np.arange(n)
        else:
            cands = self._shortlist(query, max(SHORTLIST_MIN, SHORTLIST * want))
        if bad is not None and len(bad):
            cands = cands[~np.isin(cands, bad)]
        if len(cands) > EXACT_BELOW:
            mask = np.zeros(n, dtype=bool)
            mask[cands] = True
            cands = self._shortlist(query, max(SHORTLIST_MIN, SHORTLIST * k), mask)
        scores = (self.rows[cands].astype(np.float32) @ query) * self.scales[cands]
        top = min(k, len(cands))
        if top <= 0:
            return []
        part = np.argpartition(-scores, top - 1)[:top] if top < len(cands) else np.arange(len(cands))
        order = part[np.argsort(-scores[part], kind="stable")]
        return [(int(self.ids[cands[j]]), float(scores[j])) for j in order]

    def _shortlist(
        self, query: NDArray[np.float32], size: int, mask: NDArray[np.bool_] | None = None
    ) -> NDArray[np.int64]:
        """The ``size`` rows nearest to ``query`` by sign bits (Hamming distance)."""
        if not self._built:
            self._build()
        n = self._size
        qbits = np.packbits(query > 0).view(">u8").astype(np.uint64)
        dist = np.bitwise_count(self.bits[0, :n] ^ qbits[0]).astype(np.uint16)
        for j in range(1, len(qbits)):
            dist += np.bitwise_count(self.bits[j, :n] ^ qbits[j])
        if mask is not None:
            dist[~mask[:n]] = 1 << 15
        size = min(size, n)
        if size >= n:
            return np.arange(n)
        return np.argpartition(dist, size - 1)[:size].astype(np.int64)

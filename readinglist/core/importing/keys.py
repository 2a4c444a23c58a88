"""Citation keys of an import's new papers: made as each paper goes in, checked at the end.

A new paper without a key of its own goes in with its generated key
(:func:`~readinglist.core.paper_keys.generated`). Keys must come out exactly as
if every one were made at the end, in id order, from the papers as they ended
up (:func:`~readinglist.core.paper_keys.settle`), so each key written here is
provisional. While the run stays simple (no paper kept a key of its file, and
no later entry changed a paper's key, authors or year) the key decided as the
paper went in is already the final one: the letters are added then, against
the keys the library held before the run and those the run has given out, and
the end of the run has nothing left to do. At 100k papers that spared making
and rewriting every key at the end (2.1 s, with the writer alone at work).
Otherwise :func:`~readinglist.core.paper_keys.settle` decides again.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from readinglist.core import paper_keys

if TYPE_CHECKING:  # sqlite-utils is slow to import; only the type is needed here
    from sqlite_utils import Database


class Provisional:
    """New papers of a run written with a generated key, and what was decided for them.

    Args:
        db: The library, inside the run's transaction, before any paper is added.
        first_id: The run's first new id; ids are marked in increasing order.
        stored: How many papers the library holds.
    """

    def __init__(self, db: Database, first_id: int, stored: int) -> None:
        """Read the keys the library holds, if it is small enough to keep them in memory."""
        self.first_id = first_id
        self.ids = array("q")
        """Marked ids, increasing."""
        self.bases: list[str] = []
        """Their generated keys, before any letter."""
        self.written: list[str] = []
        """The keys written with them (kept: the rows are large and mostly out of the cache)."""
        self.dropped: set[int] = set()
        self.kept = 0
        """New papers that went in with their file's key."""
        self.stale: set[int] = set()
        """Marked papers whose authors or year changed after their key was made."""
        self.stored: set[str] | None = None
        """The keys of the papers before the run (None: too many to keep; keys are settled at the end)."""
        self.claimed: set[str] = set()
        self.tried: dict[str, int] = {}
        if stored <= paper_keys.KEYS_IN_MEMORY:
            self.stored = {key for (key,) in db.execute("SELECT key FROM papers WHERE key > ''")}

    @property
    def clean(self) -> bool:
        """Whether every new paper holds a generated key that nothing has changed since."""
        return self.all_new and not self.stale

    @property
    def settled(self) -> bool:
        """Whether every key written is final (see the module docstring)."""
        return self.stored is not None and self.clean

    def decide(self, paper_id: int, base: str) -> str:
        """The key to write for new paper ``paper_id`` (above every id before) made as ``base``."""
        stored, claimed = self.stored, self.claimed
        # self.clean spelled out: this runs once per new paper.
        if stored is None or self.kept or self.dropped or self.stale:
            key = base  # settled at the end anyway
        elif base not in claimed and base not in stored:
            key = base  # most keys; a base given out before is claimed, so no letter is skipped
            claimed.add(key)
        else:
            from readinglist.core.formats.bibtex_write import unique_key

            key = unique_key(base, lambda k: k in claimed or k in stored, self.tried.get(base, 0))
            if key != base:
                self.tried[base] = paper_keys.suffix_number(key[len(base) :])
            claimed.add(key)
        self.ids.append(paper_id)
        self.bases.append(base)
        self.written.append(key)
        return key

    def chunks(self, size: int) -> Iterator[list[tuple[int, str, str]]]:
        """``(id, base, key as written)`` of the papers still holding a generated key, ``size`` at a time."""
        ids, bases, written, dropped = self.ids, self.bases, self.written, self.dropped
        for start in range(0, len(ids), size):
            end = start + size
            part = list(zip(ids[start:end], bases[start:end], written[start:end], strict=True))
            if dropped:
                part = [p for p in part if p[0] not in dropped]
            if part:
                yield part

    def __contains__(self, paper_id: object) -> bool:
        """Whether ``paper_id`` holds a provisional generated key."""
        ids = self.ids
        if not ids or not isinstance(paper_id, int):
            return False
        if len(ids) == ids[-1] - ids[0] + 1:  # no gap: nearly always (ids only grow)
            found = ids[0] <= paper_id <= ids[-1]
        else:
            i = bisect_left(ids, paper_id)
            found = i < len(ids) and ids[i] == paper_id
        return found and paper_id not in self.dropped

    def hide(self, found: tuple[dict[str, list[dict[str, Any]]], ...]) -> None:
        """Show the provisional keys of stored rows (found by a batch's lookup) as none.

        Such a key is not the paper's own yet: a later entry may still give it one.
        """
        if self.ids:
            for index in found:
                for rows in index.values():
                    for row in rows:
                        if row["id"] in self:
                            row["key"] = ""

    def keep(self) -> None:
        """A new paper went in with its file's key."""
        self.kept += 1

    @property
    def all_new(self) -> bool:
        """Whether every new paper of the run holds a provisional key (none has a file's key)."""
        return not self.kept and not self.dropped

    def drop(self, paper_id: int) -> None:
        """``paper_id`` got its file's key after all: it is settled as a given key."""
        self.dropped.add(paper_id)

    def remake(self, paper_id: int) -> None:
        """``paper_id``'s generated key must be made again from its stored fields."""
        self.stale.add(paper_id)

"""Citation keys stored with papers: one per paper, unique in the library, given once.

A paper keeps the key its file gave it (a BibTeX key, a CSL ``id``, a RIS
``ID``); one that came without gets a key made as the BibTeX export has always
made them (:func:`~readinglist.core.formats.bibtex.key_from`), so the keys of
earlier exports stay valid. A key another paper has gets a letter (``a``, ``b``…).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Set
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # sqlite-utils is slow to import; only the type is needed here
    from sqlite_utils import Database

_CHUNK = 500
_COLS = "id, key, title, authors, year"
# The first name of a JSON author list when it holds no escape (nearly always).
_FIRST_PLAIN = re.compile(r'\["([^"\\]*)"[,\]]')


@contextmanager
def update_triggers_off(db: Database) -> Iterator[None]:
    """Take off the table-wide ``AFTER UPDATE`` triggers of ``papers`` for a key-only update.

    The full-text index's update trigger fires on every column and re-indexes
    the row; the key is not indexed, so writing keys need not touch it (and
    rows an import has not indexed yet must not be). Column-list triggers
    (``AFTER UPDATE OF title …``) never fire for the key and stay. The caller's
    transaction covers the drop, so a rollback brings the triggers back.

    The stored triggers are read here, not the declared ones
    (:data:`~readinglist.core.schema.PAPERS_TRIGGERS`): this also runs inside
    ``m006_venue_and_key``, when ``papers_au`` is still sqlite-utils' table-wide
    trigger that ``m009_history`` later narrows. After all migrations no
    declared trigger is table-wide, so in an import this finds nothing left.

    The undo history's update trigger (``history_papers_upd``, table-wide too)
    stays: a key that ``edit`` generates is part of the edit and must be
    logged with it, or undo would take it for another program's change. An
    import has taken that trigger off already (it logs in bulk).
    """
    triggers = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'papers' "
        "AND sql LIKE '%AFTER UPDATE ON%' AND name NOT LIKE 'history\\_%' ESCAPE '\\'"
    ).fetchall()
    for name, _ in triggers:
        db.execute(f'DROP TRIGGER "{name}"')
    try:
        yield
    finally:
        for _, sql in triggers:
            db.execute(sql)


def settle(
    db: Database, first_id: int, also: Set[int] = frozenset(), notices: list[str] | None = None
) -> int:
    """Give the papers from ``first_id`` on (and those in ``also``) their final, unique keys.

    Keys a file gave come first, in id order; then every paper without one gets
    a generated key, in id order. A file's key that another paper has already
    gets a letter, and ``notices`` says so. Papers are read and written
    :data:`SETTLE_CHUNK` at a time, so memory does not grow with the import.

    Returns:
        How many keys were written.
    """
    run = _Settle(db, first_id, frozenset(also), notices)
    earlier: list[tuple[Any, ...]] = []
    if also:
        marks = ",".join("?" * len(also))
        earlier = db.execute(
            f"SELECT {_COLS} FROM papers WHERE id IN ({marks}) AND id < ? ORDER BY id", [*also, first_id]
        ).fetchall()
    with update_triggers_off(db):
        for given, where in ((True, "key != ''"), (False, "key = ''")):
            # The papers before the run first (stored papers this run gave a key, an edited one).
            run.chunk([r for r in earlier if bool(r[1]) == given], given=given)
            last = first_id - 1
            while rows := db.execute(
                f"SELECT {_COLS} FROM papers WHERE id > ? AND {where} ORDER BY id LIMIT ?",
                [last, SETTLE_CHUNK],
            ).fetchall():
                run.chunk(rows, given=given)
                last = rows[-1][0]
    return run.written


SETTLE_CHUNK = 5000
"""Papers whose keys are settled (read, decided and written) together."""


class _Settle:
    """One settling of keys: which papers hold a key, and how deep each base key's letters go."""

    def __init__(self, db: Database, first_id: int, also: frozenset[int], notices: list[str] | None) -> None:
        self.db = db
        self.first_id = first_id
        self.also = also
        self.notices = notices
        self.written = 0
        # Per base key, how many letters are known to be taken: the next paper of that base starts there.
        self.tried: dict[str, int] = {}

    def chunk(self, rows: list[tuple[Any, ...]], *, given: bool) -> None:
        """Decide and write the keys of ``rows`` (in id order): their own (``given``) or generated ones."""
        from readinglist.core.formats.bibtex import (  # bibtexparser: only when writing keys
            key_from,
            unique_key,
        )

        if not rows:
            return
        wanted = [
            (r[0], r[1] if given else key_from(r[2], _first_author(r[3]), r[4], r[0]), r[1]) for r in rows
        ]
        holders = self._holders([key for _, key, _ in wanted])
        used: set[str] = set()  # decided in this chunk, not written yet
        changes: list[tuple[str, int]] = []
        for paper_id, base, current in wanted:

            def taken(key: str, paper_id: int = paper_id) -> bool:
                if key in used:
                    return True
                if key not in holders:
                    holders.update(self._holders([key]))
                return any(self._counts(h, paper_id, given) for h in holders.get(key, ()))

            final = unique_key(base, taken, self.tried.get(base, 0))
            used.add(final)
            if final != base:
                self.tried[base] = _suffix_number(final[len(base) :])
                if given and self.notices is not None:
                    self.notices.append(
                        f"citation key {base!r} is taken by another paper; paper {paper_id} has {final!r}"
                    )
            if final != current:
                changes.append((final, paper_id))
        self.db.conn.executemany("UPDATE papers SET key = ? WHERE id = ?", changes)
        self.written += len(changes)

    def _counts(self, holder: int, paper_id: int, given: bool) -> bool:
        """Whether ``holder``'s key stands in ``paper_id``'s way.

        Papers settled later (after it, in this run) do not: they still hold the
        key their file gave, which they may yet lose. Generated keys are settled
        last, when every other paper's key is final.
        """
        if holder == paper_id:
            return False
        if given and holder > paper_id and (holder >= self.first_id or holder in self.also):
            return False
        return True

    def _holders(self, keys: list[str]) -> dict[str, list[int]]:
        """Which papers hold each of ``keys`` now (every key asked for is in the answer)."""
        found: dict[str, list[int]] = {k: [] for k in keys}
        unique = list(found)
        for start in range(0, len(unique), _CHUNK):
            part = unique[start : start + _CHUNK]
            marks = ",".join("?" * len(part))
            for paper_id, key in self.db.execute(f"SELECT id, key FROM papers WHERE key IN ({marks})", part):
                found[key].append(paper_id)
        return found


def _suffix_number(letters: str) -> int:
    """``a`` → 1, ``z`` → 26, ``aa`` → 27: the inverse of the BibTeX writer's key suffixes."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - ord("a") + 1
    return n


def _first_author(authors_json: str | None) -> list[str]:
    """The first author of a stored author list (a key needs no other), without a JSON parse when plain."""
    if not authors_json or authors_json == "[]":
        return []
    plain = _FIRST_PLAIN.match(authors_json)
    return [plain.group(1)] if plain else list(json.loads(authors_json))[:1]

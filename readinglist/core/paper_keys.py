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

    from readinglist.core.importing.keys import Provisional

_BASES = "settle_key_bases"
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


def generated(title: str, authors_json: str | None, year: int | None, paper_id: int) -> str:
    """The base key made for a paper without one (before a letter makes it unique)."""
    from readinglist.core.formats.bibtex_write import key_from

    return key_from(title, _first_author(authors_json), year, paper_id)


def settle(
    db: Database,
    first_id: int,
    also: Set[int] = frozenset(),
    notices: list[str] | None = None,
    provisional: Provisional | None = None,
) -> int:
    """Give the papers from ``first_id`` on (and those in ``also``) their final, unique keys.

    Keys a file gave come first, in id order; then every paper without one gets
    a generated key, in id order. A file's key that another paper has already
    gets a letter, and ``notices`` says so. Papers are read and written
    :data:`SETTLE_CHUNK` at a time, so memory does not grow with the import.

    Args:
        db: The database, inside the caller's transaction.
        first_id: The first paper to settle (every later one is settled too).
        also: Earlier papers to settle as well (given a key, or left without one).
        notices: Where to say that a file's key was taken.
        provisional: Papers from ``first_id`` on that hold a generated key already
            (an import's); the others from ``first_id`` on hold their file's key.
            Without it, a paper from ``first_id`` on without a key has ``''``.

    Returns:
        How many keys were written.
    """
    if provisional is not None and not also and provisional.settled:
        return 0  # every key was decided as its paper went in, and nothing has changed since
    run = _Settle(db, first_id, frozenset(also), notices, provisional)
    if provisional is not None and db.execute("SELECT count(*) FROM papers").fetchone()[0] <= KEYS_IN_MEMORY:
        run.load_index()
    earlier: list[tuple[Any, ...]] = []
    if also:
        marks = ",".join("?" * len(also))
        earlier = db.execute(
            f"SELECT {_COLS} FROM papers WHERE id IN ({marks}) AND id < ? ORDER BY id", [*also, first_id]
        ).fetchall()
    with update_triggers_off(db):
        for given in (True, False):
            # The papers before the run first (stored papers this run gave a key, an edited one).
            run.chunk(run.wanted([r for r in earlier if bool(r[1]) == given], given), given=given)
            if provisional is not None and not given:
                for rows in provisional.chunks(SETTLE_CHUNK):
                    run.chunk(run.wanted(rows, given), given=given, settled_below=rows[0][0])
                continue
            if given and provisional is not None and provisional.all_new:
                continue  # no paper of the run has a key of its own to settle
            last = first_id - 1
            while rows := run.read(last, given):
                run.chunk(run.wanted(rows, given), given=given, settled_below=rows[0][0])
                last = rows[-1][0]
    return run.written


SETTLE_CHUNK = 5000
"""Papers whose keys are settled (read, decided and written) together."""
KEYS_IN_MEMORY = 400_000
"""Up to this many papers, an import's settling keeps every key in memory (about 50 MB at most)
instead of asking SQLite who holds each chunk's keys (0.4 s per 100k papers)."""


class _Settle:
    """One settling of keys: which papers hold a key, and how deep each base key's letters go."""

    def __init__(
        self,
        db: Database,
        first_id: int,
        also: frozenset[int],
        notices: list[str] | None,
        provisional: Provisional | None,
    ) -> None:
        self.db = db
        self.first_id = first_id
        self.also = also
        self.notices = notices
        self.provisional = provisional
        self.written = 0
        # Per base key, how many letters are known to be taken: the next paper of that base starts there.
        self.tried: dict[str, int] = {}
        # Provisional holders below this id are settled (their stored key is final).
        self.settled_below = first_id
        self.index: dict[str, list[int]] | None = None
        """Who holds each key, kept current as keys are decided (see :meth:`load_index`)."""

    def load_index(self) -> None:
        """Read who holds every key once (the key index alone), instead of a query per chunk.

        A provisional key is nobody's until its paper is settled, so those are left out.
        """
        provisional = self.provisional
        index: dict[str, list[int]] = {}
        for key, paper_id in self.db.execute("SELECT key, id FROM papers WHERE key > ''"):
            if provisional is None or paper_id not in provisional:
                index.setdefault(key, []).append(paper_id)
        self.index = index

    def read(self, after: int, given: bool) -> list[tuple[Any, ...]]:
        """The next chunk of the run's papers to settle in this pass, in id order.

        With provisional keys, only the given pass reads: the generated one takes
        the keys from :meth:`Provisional.chunks`.
        """
        provisional = self.provisional
        if provisional is None:
            where = "key != ''" if given else "key = ''"
            return self.db.execute(
                f"SELECT {_COLS} FROM papers WHERE id > ? AND {where} ORDER BY id LIMIT ?",
                [after, SETTLE_CHUNK],
            ).fetchall()
        # Every paper of the run holds a key: its file's or a provisional one. The
        # unary + keeps the planner on the rowid order instead of the key index.
        rows: list[tuple[Any, ...]] = []
        while not rows:
            chunk = self.db.execute(
                "SELECT id, key FROM papers WHERE id > ? AND +key != '' ORDER BY id LIMIT ?",
                [after, SETTLE_CHUNK],
            ).fetchall()
            if not chunk:
                return []
            rows = [r for r in chunk if r[0] not in provisional]
            after = chunk[-1][0]
        return rows

    def wanted(self, rows: list[tuple[Any, ...]], given: bool) -> list[tuple[int, str, str]]:
        """``(id, base key, stored key)`` for rows of :meth:`read`, ``Provisional.chunks`` or ``_COLS``."""
        provisional = self.provisional
        if given:
            return [(r[0], r[1], r[1]) for r in rows]
        if rows and len(rows[0]) == 3:  # (id, base, key as written): Provisional.chunks
            assert provisional is not None
            stale = [r[0] for r in rows if r[0] in provisional.stale]
            remade = {}
            if stale:
                marks = ",".join("?" * len(stale))
                remade = {
                    r[0]: generated(r[2], r[3], r[4], r[0])
                    for r in self.db.execute(f"SELECT {_COLS} FROM papers WHERE id IN ({marks})", stale)
                }
            return [(r[0], remade.get(r[0], r[1]), r[2]) for r in rows]
        return [(r[0], generated(r[2], r[3], r[4], r[0]), r[1]) for r in rows]

    def chunk(
        self, wanted: list[tuple[int, str, str]], *, given: bool, settled_below: int | None = None
    ) -> None:
        """Decide and write the keys of ``wanted`` (``(id, base, stored)``, in id order)."""
        from readinglist.core.formats.bibtex_write import unique_key

        if not wanted:
            return
        self.settled_below = self.first_id if settled_below is None or given else settled_below
        # Every key a paper of the chunk may end up with starts with its base: one
        # query fetches them all (a query per letter tried cost 0.4 s per 100k papers).
        index = self.index
        holders = index if index is not None else self._holders_from([base for _, base, _ in wanted])
        used: set[str] = set()  # decided in this chunk, not written yet
        changes: list[tuple[str, int]] = []
        for paper_id, base, current in wanted:

            def taken(key: str, paper_id: int = paper_id) -> bool:
                if key in used:
                    return True
                return any(self._counts(h, paper_id, given) for h in holders.get(key, ()))

            final = unique_key(base, taken, self.tried.get(base, 0))
            used.add(final)
            if final != base:
                self.tried[base] = suffix_number(final[len(base) :])
                if given and self.notices is not None:
                    self.notices.append(
                        f"citation key {base!r} is taken by another paper; paper {paper_id} has {final!r}"
                    )
            if final != current:
                changes.append((final, paper_id))
            if index is not None and (final != current or not given):
                # The paper now holds its final key, and no longer the one it had.
                if paper_id in index.get(current, ()):
                    index[current].remove(paper_id)
                index.setdefault(final, []).append(paper_id)
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
        provisional = self.provisional
        if provisional is not None and holder >= self.settled_below and holder in provisional:
            # Not settled yet: such a paper has no key of its own until its turn.
            return False
        if given and holder > paper_id and (holder >= self.first_id or holder in self.also):
            return False
        return True

    def _holders_from(self, bases: list[str]) -> dict[str, list[int]]:
        """Which papers hold each key that starts with one of ``bases`` (a base, or it with letters)."""
        self.db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_BASES} (base TEXT PRIMARY KEY)")
        try:
            self.db.conn.executemany(f"INSERT OR IGNORE INTO temp.{_BASES} VALUES (?)", [[b] for b in bases])
            # Letters sort below "{": each range holds its base with any letters (and other
            # keys that start with it, harmlessly). CROSS JOIN keeps the bases outside.
            rows = self.db.execute(
                f"SELECT DISTINCT p.id, p.key FROM temp.{_BASES} b CROSS JOIN papers p "
                "ON p.key >= b.base AND p.key < b.base || '{'"
            ).fetchall()
        finally:
            self.db.execute(f"DELETE FROM temp.{_BASES}")
        found: dict[str, list[int]] = {}
        for paper_id, key in rows:
            found.setdefault(key, []).append(paper_id)
        return found


def suffix_number(letters: str) -> int:
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

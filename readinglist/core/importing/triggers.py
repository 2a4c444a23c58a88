"""Running the insert triggers of ``papers`` set-wise after a bulk insert instead of once per row.

A trigger such as sqlite-utils' full-text one (``INSERT INTO papers_fts
(rowid, …) VALUES (new.rowid, new.…)``) costs several times more per row than
the same statement run once over many rows as ``INSERT … SELECT``: at 100k
arXiv papers the writer spent 34-37 s of CPU with the triggers firing per row
against 11-13 s with them replayed (docs/performance.md). The triggers are
declared in :data:`~readinglist.core.schema.PAPERS_TRIGGERS`, each insert
trigger with its set-wise replay; :class:`DeferredTriggers` drops those
whose stored SQL is exactly the declared one (inside the caller's
transaction, so a rollback brings them back), replays them over ranges of
new rowids, and recreates them. A trigger that differs from its declaration,
or that the schema does not declare, is left in place and keeps firing.

The update triggers that only mirror a row into those same tables are taken
off for the run as well, when they are the only update triggers on the table.
FTS5 writes out its pending terms whenever a row comes in below the last one
it saw, so re-indexing rows between catch-ups cost about 0.8 ms of CPU per
update (2,000 enriched papers in a 102k-line import: 1.7 s more). A row not
replayed yet needs nothing: the replay copies it as it ends up. A row already
mirrored is copied to a temporary table before its first update
(:meth:`DeferredTriggers.before_update`); at the end its old values are put
back with the triggers off and the new ones set again with them on, in rowid
order, so the triggers see exactly the change.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from readinglist.core.schema import PAPERS_TRIGGERS, Trigger

if TYPE_CHECKING:  # sqlite-utils is slow to import; only the type is needed here
    from sqlite_utils import Database


class DeferredTriggers:
    """The declared insert (and mirroring update) triggers of ``papers``, taken off until :meth:`restore`.

    Args:
        db: The database, inside an open transaction.
        declared: The triggers the schema creates on the table.
        table: The table (its rowids must only grow).
    """

    def __init__(
        self, db: Database, declared: Sequence[Trigger] = PAPERS_TRIGGERS, table: str = "papers"
    ) -> None:
        """Drop the deferrable triggers; the declarations say how to replay and recreate them."""
        self.db = db
        self.table = table
        stored = dict(
            db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", [table])
        )
        same = [t for t in declared if stored.get(t.name) == t.sql]
        self.triggers = [t for t in same if t.replay is not None]
        mirrors = [t for t in same if t.mirror]
        # Updates are deferred only when the table has no other trigger at all (but the
        # declared ones that may keep firing, see Trigger.kept): any other one must see
        # each update as it happens, and a mirror left in place would delete index rows
        # the deferred inserts never wrote. The history's triggers are not declared: a
        # run takes them off before this (readinglist.core.history.BulkLog).
        others = set(stored) - {t.name for t in same if not _fires_on_update(t) or t.mirror or t.kept}
        all_mirrors = {t.name for t in declared if t.mirror}
        self.mirrors = mirrors if not others and {t.name for t in mirrors} == all_mirrors else []
        for trigger in [*self.triggers, *self.mirrors]:
            db.execute(f'DROP TRIGGER "{trigger.name}"')
        self.stale_table = f"_deferred_{table}_old"
        self.stale = False
        self.columns = [
            r[1] for r in db.execute(f'PRAGMA table_info("{table}")').fetchall() if not r[5]
        ]  # the rowid alias stays out of the snapshots

    @property
    def defers_updates(self) -> bool:
        """Whether updates of replayed rows may run without replaying first (see :meth:`before_update`)."""
        return bool(self.mirrors)

    def replay(self, after: int, upto: int) -> None:
        """Do what the insert triggers would have done for the rows with ``after < rowid <= upto``."""
        for trigger in self.triggers:
            assert trigger.replay is not None
            self.db.execute(trigger.replay, [after, upto])

    def before_update(self, ids: Sequence[int]) -> None:
        """Remember rows the update triggers mirrored as they are now; call before updating them.

        Only rows already mirrored (replayed, or there before the run) are
        passed; a row's first snapshot is kept.
        """
        if not ids or not self.mirrors:
            return
        names = ", ".join(f'"{c}"' for c in self.columns)
        if not self.stale:
            self.db.execute(f'CREATE TEMP TABLE "{self.stale_table}" (_rowid INTEGER PRIMARY KEY, {names})')
            self.stale = True
        marks = ",".join("?" * len(ids))
        self.db.execute(
            f'INSERT OR IGNORE INTO temp."{self.stale_table}" (_rowid, {names}) '
            f'SELECT rowid, {names} FROM "{self.table}" WHERE rowid IN ({marks})',
            list(ids),
        )

    def restore(self) -> None:
        """Recreate the triggers as declared, letting the update triggers see the run's updates."""
        for trigger in self.triggers:
            self.db.execute(trigger.sql)
        self.triggers = []
        if not self.stale:
            for trigger in self.mirrors:
                self.db.execute(trigger.sql)
            self.mirrors = []
            return
        old, new, table = f'temp."{self.stale_table}"', f'temp."{self.stale_table}_new"', f'"{self.table}"'
        names = ", ".join(f'"{c}"' for c in self.columns)
        self.db.execute(f'CREATE TEMP TABLE "{self.stale_table}_new" AS SELECT * FROM {old} WHERE 0')
        self.db.execute(
            f"INSERT INTO {new} SELECT rowid, {names} FROM {table} WHERE rowid IN (SELECT _rowid FROM {old})"
        )
        # rowid IN (…) visits rows in rowid order: FTS5 then writes one segment.
        setter = (
            f"UPDATE {table} SET ({names}) = "
            f"(SELECT {names} FROM {{src}} AS s WHERE s._rowid = {table}.rowid) "
            f"WHERE rowid IN (SELECT _rowid FROM {old})"
        )
        self.db.execute(setter.format(src=old))  # back as mirrored, triggers still off
        for trigger in self.mirrors:
            self.db.execute(trigger.sql)
        self.db.execute(setter.format(src=new))  # and forward again, through the triggers
        self.db.execute(f"DROP TABLE {new}")
        self.db.execute(f"DROP TABLE {old}")
        self.mirrors = []
        self.stale = False


def _fires_on_update(trigger: Trigger) -> bool:
    return " AFTER UPDATE " in trigger.sql

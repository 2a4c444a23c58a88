"""Running a table's insert triggers set-wise after a bulk insert instead of once per row.

A trigger such as sqlite-utils' full-text one (``INSERT INTO papers_fts
(rowid, …) VALUES (new.rowid, new.…)``) costs several times more per row than
the same statement run once over many rows as ``INSERT … SELECT``. For a bulk
insert, :class:`DeferredTriggers` drops every ``AFTER INSERT`` trigger of that
one-statement shape (inside the caller's transaction, so a rollback brings
them back), replays them over ranges of new rowids, and recreates them. A
trigger of any other shape (a ``WHEN`` clause, several statements, values
that are expressions) is left in place and keeps firing per row.

Update triggers that only mirror a row into those same tables (a full-text
index's "delete the old, insert the new") are taken off for the run as well,
when every update trigger of the table is of that kind: FTS5 writes out its
pending terms whenever a row comes in below the last one it saw, so
re-indexing a few updated rows between catch-ups cost 1.6 ms per update (755
updates in a 100k arXiv import: 1.2 s). A row not replayed yet needs nothing:
the replay copies it as it ends up. A row already mirrored is copied to a
temporary table before its first update (:meth:`DeferredTriggers.before_update`);
at the end its old values are put back with the triggers off and the new ones
set again with them on, in rowid order, so the triggers see exactly the change.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite-utils is slow to import; only the type is needed here
    from sqlite_utils import Database


# CREATE TRIGGER x AFTER INSERT ON papers BEGIN INSERT [OR REPLACE|IGNORE] INTO t (cols) VALUES (vals); END
_SHAPE = (
    r"^CREATE\s+TRIGGER\s+\S+\s+AFTER\s+INSERT\s+ON\s+\"?{table}\"?\s+BEGIN\s+"
    r"(INSERT(?:\s+OR\s+(?:REPLACE|IGNORE))?)\s+INTO\s+(\S+)\s*\(([^)]*)\)\s*VALUES\s*\(([^)]*)\)\s*;\s*END$"
)
# Values must be columns of the new row or plain constants to be replayed from the table.
_REPLAYABLE_VALUE = re.compile(r"^(?:new\.\S+|-?\d+(?:\.\d+)?|'[^',]*'|NULL)$", re.IGNORECASE)
# CREATE TRIGGER x AFTER UPDATE [OF cols] ON papers BEGIN <statements> END
_UPDATE_SHAPE = r"^CREATE\s+TRIGGER\s+\S+\s+AFTER\s+UPDATE\b[^;]*?\bON\s+\"?{table}\"?\s+BEGIN\s+(.*)\bEND$"
# Any trigger that mentions UPDATE anywhere counts as an update trigger: one this
# module cannot read (a quoted name, a comment) then keeps updates undeferred.
_ON_UPDATE = re.compile(r"\bUPDATE\b", re.IGNORECASE)
_MIRROR_STATEMENT = re.compile(
    r"^INSERT(?:\s+OR\s+(?:REPLACE|IGNORE))?\s+INTO\s+(\S+?)\s*\(.*\)\s*VALUES\s*\(.*\)$",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True)
class _Trigger:
    name: str
    create_sql: str
    replay_sql: str


class DeferredTriggers:
    """The insert triggers of ``table``, taken off until :meth:`restore`.

    Args:
        db: The database, inside an open transaction.
        table: The table whose triggers to defer (its rowids must only grow).
    """

    def __init__(self, db: Database, table: str) -> None:
        """Drop the deferrable triggers and remember how to replay and recreate them."""
        self.db = db
        shape = re.compile(_SHAPE.format(table=re.escape(table)), re.IGNORECASE | re.DOTALL)
        rows = db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", [table]
        ).fetchall()
        self.triggers: list[_Trigger] = []
        targets: set[str] = set()
        for name, sql in rows:
            match = shape.match(sql.strip())
            if not match:
                continue
            verb, target, columns, values = match.groups()
            items = [v.strip() for v in values.split(",")]
            if not all(_REPLAYABLE_VALUE.match(v) for v in items):
                continue
            selected = ", ".join(v[4:] if v.lower().startswith("new.") else v for v in items)
            replay = (
                f"{verb} INTO {target} ({columns}) SELECT {selected} FROM {table} "
                "WHERE rowid > ? AND rowid <= ?"
            )
            self.triggers.append(_Trigger(name, sql, replay))
            targets.add(target.strip('"'))
            db.execute(f'DROP TRIGGER "{name}"')
        self.table = table
        self.stale_table = f"_deferred_{table}_old"
        self.stale = False
        mirrors = _mirrors(rows, table, targets)
        updating = [name for name, sql in rows if _ON_UPDATE.search(sql)]
        # Only if every update trigger mirrors: any other one must see each update as it
        # happens, and a mirror left in place would delete rows the index never got.
        self.mirrors = mirrors if len(mirrors) == len(updating) else []
        for name, _ in self.mirrors:
            db.execute(f'DROP TRIGGER "{name}"')
        self.columns = [
            r[1] for r in db.execute(f'PRAGMA table_info("{table}")').fetchall() if not r[5]
        ]  # the rowid alias stays out of the snapshots

    @property
    def defers_updates(self) -> bool:
        """Whether updates of replayed rows may run without replaying first (see :meth:`before_update`)."""
        return bool(self.mirrors)

    def replay(self, after: int, upto: int) -> None:
        """Do what the triggers would have done for the rows with ``after < rowid <= upto``."""
        for trigger in self.triggers:
            self.db.execute(trigger.replay_sql, [after, upto])

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
        """Recreate the triggers exactly as they were, letting the update triggers see the run's updates."""
        for trigger in self.triggers:
            self.db.execute(trigger.create_sql)
        self.triggers = []
        if not self.stale:
            for _, sql in self.mirrors:
                self.db.execute(sql)
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
        for _, sql in self.mirrors:
            self.db.execute(sql)
        self.db.execute(setter.format(src=new))  # and forward again, through the triggers
        self.db.execute(f"DROP TABLE {new}")
        self.db.execute(f"DROP TABLE {old}")
        self.mirrors = []
        self.stale = False


def _mirrors(rows: list[tuple[str, str]], table: str, targets: set[str]) -> list[tuple[str, str]]:
    """The update triggers (name, sql) whose every statement inserts into one of ``targets``."""
    shape = re.compile(_UPDATE_SHAPE.format(table=re.escape(table)), re.IGNORECASE | re.DOTALL)
    found = []
    for name, sql in rows:
        match = shape.match(sql.strip())
        if not match:
            continue
        statements = [s.strip() for s in match.group(1).split(";") if s.strip()]
        into = [_MIRROR_STATEMENT.match(s) for s in statements]
        if statements and all(m and m.group(1).strip('"') in targets for m in into):
            found.append((name, sql))
    return found

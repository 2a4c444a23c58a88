"""Running a table's insert triggers set-wise after a bulk insert instead of once per row.

A trigger such as sqlite-utils' full-text one (``INSERT INTO papers_fts
(rowid, …) VALUES (new.rowid, new.…)``) costs several times more per row than
the same statement run once over many rows as ``INSERT … SELECT``. For a bulk
insert, :class:`DeferredTriggers` drops every ``AFTER INSERT`` trigger of that
one-statement shape (inside the caller's transaction, so a rollback brings
them back), replays them over ranges of new rowids, and recreates them. A
trigger of any other shape (a ``WHEN`` clause, several statements, values
that are expressions) is left in place and keeps firing per row.
"""

from __future__ import annotations

import re
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
            db.execute(f'DROP TRIGGER "{name}"')

    def replay(self, after: int, upto: int) -> None:
        """Do what the triggers would have done for the rows with ``after < rowid <= upto``."""
        for trigger in self.triggers:
            self.db.execute(trigger.replay_sql, [after, upto])

    def restore(self) -> None:
        """Recreate the triggers exactly as they were."""
        for trigger in self.triggers:
            self.db.execute(trigger.create_sql)
        self.triggers = []

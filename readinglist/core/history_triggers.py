"""The history's triggers: generated from the tracked tables' columns, rebuilt when those change.

Each user-data table (:data:`TRACKED`) gets three triggers that write the
rows it gains, loses or changes into ``history_log`` (see
:mod:`readinglist.core.history`): an insert keeps the new row, a delete the
old one, an update only the columns it changed, before and after.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

TRACKED = ("tags", "papers", "paper_tags", "saved_views")
"""The user-data tables, parents before children (the order inserts are replayed in)."""
RANGE_SUFFIX = ":range"
"""A log row of table ``papers:range`` with key ``[first, last]`` stands for rows inserted in bulk."""
_PREFIX = "history_"
_TRIGGERS_SQL = (
    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'history\\_%' ESCAPE '\\'"
)

Image = dict[str, Any]
"""A row as a dict of column values (all columns, or only the changed ones)."""


def columns(conn: sqlite3.Connection, table: str) -> tuple[list[str], list[str]]:
    """A table's columns and its primary-key columns, in order."""
    info = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
    cols = [row[1] for row in info]
    pk = [row[1] for row in sorted((r for r in info if r[5]), key=lambda r: r[5])]
    return cols, pk or ["rowid"]


def image_sql(prefix: str, cols: Sequence[str]) -> str:
    """SQL for a row as a JSON object of ``cols`` (``prefix``: ``new.``, ``old.`` or none)."""
    return "json_object(" + ", ".join(f"'{c}', {prefix}\"{c}\"" for c in cols) + ")"


def key_sql(prefix: str, pk: Sequence[str]) -> str:
    """SQL for a row's key as a JSON array of its primary-key columns."""
    return "json_array(" + ", ".join(f'{prefix}"{c}"' for c in pk) + ")"


def trigger_sql(conn: sqlite3.Connection) -> dict[str, str]:
    """The history triggers the library's current columns need, by name."""
    out: dict[str, str] = {}
    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in TRACKED:
        if table not in present:
            continue
        cols, pk = columns(conn, table)
        log = "INSERT INTO history_log (tbl, key, old, new)"
        out[f"{_PREFIX}{table}_ins"] = (
            f'CREATE TRIGGER {_PREFIX}{table}_ins AFTER INSERT ON "{table}" BEGIN '
            f"{log} VALUES ('{table}', {key_sql('new.', pk)}, NULL, {image_sql('new.', cols)}); END"
        )
        out[f"{_PREFIX}{table}_del"] = (
            f'CREATE TRIGGER {_PREFIX}{table}_del AFTER DELETE ON "{table}" BEGIN '
            f"{log} VALUES ('{table}', {key_sql('old.', pk)}, {image_sql('old.', cols)}, NULL); END"
        )
        changed = " OR ".join(f'old."{c}" IS NOT new."{c}"' for c in cols)
        # Only the changed columns, before and after: one row per column, kept if it changed.
        pairs = " UNION ALL ".join(
            f'SELECT \'{c}\' AS c, old."{c}" AS o, new."{c}" AS n WHERE old."{c}" IS NOT new."{c}"'
            for c in cols
        )
        out[f"{_PREFIX}{table}_upd"] = (
            f'CREATE TRIGGER {_PREFIX}{table}_upd AFTER UPDATE ON "{table}" WHEN {changed} BEGIN '
            f"{log} SELECT '{table}', {key_sql('old.', pk)}, json_group_object(c, o), "
            f"json_group_object(c, n) FROM ({pairs}); END"
        )
    return out


def install(conn: sqlite3.Connection, tables: Iterable[str] = TRACKED) -> None:
    """(Re)create the history triggers of ``tables`` from their current columns."""
    wanted = set(tables)
    existing = {name for (name,) in conn.execute(_TRIGGERS_SQL)}
    for name, sql in trigger_sql(conn).items():
        if _table_of(name) not in wanted:
            continue
        if name in existing:
            conn.execute(f'DROP TRIGGER "{name}"')
        conn.execute(sql)


def remove(conn: sqlite3.Connection, tables: Iterable[str]) -> None:
    """Drop the history triggers of ``tables`` (inside the caller's transaction)."""
    for table in tables:
        for kind in ("ins", "upd", "del"):
            conn.execute(f'DROP TRIGGER IF EXISTS "{_PREFIX}{table}_{kind}"')


def _table_of(trigger: str) -> str:
    return trigger[len(_PREFIX) :].rsplit("_", 1)[0]


def ensure(conn: sqlite3.Connection) -> None:
    """Recreate any history trigger that is missing or lists other columns than its table has now.

    A later migration that adds a column (or rebuilds a table) leaves the
    triggers behind; this puts them in step, inside the caller's transaction.
    """
    if not has_history(conn):
        return
    stored = dict(conn.execute(_TRIGGERS_SQL.replace("name", "name, sql", 1)).fetchall())
    stale = {_table_of(name) for name, sql in trigger_sql(conn).items() if stored.get(name) != sql}
    if stale:
        install(conn, stale)


def has_history(conn: sqlite3.Connection) -> bool:
    """Whether the library has the history tables (its schema is new enough)."""
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'history_log'").fetchone()
    return row is not None


def last_seq(conn: sqlite3.Connection) -> int:
    """The newest log row's number (0 when the log is empty)."""
    return int(conn.execute("SELECT coalesce(max(seq), 0) FROM history_log").fetchone()[0])


def log_size(conn: sqlite3.Connection, first: int, last: int) -> int:
    """The bytes the log rows ``first``..``last`` take (their key and images)."""
    row = conn.execute(
        "SELECT coalesce(sum(length(key) + coalesce(length(old), 0) + coalesce(length(new), 0)), 0) "
        "FROM history_log WHERE seq BETWEEN ? AND ?",
        [first, last],
    ).fetchone()
    return int(row[0])

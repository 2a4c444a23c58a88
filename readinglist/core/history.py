"""The library's undo history: every change to the user's data, as row images, per action.

Triggers on the user-data tables (:data:`TRACKED`) write each inserted,
updated or deleted row into ``history_log`` in the same transaction as the
change: an insert keeps the new row, a delete the old one, and an update only
the columns it changed, before and after (a whole 1 KiB abstract is not
copied to star a paper). The triggers live in the library file, so a change
made by any program that writes to it is logged too.

Each outermost write transaction of a :class:`~readinglist.core.connection.Connection`
that logged something becomes one *action* (a ``history`` row: a description
and the range of log rows it owns); ``with library.action("marked 3 papers
read"):`` names it and makes one transaction of everything inside.

Undo applies the inverse of an action's net change per row (deletes first,
children before parents, then updates, then inserts, parents first), after
checking that every row is still as the action left it: a row another program
changed since makes undo refuse with a one-line reason, and nothing changes.
The log rows the undo itself wrote (with the triggers still on) replace the
action's log, so redo is the same operation run on them, and so on.

The triggers are in :mod:`readinglist.core.history_triggers`, undo and
redo in :mod:`readinglist.core.history_undo`. A bulk import logs compactly
(:class:`BulkLog`): its new papers as one range of ids, the papers it
enriched as whole rows. The history is bounded: the
newest :data:`MAX_ACTIONS` actions and :data:`MAX_BYTES` of log (the newest
action is always kept).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import NamedTuple

from readinglist.core.history_triggers import (
    RANGE_SUFFIX,
    TRACKED,
    columns,
    ensure,
    has_history,
    image_sql,
    install,
    last_seq,
    log_size,
    remove,
)
from readinglist.core.history_undo import UndoConflict, step

__all__ = [
    "MAX_ACTIONS",
    "MAX_BYTES",
    "TRACKED",
    "BulkLog",
    "HistoryEntry",
    "UndoConflict",
    "ensure",
    "entries",
    "forget_orphans",
    "has_history",
    "install",
    "last_seq",
    "record",
    "step",
]

MAX_ACTIONS = 1000
MAX_BYTES = 64 * 2**20
JOINED_PREFIXES = ("saved the note of ",)
"""Actions that fold into the newest one of the same description (see :func:`record`)."""
JOIN_WITHIN_S = 60


class HistoryEntry(NamedTuple):
    """One action in the history, as ``readinglist history`` lists it."""

    id: int
    description: str
    at: str
    undone: bool
    changes: int
    """How many log rows the action owns (a bulk range counts once)."""


def record(conn: sqlite3.Connection, start: int, description: str) -> int | None:
    """Make the log rows written since ``start`` one action; call just before the commit.

    Recording an action forgets the undone ones (they can no longer be redone)
    and trims the history to its bounds.

    Returns:
        The new action's id, or None if nothing was logged.
    """
    end = last_seq(conn)
    if end <= start:
        return None
    for first, last in conn.execute("SELECT first_seq, last_seq FROM history WHERE undone = 1").fetchall():
        conn.execute("DELETE FROM history_log WHERE seq BETWEEN ? AND ?", [first, last])
    conn.execute("DELETE FROM history WHERE undone = 1")
    size = log_size(conn, start + 1, end)
    joined = _join_typing(conn, start, end, description, size)
    if joined is not None:
        return joined
    cursor = conn.execute(
        "INSERT INTO history (description, at, first_seq, last_seq, undone, size) VALUES (?, ?, ?, ?, 0, ?)",
        [description, _now(), start + 1, end, size],
    )
    _trim(conn)
    return cursor.lastrowid


def _join_typing(conn: sqlite3.Connection, start: int, end: int, description: str, size: int) -> int | None:
    """Fold a note's autosave into the newest action when that saved the same note moments ago.

    The app saves a note as it is typed: one undo should take back a burst
    of typing, not a few seconds of it. Only log rows right after the newest
    action's are folded (nothing else changed in between).
    """
    if not description.startswith(JOINED_PREFIXES):
        return None
    row = conn.execute(
        "SELECT id, description, at, last_seq FROM history WHERE undone = 0 ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None or row[1] != description or row[3] != start:
        return None
    then = datetime.strptime(row[2], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    if (datetime.now(UTC) - then).total_seconds() > JOIN_WITHIN_S:
        return None
    conn.execute(
        "UPDATE history SET last_seq = ?, at = ?, size = size + ? WHERE id = ?", [end, _now(), size, row[0]]
    )
    return int(row[0])


def _trim(conn: sqlite3.Connection) -> None:
    max_actions, max_bytes = MAX_ACTIONS, MAX_BYTES  # read when called, so a test can lower them
    count, total = conn.execute("SELECT count(*), coalesce(sum(size), 0) FROM history").fetchone()
    if count <= max_actions and total <= max_bytes:
        return
    kept, used = 0, 0
    drop: list[tuple[int, int, int]] = []
    for action_id, size, first, last in conn.execute(
        "SELECT id, size, first_seq, last_seq FROM history ORDER BY id DESC"
    ).fetchall():
        if kept and (kept >= max_actions or used + size > max_bytes):
            drop.append((action_id, first, last))
            continue
        kept += 1
        used += size
    for action_id, first, last in drop:
        conn.execute("DELETE FROM history_log WHERE seq BETWEEN ? AND ?", [first, last])
        conn.execute("DELETE FROM history WHERE id = ?", [action_id])
    # Rows no kept action owns and older than all of them (another program's, long ago).
    conn.execute("DELETE FROM history_log WHERE seq < (SELECT min(first_seq) FROM history)")


def forget_orphans(conn: sqlite3.Connection, after: int) -> None:
    """Drop log rows after ``after`` that no action owns (what a schema upgrade logged)."""
    conn.execute(
        "DELETE FROM history_log WHERE seq > ? AND NOT EXISTS "
        "(SELECT 1 FROM history a WHERE history_log.seq BETWEEN a.first_seq AND a.last_seq)",
        [after],
    )


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class BulkLog:
    """Compact history for a bulk insert into ``papers`` (an import), inside its transaction.

    The papers table's history triggers are off from construction until
    :meth:`finish`; the run's new papers are then logged as one range of ids,
    and the stored papers it changed as whole rows (call :meth:`before_update`
    before changing them). Tags and tag links keep their triggers; the links of
    new papers are dropped from the log, since undoing the range removes them.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        """Note where the run starts and take the papers triggers off."""
        self.conn = conn
        self.active = has_history(conn)
        self.start = last_seq(conn) if self.active else 0
        self.first_id = int(conn.execute("SELECT coalesce(max(id), 0) FROM papers").fetchone()[0]) + 1
        self.logged: set[int] = set()
        if self.active:
            remove(conn, ["papers"])
            self.image = image_sql("", columns(conn, "papers")[0])

    def before_update(self, ids: Iterable[int]) -> None:
        """Log stored papers (from before the run) as they are now, before the run changes them."""
        if not self.active:
            return
        todo = sorted({i for i in ids if i < self.first_id} - self.logged)
        for start in range(0, len(todo), 500):
            chunk = todo[start : start + 500]
            marks = ",".join("?" * len(chunk))
            self.conn.execute(
                "INSERT INTO history_log (tbl, key, old, new) SELECT 'papers', json_array(id), "
                f"{self.image}, '{{}}' FROM papers WHERE id IN ({marks}) ORDER BY id",
                chunk,
            )
        self.logged.update(todo)

    def finish(self) -> None:
        """Log the changed papers as they ended up and the new ones as a range; turn the triggers back on."""
        if not self.active:
            return
        self.conn.execute(
            f"UPDATE history_log SET new = (SELECT {self.image} FROM papers "
            "WHERE id = json_extract(history_log.key, '$[0]')) WHERE seq > ? AND tbl = 'papers'",
            [self.start],
        )
        self.conn.execute(
            "DELETE FROM history_log WHERE seq > ? AND tbl = 'paper_tags' AND json_extract(key, '$[0]') >= ?",
            [self.start, self.first_id],
        )
        last = int(self.conn.execute("SELECT coalesce(max(id), 0) FROM papers").fetchone()[0])
        if last >= self.first_id:
            self.conn.execute(
                "INSERT INTO history_log (tbl, key, old, new) VALUES (?, json_array(?, ?), NULL, NULL)",
                ["papers" + RANGE_SUFFIX, self.first_id, last],
            )
        install(self.conn, ["papers"])
        self.active = False


def entries(conn: sqlite3.Connection, limit: int = MAX_ACTIONS) -> list[HistoryEntry]:
    """The history, newest first (undone actions, which redo would bring back, included)."""
    if not has_history(conn):
        return []
    rows = conn.execute(
        "SELECT id, description, at, undone, last_seq - first_seq + 1 FROM history ORDER BY id DESC LIMIT ?",
        [limit],
    ).fetchall()
    return [HistoryEntry(i, d, at, bool(u), max(0, n)) for i, d, at, u, n in rows]

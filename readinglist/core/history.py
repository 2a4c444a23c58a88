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

A bulk import logs compactly (:class:`BulkLog`): its new papers as one range
of ids, the papers it enriched as whole rows. The history is bounded: the
newest :data:`MAX_ACTIONS` actions and :data:`MAX_BYTES` of log (the newest
action is always kept).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

from readinglist.core.errors import LibraryError

TRACKED = ("tags", "papers", "paper_tags", "saved_views")
"""The user-data tables, parents before children (the order inserts are replayed in)."""
MAX_ACTIONS = 1000
MAX_BYTES = 64 * 2**20
RANGE_SUFFIX = ":range"
"""A log row of table ``papers:range`` with key ``[first, last]`` stands for rows inserted in bulk."""
_PREFIX = "history_"
JOINED_PREFIXES = ("saved the note of ",)
"""Actions that fold into the newest one of the same description (see :func:`record`)."""
JOIN_WITHIN_S = 60
_TRIGGERS_SQL = (
    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'history\\_%' ESCAPE '\\'"
)

Image = dict[str, Any]


class HistoryEntry(NamedTuple):
    """One action in the history, as ``readinglist history`` lists it."""

    id: int
    description: str
    at: str
    undone: bool
    changes: int
    """How many log rows the action owns (a bulk range counts once)."""


class UndoConflict(LibraryError):
    """The rows an action changed have been changed since by something outside the history."""


# -- triggers -------------------------------------------------------------------------


def _columns(conn: sqlite3.Connection, table: str) -> tuple[list[str], list[str]]:
    """A table's columns and its primary-key columns, in order."""
    info = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
    cols = [row[1] for row in info]
    pk = [row[1] for row in sorted((r for r in info if r[5]), key=lambda r: r[5])]
    return cols, pk or ["rowid"]


def _image_sql(prefix: str, cols: Sequence[str]) -> str:
    return "json_object(" + ", ".join(f"'{c}', {prefix}\"{c}\"" for c in cols) + ")"


def _key_sql(prefix: str, pk: Sequence[str]) -> str:
    return "json_array(" + ", ".join(f'{prefix}"{c}"' for c in pk) + ")"


def trigger_sql(conn: sqlite3.Connection) -> dict[str, str]:
    """The history triggers the library's current columns need, by name."""
    out: dict[str, str] = {}
    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in TRACKED:
        if table not in present:
            continue
        cols, pk = _columns(conn, table)
        log = "INSERT INTO history_log (tbl, key, old, new)"
        out[f"{_PREFIX}{table}_ins"] = (
            f'CREATE TRIGGER {_PREFIX}{table}_ins AFTER INSERT ON "{table}" BEGIN '
            f"{log} VALUES ('{table}', {_key_sql('new.', pk)}, NULL, {_image_sql('new.', cols)}); END"
        )
        out[f"{_PREFIX}{table}_del"] = (
            f'CREATE TRIGGER {_PREFIX}{table}_del AFTER DELETE ON "{table}" BEGIN '
            f"{log} VALUES ('{table}', {_key_sql('old.', pk)}, {_image_sql('old.', cols)}, NULL); END"
        )
        changed = " OR ".join(f'old."{c}" IS NOT new."{c}"' for c in cols)
        # Only the changed columns, before and after: one row per column, kept if it changed.
        pairs = " UNION ALL ".join(
            f'SELECT \'{c}\' AS c, old."{c}" AS o, new."{c}" AS n WHERE old."{c}" IS NOT new."{c}"'
            for c in cols
        )
        out[f"{_PREFIX}{table}_upd"] = (
            f'CREATE TRIGGER {_PREFIX}{table}_upd AFTER UPDATE ON "{table}" WHEN {changed} BEGIN '
            f"{log} SELECT '{table}', {_key_sql('old.', pk)}, json_group_object(c, o), "
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


# -- recording ------------------------------------------------------------------------


def last_seq(conn: sqlite3.Connection) -> int:
    """The newest log row's number (0 when the log is empty)."""
    return int(conn.execute("SELECT coalesce(max(seq), 0) FROM history_log").fetchone()[0])


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
    size = _size(conn, start + 1, end)
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


def _size(conn: sqlite3.Connection, first: int, last: int) -> int:
    row = conn.execute(
        "SELECT coalesce(sum(length(key) + coalesce(length(old), 0) + coalesce(length(new), 0)), 0) "
        "FROM history_log WHERE seq BETWEEN ? AND ?",
        [first, last],
    ).fetchone()
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
            self.image = _image_sql("", _columns(conn, "papers")[0])

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


# -- undo and redo --------------------------------------------------------------------


class _Net:
    """One row's net change over an action: its image before and after (None: no such row).

    A plain class: a one-shot ``readinglist search`` imports this module, and
    dataclasses would cost it 15 ms of imports.
    """

    __slots__ = ("after", "before", "partial")

    def __init__(self, before: Image | None, after: Image | None, partial: bool = False) -> None:
        self.before = before
        self.after = after
        self.partial = partial
        """Whether ``before`` holds only the changed columns (the row existed throughout)."""


class _Plan:
    __slots__ = ("ranges", "rows")

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], _Net] = {}
        self.ranges: list[tuple[str, int, int]] = []


def _plan(conn: sqlite3.Connection, first: int, last: int) -> _Plan:
    plan = _Plan()
    cursor = conn.execute(
        "SELECT tbl, key, old, new FROM history_log WHERE seq BETWEEN ? AND ? ORDER BY seq", [first, last]
    )
    for tbl, key, old_text, new_text in cursor:
        if tbl.endswith(RANGE_SUFFIX):
            lo, hi = json.loads(key)
            plan.ranges.append((tbl[: -len(RANGE_SUFFIX)], int(lo), int(hi)))
            continue
        old = None if old_text is None else json.loads(old_text)
        new = None if new_text is None else json.loads(new_text)
        is_update = old is not None and new is not None
        net = plan.rows.get((tbl, key))
        if net is None:
            plan.rows[(tbl, key)] = _Net(old, new, partial=is_update)
            continue
        if net.before is not None and net.partial and old is not None:
            # First-seen values win; a later full image fills in the columns not yet seen.
            net.before = {**old, **net.before}
            net.partial = is_update
        if new is None:
            net.after = None
        elif net.after is None or not is_update:
            net.after = dict(new)
        else:
            net.after.update(new)
    return plan


def _describe_row(tbl: str, key: list[Any]) -> str:
    if tbl == "papers":
        return f"paper {key[0]}"
    if tbl == "paper_tags":
        return f"the tags of paper {key[0]}"
    if tbl == "tags":
        return f"tag {key[0]}"
    return f"{tbl} row {', '.join(map(str, key))}"


def _current(conn: sqlite3.Connection, tbl: str, keys: list[list[Any]]) -> dict[str, Image]:
    """The rows of ``tbl`` with these keys as images, by key text."""
    cols, pk = _columns(conn, tbl)
    out: dict[str, Image] = {}
    image, key_sql = _image_sql("", cols), _key_sql("", pk)
    for start in range(0, len(keys), 300):
        chunk = keys[start : start + 300]
        if len(pk) == 1:
            where = f'"{pk[0]}" IN ({",".join("?" * len(chunk))})'
            params = [k[0] for k in chunk]
        else:
            names = ", ".join(f'"{c}"' for c in pk)
            row = "(" + ",".join("?" * len(pk)) + ")"
            where = f"({names}) IN (VALUES {','.join([row] * len(chunk))})"
            params = [v for k in chunk for v in k]
        for key_text, image_text in conn.execute(
            f'SELECT {key_sql}, {image} FROM "{tbl}" WHERE {where}', params
        ):
            out[key_text] = json.loads(image_text)
    return out


def _check(conn: sqlite3.Connection, plan: _Plan, expect_after: bool, since: int) -> str | None:
    """Why the plan cannot be applied (a row differs from what the action left), or None."""
    by_table: dict[str, list[tuple[str, _Net]]] = {}
    for (tbl, key), net in plan.rows.items():
        by_table.setdefault(tbl, []).append((key, net))
    for tbl, items in by_table.items():
        current = {
            # Keys are json_array() text both in the log and here: compared as text.
            k: v
            for k, v in _current(conn, tbl, [json.loads(k) for k, _ in items]).items()
        }
        for key, net in items:
            want = net.after if expect_after else net.before
            have = current.get(key)
            same = (have is None) if want is None else (have is not None and _matches(have, want))
            if not same:
                return f"{_describe_row(tbl, json.loads(key))} was changed since by another program"
    for tbl, lo, hi in plan.ranges:
        # The range's rows have no images: any change to them logged by no action is another program's.
        changed = conn.execute(
            "SELECT key FROM history_log h WHERE seq > ? AND tbl = ? "
            "AND json_extract(key, '$[0]') BETWEEN ? AND ? AND NOT EXISTS "
            "(SELECT 1 FROM history a WHERE h.seq BETWEEN a.first_seq AND a.last_seq) LIMIT 1",
            [since, tbl, lo, hi],
        ).fetchone()
        if changed is not None:
            return f"{_describe_row(tbl, json.loads(changed[0]))} was changed since by another program"
    return None


def _matches(have: Image, want: Image) -> bool:
    return all(have.get(col) == value for col, value in want.items() if col in have)


def _apply(conn: sqlite3.Connection, plan: _Plan) -> None:
    """Make every row of the plan what it was before the action."""
    in_range = {(tbl, lo, hi) for tbl, lo, hi in plan.ranges}
    deletes: dict[str, list[list[Any]]] = {}
    updates: list[tuple[str, list[Any], Image]] = []
    inserts: dict[str, list[Image]] = {}
    for (tbl, key_text), net in plan.rows.items():
        key = json.loads(key_text)
        if tbl == "papers" and any(t == tbl and lo <= key[0] <= hi for t, lo, hi in in_range):
            continue  # removed with its range
        target, now = net.before, net.after
        if target is None and now is not None:
            deletes.setdefault(tbl, []).append(key)
        elif target is not None and now is None:
            inserts.setdefault(tbl, []).append(target)
        elif target is not None:
            updates.append((tbl, key, target))
    # Set-wise, a statement per table and column set: a full-text index flushes its
    # pending terms at the end of every statement, so row-by-row statements wrote a
    # segment per paper (32 s to undo tagging 20k papers; one statement: a few).
    order = [*TRACKED, *sorted({*deletes, *inserts, *(u[0] for u in updates)} - set(TRACKED))]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    order = [t for t in order if t in tables]
    info = {t: _columns(conn, t) for t in order}
    for tbl in reversed(order):
        keys = deletes.get(tbl, [])
        if keys:
            pk = info[tbl][1]
            stage = _stage(conn, keys)
            names = ", ".join(f'"{c}"' for c in pk)
            picked = ", ".join(f"c{i}" for i in range(len(pk)))
            conn.execute(f'DELETE FROM "{tbl}" WHERE ({names}) IN (SELECT {picked} FROM {stage})')
        for rtbl, lo, hi in plan.ranges:
            if rtbl == tbl:
                conn.execute(f'DELETE FROM "{tbl}" WHERE rowid BETWEEN ? AND ?', [lo, hi])
    groups: dict[tuple[str, tuple[str, ...]], list[list[Any]]] = {}
    for tbl, key, image in updates:
        cols = info[tbl][0]
        sets = tuple(c for c in image if c in cols)
        if sets:
            groups.setdefault((tbl, sets), []).append([*key, *(image[c] for c in sets)])
    for (tbl, sets), rows in groups.items():
        pk = info[tbl][1]
        stage = _stage(conn, rows)
        names = ", ".join(f'"{c}"' for c in sets)
        values = ", ".join(f"s.c{len(pk) + i}" for i in range(len(sets)))
        where = " AND ".join(f'"{tbl}"."{c}" = s.c{i}' for i, c in enumerate(pk))
        conn.execute(f'UPDATE "{tbl}" SET ({names}) = ({values}) FROM {stage} AS s WHERE {where}')
    for tbl in order:
        by_cols: dict[tuple[str, ...], list[list[Any]]] = {}
        known = info[tbl][0]
        for image in inserts.get(tbl, []):
            present = tuple(c for c in image if c in known)
            by_cols.setdefault(present, []).append([image[c] for c in present])
        for present, rows in by_cols.items():
            stage = _stage(conn, rows)
            names = ", ".join(f'"{c}"' for c in present)
            picked = ", ".join(f"c{i}" for i in range(len(present)))
            conn.execute(f'INSERT INTO "{tbl}" ({names}) SELECT {picked} FROM {stage} ORDER BY rowid')
    conn.execute("DROP TABLE IF EXISTS temp._history_stage")


def _stage(conn: sqlite3.Connection, rows: list[list[Any]]) -> str:
    """A temporary table ``c0, c1, …`` holding ``rows`` (untyped: values stay as given)."""
    conn.execute("DROP TABLE IF EXISTS temp._history_stage")
    width = len(rows[0])
    conn.execute(f"CREATE TEMP TABLE _history_stage ({', '.join(f'c{i}' for i in range(width))})")
    conn.executemany(f"INSERT INTO temp._history_stage VALUES ({','.join('?' * width)})", rows)
    return "temp._history_stage"


def step(conn: sqlite3.Connection, redo: bool) -> str | None:
    """Undo the newest action (or redo the oldest undone one) inside the caller's transaction.

    Returns:
        The action's description, or None if there is nothing to undo (redo).

    Raises:
        UndoConflict: a row the action changed was changed since; nothing is changed.
    """
    if not has_history(conn):
        return None
    order = "ASC" if redo else "DESC"
    row = conn.execute(
        "SELECT id, description, first_seq, last_seq FROM history "
        f"WHERE undone = ? ORDER BY id {order} LIMIT 1",
        [int(redo)],
    ).fetchone()
    if row is None:
        return None
    action_id, description, first, last = row
    plan = _plan(conn, first, last)
    verb = "redo" if redo else "undo"
    reason = _check(conn, plan, expect_after=True, since=last)
    if reason is not None:
        raise UndoConflict(f'cannot {verb} "{description}": {reason}')
    start = last_seq(conn)
    # The stored log always describes the last change made: undoing applies its inverse.
    _apply(conn, plan)
    end = last_seq(conn)
    conn.execute("DELETE FROM history_log WHERE seq BETWEEN ? AND ?", [first, last])
    conn.execute(
        "UPDATE history SET first_seq = ?, last_seq = ?, undone = ?, size = ? WHERE id = ?",
        [start + 1, end, int(not redo), _size(conn, start + 1, end), action_id],
    )
    return str(description)


def entries(conn: sqlite3.Connection, limit: int = MAX_ACTIONS) -> list[HistoryEntry]:
    """The history, newest first (undone actions, which redo would bring back, included)."""
    if not has_history(conn):
        return []
    rows = conn.execute(
        "SELECT id, description, at, undone, last_seq - first_seq + 1 FROM history ORDER BY id DESC LIMIT ?",
        [limit],
    ).fetchall()
    return [HistoryEntry(i, d, at, bool(u), max(0, n)) for i, d, at, u, n in rows]

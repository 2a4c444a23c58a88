"""Undo and redo: apply the inverse of an action's logged changes, after checking nothing else changed them.

Undo computes each row's net change over the action, checks that every row is
still as the action left it (else :class:`UndoConflict`, and nothing changes),
then applies the inverse set-wise: deletes (children first), updates, inserts
(parents first). The log rows the undo itself writes (the triggers are on)
replace the action's log, so redo is the same operation run on them.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from readinglist.core.errors import LibraryError
from readinglist.core.history_triggers import (
    RANGE_SUFFIX,
    TRACKED,
    Image,
    columns,
    has_history,
    image_sql,
    last_seq,
    log_size,
)


class UndoConflict(LibraryError):
    """The rows an action changed have been changed since by something outside the history."""


_RAW: Any = object()
"""An image not parsed yet: its log text stands for it."""


class _Net:
    """One row's net change over an action: its image before and after (None: no such row).

    The images stay as their log text until needed: undoing an action over 100k
    rows compares most of them as text (see :func:`_check`), and parsing
    every image cost more than the rest of the undo.

    A plain class: a one-shot ``readinglist search`` imports this module, and
    dataclasses would cost it 15 ms of imports.
    """

    __slots__ = ("_after", "_before", "after_text", "before_text", "partial")

    def __init__(self, before_text: str | None, after_text: str | None, partial: bool = False) -> None:
        self.before_text = before_text
        self.after_text = after_text
        self._before: Image | None = _RAW
        self._after: Image | None = _RAW
        self.partial = partial
        """Whether ``before`` holds only the changed columns (the row existed throughout)."""

    @property
    def before(self) -> Image | None:
        if self._before is _RAW:
            self._before = None if self.before_text is None else json.loads(self.before_text)
        return self._before

    @before.setter
    def before(self, image: Image | None) -> None:
        self._before, self.before_text = image, None

    @property
    def after(self) -> Image | None:
        if self._after is _RAW:
            self._after = None if self.after_text is None else json.loads(self.after_text)
        return self._after

    @after.setter
    def after(self, image: Image | None) -> None:
        self._after, self.after_text = image, None

    def raw(self, after: bool) -> tuple[bool, str | None]:
        """``(True, text)`` while the image is its log text (None: no such row), else ``(False, None)``."""
        parsed, text = (self._after, self.after_text) if after else (self._before, self.before_text)
        return (True, text) if parsed is _RAW else (False, None)


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
        is_update = old_text is not None and new_text is not None
        net = plan.rows.get((tbl, key))
        if net is None:
            plan.rows[(tbl, key)] = _Net(old_text, new_text, partial=is_update)
            continue
        # The row again: merge its images (parsed now).
        old = None if old_text is None else json.loads(old_text)
        new = None if new_text is None else json.loads(new_text)
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


def _current(conn: sqlite3.Connection, tbl: str, keys: list[str]) -> dict[str, str]:
    """The rows of ``tbl`` with these keys (log key text) as image text, by key text.

    One join against the keys staged in a temporary table (chunks of ``IN``
    lists cost 8 ms per 300 rows of ``paper_tags``: 2.8 s for 100k).
    """
    cols, pk = columns(conn, tbl)
    stage = _stage(conn, [[k] for k in keys]) if keys else None
    if stage is None:
        return {}
    on = " AND ".join(f"t.\"{c}\" = json_extract(s.c0, '$[{i}]')" for i, c in enumerate(pk))
    sql = f'SELECT s.c0, {image_sql("t.", cols)} FROM {stage} s JOIN "{tbl}" t ON {on}'
    out = dict(conn.execute(sql).fetchall())
    conn.execute("DROP TABLE IF EXISTS temp._history_stage")
    return out


def _check(conn: sqlite3.Connection, plan: _Plan, expect_after: bool, since: int) -> str | None:
    """Why the plan cannot be applied (a row differs from what the action left), or None."""
    by_table: dict[str, list[tuple[str, _Net]]] = {}
    for (tbl, key), net in plan.rows.items():
        by_table.setdefault(tbl, []).append((key, net))
    for tbl, items in by_table.items():
        current = _current(conn, tbl, [k for k, _ in items])
        for key, net in items:
            have = current.get(key)
            known, text = net.raw(expect_after)
            if known and (text is None or text == have):
                # The logged image as text: the same columns in the same order give the same
                # text for the same values (a row's image since a column was added does not).
                same = have is None if text is None else True
            else:
                want = net.after if expect_after else net.before
                same = (
                    (have is None)
                    if want is None
                    else (have is not None and _matches(json.loads(have), want))
                )
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
    inserts: dict[str, list[Image | str]] = {}  # an image, or its log text
    for (tbl, key_text), net in plan.rows.items():
        if tbl == "papers" and in_range:
            pid = json.loads(key_text)[0]
            if any(t == tbl and lo <= pid <= hi for t, lo, hi in in_range):
                continue  # removed with its range
        known_before, before_text = net.raw(False)
        known_after, after_text = net.raw(True)
        target_absent = before_text is None if known_before else net.before is None
        now_absent = after_text is None if known_after else net.after is None
        if target_absent and not now_absent:
            deletes.setdefault(tbl, []).append([key_text])  # the key's text, taken apart in SQL
        elif not target_absent and now_absent:
            image = before_text if known_before and before_text is not None else net.before or {}
            inserts.setdefault(tbl, []).append(image)
        elif not target_absent:
            updates.append((tbl, json.loads(key_text), net.before or {}))
    # Set-wise, a statement per table and column set: a full-text index flushes its
    # pending terms at the end of every statement, so row-by-row statements wrote a
    # segment per paper (32 s to undo tagging 20k papers; one statement: a few).
    order = [*TRACKED, *sorted({*deletes, *inserts, *(u[0] for u in updates)} - set(TRACKED))]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    order = [t for t in order if t in tables]
    info = {t: columns(conn, t) for t in order}
    for tbl in reversed(order):
        keys = deletes.get(tbl, [])
        if keys:
            pk = info[tbl][1]
            stage = _stage(conn, keys)
            names = ", ".join(f'"{c}"' for c in pk)
            picked = ", ".join(f"json_extract(c0, '$[{i}]')" for i in range(len(pk)))
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
        texts: list[list[Any]] = []
        for image in inserts.get(tbl, []):
            if isinstance(image, str):
                texts.append([image])
                continue
            present = tuple(c for c in image if c in known)
            by_cols.setdefault(present, []).append([image[c] for c in present])
        if texts:
            _insert_texts(conn, tbl, known, texts)
        for present, rows in by_cols.items():
            stage = _stage(conn, rows)
            names = ", ".join(f'"{c}"' for c in present)
            picked = ", ".join(f"c{i}" for i in range(len(present)))
            conn.execute(f'INSERT INTO "{tbl}" ({names}) SELECT {picked} FROM {stage} ORDER BY rowid')
    conn.execute("DROP TABLE IF EXISTS temp._history_stage")


def _insert_texts(conn: sqlite3.Connection, tbl: str, known: list[str], texts: list[list[Any]]) -> None:
    """Insert rows given as their images' log text, taken apart in SQL (parsing 100k in Python cost 1 s).

    Images logged under another schema may name other columns: each set of
    names is inserted on its own, with the columns the table still has.
    """
    stage = _stage(conn, texts)
    names_of = f"(SELECT group_concat(key, char(31)) FROM json_each({stage}.c0))"
    for (names,) in conn.execute(f"SELECT DISTINCT {names_of} FROM {stage}").fetchall():
        present = [c for c in str(names).split("\x1f") if c in known]
        cols = ", ".join(f'"{c}"' for c in present)
        picked = ", ".join(f"json_extract(c0, '$.\"{c}\"')" for c in present)
        conn.execute(
            f'INSERT INTO "{tbl}" ({cols}) SELECT {picked} FROM {stage} WHERE {names_of} = ? ORDER BY rowid',
            [names],
        )


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
        [start + 1, end, int(not redo), log_size(conn, start + 1, end), action_id],
    )
    return str(description)

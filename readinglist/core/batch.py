"""Changes to many papers at once, each one undoable action (the app's marks; the CLI's selections).

Starring and tagging are set-wise (a temporary table of the ids, a handful
of statements whatever their number), so marking a 100k-paper library and
tagging it all stays within a couple of seconds; the status and queue
changes go paper by paper through :class:`~readinglist.core.store.Library`,
since each one moves the queue.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from readinglist.core.models import Status, clean_tags
from readinglist.core.store import Library
from readinglist.core.wording import count_of

_IDS = "temp._batch_ids"


def _load_ids(library: Library, ids: Sequence[int]) -> None:
    """Fill the temporary id table (inside the caller's transaction)."""
    conn = library.conn
    conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_IDS[5:]} (id INTEGER PRIMARY KEY)")
    conn.execute(f"DELETE FROM {_IDS}")
    conn.executemany(f"INSERT OR IGNORE INTO {_IDS} (id) VALUES (?)", [(i,) for i in ids])


def count_where(library: Library, ids: Sequence[int], condition: str) -> int:
    """How many papers of ``ids`` meet ``condition`` (SQL over ``papers``; a constant, never user text)."""
    with library.write():  # the temporary table is written: a write transaction, but no change
        _load_ids(library, ids)
        sql = f"SELECT count(*) FROM papers WHERE id IN (SELECT id FROM {_IDS}) AND ({condition})"
        return int(library.conn.execute(sql).fetchone()[0])


def set_starred(library: Library, ids: Sequence[int], starred: bool) -> int:
    """Star (or unstar) every paper of ``ids``; returns how many changed."""
    verb = "starred" if starred else "unstarred"
    with library.action(f"{verb} {count_of(len(ids))}") as db:
        _load_ids(library, ids)
        cursor = db.execute(
            f"UPDATE papers SET starred = ? WHERE starred != ? AND id IN (SELECT id FROM {_IDS})",
            [int(starred), int(starred)],
        )
        return cursor.rowcount


def tag(library: Library, ids: Sequence[int], add: Iterable[str] = (), remove: Iterable[str] = ()) -> int:
    """Add and remove tags on every paper of ``ids`` (``+a -b`` for all); returns how many changed."""
    add, remove = clean_tags(add), clean_tags(remove)
    changes = " ".join([*(f"+{t}" for t in add), *(f"-{t}" for t in remove)])
    with library.action(f"tagged {count_of(len(ids))} {changes}".rstrip()) as db:
        _load_ids(library, ids)
        conn = library.conn
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS _batch_touched (id INTEGER PRIMARY KEY)")
        conn.execute("DELETE FROM temp._batch_touched")
        for name in remove:
            tag_id = conn.execute("SELECT id FROM tags WHERE name = ? COLLATE NOCASE", [name]).fetchone()
            if tag_id is None:
                continue
            conn.execute(
                "INSERT OR IGNORE INTO temp._batch_touched SELECT paper_id FROM paper_tags "
                f"WHERE tag_id = ? AND paper_id IN (SELECT id FROM {_IDS})",
                tag_id,
            )
            conn.execute(
                f"DELETE FROM paper_tags WHERE tag_id = ? AND paper_id IN (SELECT id FROM {_IDS})", tag_id
            )
        for name in add:
            db.execute("INSERT OR IGNORE INTO tags(name) VALUES (?)", [name])
            (tag_id,) = conn.execute("SELECT id FROM tags WHERE name = ? COLLATE NOCASE", [name]).fetchone()
            conn.execute(
                "INSERT OR IGNORE INTO temp._batch_touched SELECT b.id FROM temp._batch_ids b "
                "JOIN papers p ON p.id = b.id WHERE NOT EXISTS "
                "(SELECT 1 FROM paper_tags pt WHERE pt.paper_id = b.id AND pt.tag_id = ?)",
                [tag_id],
            )
            conn.execute(
                "INSERT OR IGNORE INTO paper_tags (paper_id, tag_id) "
                f"SELECT b.id, ? FROM {_IDS} b JOIN papers p ON p.id = b.id",
                [tag_id],
            )
        # Nothing else to write: search finds tag words through paper_tags (m010_tags_apart).
        return int(conn.execute("SELECT count(*) FROM temp._batch_touched").fetchone()[0])


def set_status(library: Library, ids: Sequence[int], status: Status) -> None:
    """Set the reading status of every paper of ``ids``, as :meth:`Library.set_status` does for one.

    Read and unread take papers out of the queue (which closes up); queued puts
    them at its end, in the order given.
    """
    if status is Status.QUEUED:
        queue(library, ids, True, f"marked {count_of(len(ids))} queued")
        return
    with library.action(f"marked {count_of(len(ids))} {status.value}") as db:
        _load_ids(library, ids)
        inside = f"id IN (SELECT id FROM {_IDS})"
        if status is Status.READING:
            db.execute(f"UPDATE papers SET status = 'reading' WHERE {inside} AND status != 'reading'")
            return
        db.execute(
            f"UPDATE papers SET status = ?, queue_position = NULL WHERE {inside} "
            "AND (status != ? OR queue_position IS NOT NULL)",
            [status.value, status.value],
        )
        _close_up(library)


def queue(library: Library, ids: Sequence[int], add: bool, description: str | None = None) -> None:
    """Put every paper of ``ids`` at the end of the queue, in order (or take them all out)."""
    what = count_of(len(ids))
    text = f"queued {what}" if add else f"took {what} out of the queue"
    with library.action(description or text) as db:
        _load_ids(library, ids)
        inside = f"id IN (SELECT id FROM {_IDS})"
        if not add:
            db.execute(
                "UPDATE papers SET queue_position = NULL, status = CASE WHEN status = 'queued' "
                f"THEN 'unread' ELSE status END WHERE {inside} AND queue_position IS NOT NULL"
            )
            _close_up(library)
            return
        end = int(db.execute("SELECT coalesce(max(queue_position), 0) FROM papers").fetchone()[0])
        order = {paper_id: n for n, paper_id in enumerate(dict.fromkeys(ids), start=1)}
        library.conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS _batch_order (id INTEGER PRIMARY KEY, n INTEGER)"
        )
        library.conn.execute("DELETE FROM temp._batch_order")
        library.conn.executemany("INSERT INTO temp._batch_order VALUES (?, ?)", list(order.items()))
        db.execute(
            """UPDATE papers SET queue_position = ? + q.r, status = CASE WHEN status IN ('read', 'unread')
               THEN 'queued' ELSE status END
               FROM (SELECT o.id, row_number() OVER (ORDER BY o.n) AS r FROM temp._batch_order o
                     JOIN papers p ON p.id = o.id WHERE p.queue_position IS NULL) AS q
               WHERE papers.id = q.id""",
            [end],
        )


def _close_up(library: Library) -> None:
    """Number the queue 1, 2, 3… again after papers left it (keeping its order)."""
    library.conn.execute(
        """UPDATE papers SET queue_position = q.r
           FROM (SELECT id, row_number() OVER (ORDER BY queue_position, id) AS r
                 FROM papers WHERE queue_position IS NOT NULL) AS q
           WHERE papers.id = q.id AND papers.queue_position != q.r"""
    )


def delete(library: Library, ids: Sequence[int]) -> None:
    """Delete every paper of ``ids`` with its tags, note and queue place, as one undoable action."""
    with library.action(f"deleted {count_of(len(ids))}"):
        for paper_id in ids:
            library.delete(paper_id)

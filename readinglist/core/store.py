"""The library: one SQLite file of papers and the user's data about them.

All access goes through :class:`Library`; the connection, upgrades, error
translation and transactions live in :mod:`readinglist.core.connection`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from readinglist.core import links
from readinglist.core.connection import BUSY_TIMEOUT_S, OUR_TABLES, Connection
from readinglist.core.errors import LibraryError, PaperNotFound
from readinglist.core.models import Paper, Status, View, clean_tags
from readinglist.core.notes import NoteWrite, resolve

__all__ = [
    "BUSY_TIMEOUT_S",
    "OUR_TABLES",
    "VIEW_SQL",
    "Library",
    "like_escape",
    "now",
    "row_to_paper",
    "tag_filter",
]

VIEW_SQL: dict[View, tuple[str, str]] = {
    View.ALL: ("1", "p.added_at DESC, p.id"),
    View.QUEUE: ("p.queue_position IS NOT NULL", "p.queue_position"),
    View.STARRED: ("p.starred = 1", "p.added_at DESC, p.id"),
    View.UNREAD: ("p.status != 'read'", "p.added_at DESC, p.id"),
    View.READ: ("p.status = 'read'", "p.added_at DESC, p.id"),
}
"""Which papers (``papers p``) each view shows, and in which order: the one definition,
which listing a view and searching in it share."""


def like_escape(text: str) -> str:
    """Escape ``text`` for a LIKE pattern with a backslash escape."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def tag_filter(name: str, prefix: bool = False) -> tuple[str, list[str]]:
    """The condition on ``papers p`` for papers with tag ``name`` (case-insensitive), and its parameters.

    A tag's papers include those of the tags under it (``ml`` finds ``ml/rl`` too).

    Args:
        name: The tag, with or without its leading ``#``.
        prefix: Any tag that starts with ``name`` (while a ``tag:`` filter is being typed).
    """
    name = name.lstrip("#")
    if prefix:
        op, params = "LIKE ? ESCAPE '\\'", [like_escape(name) + "%"]
    else:
        op, params = "= ? COLLATE NOCASE OR t.name LIKE ? ESCAPE '\\'", [name, like_escape(name) + "/%"]
    sub = f"SELECT pt.paper_id FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id WHERE t.name {op}"
    return f"p.id IN ({sub})", params


def now() -> str:
    """The current UTC time as an ISO-8601 string with seconds."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Library(Connection):
    """A readinglist library file: its papers and the user's data about them.

    Opened as ``Library(path, create=True, threadsafe=False)``; see
    :class:`~readinglist.core.connection.Connection` for the arguments and errors.
    """

    # -- reading --------------------------------------------------------------

    def count(self, view: View = View.ALL, tag: str | None = None) -> int:
        """How many papers a view (optionally narrowed to a tag) holds."""
        where, params = self._where(view, tag)
        return int(self._one(f"SELECT count(*) FROM papers p WHERE {where}", params))

    def ids(self, view: View = View.ALL, tag: str | None = None) -> list[int]:
        """The ids of a view's papers, in the view's order."""
        where, params = self._where(view, tag)
        order = VIEW_SQL[view][1]
        with self.errors():
            rows = self.conn.execute(f"SELECT p.id FROM papers p WHERE {where} ORDER BY {order}", params)
            return [row[0] for row in rows]

    def papers(
        self, view: View = View.ALL, tag: str | None = None, *, limit: int = -1, offset: int = 0
    ) -> list[Paper]:
        """The papers of a view, in the view's order, optionally one page of them."""
        where, params = self._where(view, tag)
        order = VIEW_SQL[view][1]
        sql = f"SELECT p.* FROM papers p WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?"
        with self.errors():
            rows = self.conn.execute(sql, [*params, limit, offset]).fetchall()
            cols = self._columns()
            return self._to_papers([dict(zip(cols, row, strict=True)) for row in rows])

    def get(self, paper_id: int) -> Paper:
        """One paper by id.

        Raises:
            PaperNotFound: if there is no such paper.
        """
        found = self.get_many([paper_id])
        if not found:
            raise PaperNotFound(paper_id)
        return found[0]

    def get_many(self, ids: Sequence[int]) -> list[Paper]:
        """The papers with these ids, in the order given; unknown ids are left out."""
        if not ids:
            return []
        by_id: dict[int, Paper] = {}
        with self.errors():
            for start in range(0, len(ids), 500):
                chunk = list(ids[start : start + 500])
                marks = ",".join("?" * len(chunk))
                rows = self.conn.execute(f"SELECT * FROM papers WHERE id IN ({marks})", chunk).fetchall()
                cols = self._columns()
                for paper in self._to_papers([dict(zip(cols, row, strict=True)) for row in rows]):
                    by_id[paper.id] = paper
        return [by_id[i] for i in ids if i in by_id]

    def all_tags(self) -> list[tuple[str, int]]:
        """Every tag with the number of papers carrying it, most used first."""
        sql = """SELECT t.name, count(pt.paper_id) AS n FROM tags t
                 LEFT JOIN paper_tags pt ON pt.tag_id = t.id GROUP BY t.id HAVING n > 0
                 ORDER BY n DESC, t.name COLLATE NOCASE"""
        with self.errors():
            return [(name, n) for name, n in self.conn.execute(sql).fetchall()]

    def stats(self) -> dict[str, int]:
        """Counts for ``readinglist stats``: papers, starred, queued, read, tags, notes."""
        sql = """SELECT count(*), coalesce(sum(starred), 0),
                        coalesce(sum(queue_position IS NOT NULL), 0),
                        coalesce(sum(status = 'read'), 0), coalesce(sum(notes != ''), 0)
                 FROM papers"""
        with self.errors():
            papers, starred, queued, read, notes = self.conn.execute(sql).fetchone()
        return {
            "papers": papers,
            "starred": starred,
            "queued": queued,
            "read": read,
            "tags": len(self.all_tags()),
            "notes": notes,
        }

    def _where(self, view: View, tag: str | None) -> tuple[str, list[Any]]:
        where = VIEW_SQL[view][0]
        if tag is None:
            return where, []
        condition, params = tag_filter(tag)
        return f"{where} AND {condition}", params

    def _columns(self) -> list[str]:
        if not hasattr(self, "_cols"):
            self._cols = [row[1] for row in self.conn.execute("PRAGMA table_info(papers)")]
        return self._cols

    def _to_papers(self, rows: list[dict[str, Any]]) -> list[Paper]:
        if not rows:
            return []
        tags = self._tags_of([r["id"] for r in rows])
        return [row_to_paper(r, tags.get(r["id"], ())) for r in rows]

    def _tags_of(self, ids: list[int]) -> dict[int, tuple[str, ...]]:
        marks = ",".join("?" * len(ids))
        sql = f"""SELECT pt.paper_id, t.name FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id
                  WHERE pt.paper_id IN ({marks}) ORDER BY t.name COLLATE NOCASE"""
        out: dict[int, list[str]] = {}
        for paper_id, name in self.conn.execute(sql, ids):
            out.setdefault(paper_id, []).append(name)
        return {k: tuple(v) for k, v in out.items()}

    def label(self, paper_id: int) -> str:
        """How an action's description names a paper: its title, shortened, in quotes."""
        title = self._one("SELECT title FROM papers WHERE id = ?", [paper_id])
        if title is None:
            return f"paper {paper_id}"
        title = " ".join(str(title).split())
        return f'"{title[:37]}…"' if len(title) > 40 else f'"{title}"'

    def require(self, paper_id: int) -> None:
        """Raise :class:`PaperNotFound` unless the paper exists."""
        if self._one("SELECT 1 FROM papers WHERE id = ?", [paper_id]) is None:
            raise PaperNotFound(paper_id)

    # -- the user's data --------------------------------------------------------

    def set_starred(self, paper_id: int, starred: bool) -> None:
        """Star or unstar a paper."""
        with self.action(f"{'starred' if starred else 'unstarred'} {self.label(paper_id)}") as db:
            self.require(paper_id)
            db.execute("UPDATE papers SET starred = ? WHERE id = ?", [int(starred), paper_id])

    def set_status(self, paper_id: int, status: Status) -> None:
        """Set a paper's reading status.

        Marking a paper read takes it out of the queue; marking a queued paper
        unread does too. ``queued`` puts it at the end of the queue.
        """
        if status is Status.QUEUED:
            self.queue_add(paper_id)
            return
        with self.action(f"marked {self.label(paper_id)} {status.value}") as db:
            self.require(paper_id)
            if status in (Status.READ, Status.UNREAD):
                self._queue_detach(paper_id)
            db.execute("UPDATE papers SET status = ? WHERE id = ?", [status.value, paper_id])

    def set_note(self, paper_id: int, text: str, *, base: str | None = None) -> NoteWrite:
        """Replace a paper's Markdown note (an empty text deletes it).

        Args:
            paper_id: The paper.
            text: The new note.
            base: The note as the caller read it before editing. When given, the
                write is a compare-and-swap inside the write transaction: if the
                stored note changed since, nothing is overwritten and both texts
                are kept (see :func:`readinglist.core.notes.resolve`).

        Returns:
            What the library holds now, and whether the note had changed elsewhere.
        """
        with self.action(f"saved the note of {self.label(paper_id)}") as db:
            stored = self.note(paper_id)
            stamp = now()
            new, elsewhere = resolve(stored, text, base, stamp)
            if new != stored:
                db.execute(
                    "UPDATE papers SET notes = ?, notes_updated_at = ? WHERE id = ?", [new, stamp, paper_id]
                )
            return NoteWrite(new, new != stored, elsewhere)

    def note(self, paper_id: int) -> str:
        """A paper's note, read alone (cheaper than :meth:`get`)."""
        text = self._one("SELECT notes FROM papers WHERE id = ?", [paper_id])
        if text is None:
            raise PaperNotFound(paper_id)
        return str(text)

    def data_version(self) -> int:
        """A number that changes when another connection commits to the library.

        SQLite's ``PRAGMA data_version``: this connection's own writes leave it
        alone, so a window that shows a note can poll it to learn, for next to
        nothing, when to read the note again.
        """
        return int(self._one("PRAGMA data_version"))

    def tag(self, paper_id: int, add: Iterable[str] = (), remove: Iterable[str] = ()) -> tuple[str, ...]:
        """Add and remove tags on a paper and return its tags afterwards.

        Tag names are trimmed, a leading ``#`` is dropped and matching ignores case.

        Raises:
            LibraryError: if a tag to add holds a comma (BibTeX and CSV would split it).
        """
        add = list(add)
        if bad := next((n for n in add if "," in n), None):
            raise LibraryError(
                f"tag {bad.strip()!r} holds a comma; tags cannot (BibTeX and CSV would split it)"
            )
        remove = list(remove)
        changes = " ".join([*(f"+{t}" for t in clean_tags(add)), *(f"-{t}" for t in clean_tags(remove))])
        with self.action(f"tagged {self.label(paper_id)} {changes}".rstrip()) as db:
            self.require(paper_id)
            for name in clean_tags(remove):
                db.execute(
                    "DELETE FROM paper_tags WHERE paper_id = ? AND tag_id = "
                    "(SELECT id FROM tags WHERE name = ? COLLATE NOCASE)",
                    [paper_id, name],
                )
            self.attach_tags(paper_id, clean_tags(add))
        return self.get(paper_id).tags

    def attach_tags(self, paper_id: int, names: Iterable[str]) -> None:
        """Link tags to a paper inside the caller's transaction, creating new ones."""
        for name in names:
            self.db.execute("INSERT OR IGNORE INTO tags(name) VALUES (?)", [name])
            self.db.execute(
                "INSERT OR IGNORE INTO paper_tags(paper_id, tag_id) "
                "SELECT ?, id FROM tags WHERE name = ? COLLATE NOCASE",
                [paper_id, name],
            )

    # -- the reading queue ------------------------------------------------------

    def queue_add(self, paper_id: int) -> int:
        """Put a paper at the end of the queue (a no-op if it is queued) and return its position."""
        with self.action(f"queued {self.label(paper_id)}") as db:
            self.require(paper_id)
            pos = self._one("SELECT queue_position FROM papers WHERE id = ?", [paper_id])
            if pos is not None:
                return int(pos)
            end = int(self._one("SELECT coalesce(max(queue_position), 0) FROM papers"))
            db.execute(
                "UPDATE papers SET queue_position = ?, status = CASE WHEN status = 'read' "
                "OR status = 'unread' THEN 'queued' ELSE status END WHERE id = ?",
                [end + 1, paper_id],
            )
            return end + 1

    def queue_remove(self, paper_id: int) -> None:
        """Take a paper out of the queue; a queued (not yet started) paper becomes unread."""
        with self.action(f"took {self.label(paper_id)} out of the queue") as db:
            self.require(paper_id)
            self._queue_detach(paper_id)
            db.execute("UPDATE papers SET status = 'unread' WHERE id = ? AND status = 'queued'", [paper_id])

    def queue_move(self, paper_id: int, offset: int) -> int:
        """Move a queued paper ``offset`` places (negative is towards the top).

        Returns:
            The paper's new position (clamped to the queue).

        Raises:
            LibraryError: if the paper is not in the queue.
        """
        where = "up" if offset < 0 else "down"
        with self.action(f"moved {self.label(paper_id)} {where} the queue") as db:
            pos = self._queue_position(paper_id)
            size = int(self._one("SELECT count(*) FROM papers WHERE queue_position IS NOT NULL"))
            target = max(1, min(size, pos + offset))
            if target < pos:
                db.execute(
                    "UPDATE papers SET queue_position = queue_position + 1 "
                    "WHERE queue_position >= ? AND queue_position < ?",
                    [target, pos],
                )
            elif target > pos:
                db.execute(
                    "UPDATE papers SET queue_position = queue_position - 1 "
                    "WHERE queue_position > ? AND queue_position <= ?",
                    [pos, target],
                )
            db.execute("UPDATE papers SET queue_position = ? WHERE id = ?", [target, paper_id])
            return target

    def queue_to_top(self, paper_id: int) -> None:
        """Move a queued paper to the top of the queue."""
        pos = self._queue_position(paper_id)
        with self.action(f"moved {self.label(paper_id)} to the top of the queue"):
            self.queue_move(paper_id, 1 - pos)

    def _queue_position(self, paper_id: int) -> int:
        self.require(paper_id)
        pos = self._one("SELECT queue_position FROM papers WHERE id = ?", [paper_id])
        if pos is None:
            raise LibraryError(f"paper {paper_id} is not in the queue")
        return int(pos)

    def _queue_detach(self, paper_id: int) -> None:
        pos = self._one("SELECT queue_position FROM papers WHERE id = ?", [paper_id])
        if pos is None:
            return
        self.db.execute("UPDATE papers SET queue_position = NULL WHERE id = ?", [paper_id])
        self.db.execute(
            "UPDATE papers SET queue_position = queue_position - 1 WHERE queue_position > ?", [pos]
        )

    def delete(self, paper_id: int) -> None:
        """Delete a paper and its notes, tags links and queue place."""
        self.delete_many([paper_id])

    def delete_many(self, ids: Sequence[int]) -> list[Paper]:
        """Delete papers, their notes, tag links and queue places, in one transaction; the queue closes up.

        Returns:
            The papers as they were (for messages, and for whoever records the change).

        Raises:
            PaperNotFound: if any id is unknown (then nothing is deleted).
        """
        unique = list(dict.fromkeys(ids))
        what = self.label(unique[0]) if len(unique) == 1 else f"{len(unique)} papers"
        with self.action(f"deleted {what}") as db:
            papers = self.get_many(list(dict.fromkeys(ids)))
            missing = set(ids) - {p.id for p in papers}
            if missing:
                raise PaperNotFound(min(missing))
            for paper in papers:
                self._queue_detach(paper.id)
                db.execute("DELETE FROM paper_tags WHERE paper_id = ?", [paper.id])
                db.execute("DELETE FROM papers WHERE id = ?", [paper.id])
            return papers

    def edit(self, paper_id: int, changed: dict[str, Any], *, base: Paper | None = None) -> Paper:
        """Write checked field changes (:func:`readinglist.core.paper_edit.changes`) in one transaction.

        Args:
            paper_id: The paper.
            changed: Field to new value; an empty ``key`` gets a generated one.
            base: The paper as the editor read it: if a field being changed was
                changed meanwhile by someone else, nothing is written.

        Raises:
            EditError: if the key is another paper's.
            LibraryError: if the paper changed meanwhile.
        """
        from readinglist.core import paper_edit, paper_keys

        with self.action(f"edited {self.label(paper_id)}") as db:
            current = self.get(paper_id)
            moved = [f for f in changed if base is not None and getattr(current, f) != getattr(base, f)]
            if moved:
                raise LibraryError(
                    f"paper {paper_id}'s {moved[0]} was changed elsewhere meanwhile; nothing saved"
                )
            key = changed.get("key")
            if key and self._one("SELECT id FROM papers WHERE key = ? AND id != ?", [key, paper_id]):
                raise paper_edit.EditError(f"key {key!r} is another paper's")
            cols = paper_edit.columns(current, changed)
            if cols:
                sets = ", ".join(f"{c} = ?" for c in cols)
                db.execute(f"UPDATE papers SET {sets} WHERE id = ?", [*cols.values(), paper_id])
            if key == "":
                paper_keys.settle(db, 2**62, {paper_id})
        return self.get(paper_id)


def row_to_paper(row: dict[str, Any], tags: tuple[str, ...]) -> Paper:
    """Build a :class:`Paper` from a ``papers`` row and its tag names."""
    return Paper(
        id=row["id"],
        title=row["title"],
        abstract=row["abstract"],
        authors=tuple(json.loads(row["authors"] or "[]")),
        year=row["year"],
        date=row["date"],
        arxiv_id=row["arxiv_id"],
        doi=row["doi"],
        url=row["url"],
        links=tuple(json.loads(row["links"] or "[]")),
        source=row["source"],
        added_at=row["added_at"],
        starred=bool(row["starred"]),
        status=Status(row["status"]),
        queue_position=row["queue_position"],
        tags=tags,
        notes=row["notes"],
        notes_updated_at=row["notes_updated_at"],
        primary_link=links.primary_link(row["arxiv_id"], row["doi"], row["url"], row["title"]),
        pending=row.get("pending"),
        venue=row.get("venue"),
        key=row.get("key") or "",
    )

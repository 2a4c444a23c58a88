"""The library: one SQLite file of papers and the user's data about them.

All access goes through :class:`Library`, built in layers, one module each:
the connection, upgrades, error translation and transactions
(:mod:`readinglist.core.connection`), reading (:mod:`readinglist.core.store_read`),
the reading queue (:mod:`readinglist.core.store_queue`), and here the user's
data: stars, statuses, notes, tags, edits and deletions. The view SQL, the
tag filter and :func:`now` (defined in :mod:`readinglist.core.paper_rows`)
are offered here too: searching, importing and capture use them with a Library.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from readinglist.core.connection import BUSY_TIMEOUT_S
from readinglist.core.errors import LibraryError, PaperNotFound
from readinglist.core.models import Paper, Status, clean_tags
from readinglist.core.notes import NoteWrite, resolve
from readinglist.core.paper_rows import VIEW_SQL, like_escape, now, tag_filter
from readinglist.core.store_queue import LibraryQueue

__all__ = [
    "BUSY_TIMEOUT_S",
    "VIEW_SQL",
    "Library",
    "like_escape",
    "now",
    "tag_filter",
]


class Library(LibraryQueue):
    """A readinglist library file: its papers and the user's data about them.

    Opened as ``Library(path, create=True, threadsafe=False)``; see
    :class:`~readinglist.core.connection.Connection` for the arguments and errors.
    """

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

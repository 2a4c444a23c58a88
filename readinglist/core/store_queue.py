"""The reading queue: adding, removing and moving papers in it.

A layer of :class:`~readinglist.core.store.Library`. Queue places are ``1..n``
with no gaps: every change closes up or makes room.
"""

from __future__ import annotations

from readinglist.core.errors import LibraryError
from readinglist.core.store_read import LibraryReader


class LibraryQueue(LibraryReader):
    """The queue's operations, each one undoable action; use :class:`~readinglist.core.store.Library`."""

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

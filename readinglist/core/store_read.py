"""Reading a library: views, papers by id, tags, counts, notes.

The layer of :class:`~readinglist.core.store.Library` that only reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from readinglist.core.connection import Connection
from readinglist.core.errors import PaperNotFound
from readinglist.core.models import Paper, View
from readinglist.core.paper_rows import VIEW_SQL, row_to_paper, tag_filter


class LibraryReader(Connection):
    """What :class:`~readinglist.core.store.Library` reads: every method here only reads.

    Opened as :class:`~readinglist.core.connection.Connection` is; use
    :class:`~readinglist.core.store.Library`, which adds the writes.
    """

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

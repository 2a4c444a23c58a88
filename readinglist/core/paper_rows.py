"""The papers table as SQL and rows: a view's papers, the tag filter, a row as a Paper, the time.

The one definition of each, which listing a view (:mod:`readinglist.core.store_read`)
and searching in it (:mod:`readinglist.core.search`) share;
:mod:`readinglist.core.store` offers them with :class:`~readinglist.core.store.Library`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from readinglist.core import links
from readinglist.core.models import Paper, Status, View

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

"""The tags an import run gives its papers: created when missing, looked up set-wise."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # sqlite-utils is slow to import; only the type is needed here
    from sqlite_utils import Database


def tag_ids(db: Database, names: Iterable[str]) -> dict[str, tuple[int, str]]:
    """Create missing tags; map each name's casefold to (tag id, stored name)."""
    wanted = {n.casefold(): n for n in names}
    if not wanted:
        return {}
    db.conn.executemany("INSERT OR IGNORE INTO tags(name) VALUES (?)", [[n] for n in wanted.values()])
    marks = ",".join("?" * len(wanted))
    rows = db.execute(
        f"SELECT id, name FROM tags WHERE name COLLATE NOCASE IN ({marks})", list(wanted.values())
    )
    return {name.casefold(): (tag_id, name) for tag_id, name in rows}


def tag_rows(db: Database, rows: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """The ``(paper id, tag id)`` links for new rows' ``_tags``; each tagged row gets its ``_tags_text``.

    ``_tags_text`` is the row's stored tag names in tag-id order, as the word list counts them.
    """
    ids = tag_ids(db, (t for r in rows for t in r["_tags"]))
    links: list[tuple[int, int]] = []
    for row in rows:
        if row["_tags"]:
            tags = sorted(ids[t.casefold()] for t in row["_tags"])
            row["_tags_text"] = " ".join(name for _, name in tags)
            links.extend((row["id"], tag_id) for tag_id, _ in tags)
    return links

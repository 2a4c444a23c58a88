"""The tags an import run gives its papers: created when missing, looked up set-wise."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

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

"""Reading the library file back, the way the tests check what capture stored."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any


def rows(
    db: Path, sql: str = "SELECT * FROM papers ORDER BY id", params: tuple[Any, ...] = ()
) -> list[dict[str, Any]]:
    """Rows of the library file, read with plain sqlite3 (not through readinglist)."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def snapshot(db: Path) -> list[tuple[Any, ...]]:
    """Everything a user would miss: papers with their tags, stars, queue places and notes."""
    conn = sqlite3.connect(db)
    try:
        papers = conn.execute("SELECT * FROM papers ORDER BY id").fetchall()
        tags = conn.execute("SELECT * FROM paper_tags ORDER BY paper_id, tag_id").fetchall()
        return [*papers, *tags]
    finally:
        conn.close()


def tags_of(db: Path, paper_id: int) -> list[str]:
    found = rows(
        db,
        "SELECT t.name FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id "
        "WHERE pt.paper_id = ? ORDER BY t.name",
        (paper_id,),
    )
    return [r["name"] for r in found]

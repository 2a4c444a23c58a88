"""The rows an import run writes to ``papers``: built as dicts, which matching fills in, then inserted.

A new paper is a dict until its batch is written: a later draft of the same
batch may still fill in its fields (:func:`~readinglist.core.importing.match.enrich`).
Keys starting with ``_`` are the run's own notes and are never written.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from readinglist.core.importing.match import Index
from readinglist.core.importing.prepare import Prepared

if TYPE_CHECKING:  # sqlite-utils is slow to import; only the type is needed here
    from sqlite_utils import Database

_INSERT_COLS = (
    "id, title, abstract, authors, year, date, arxiv_id, doi, url, links, source, added_at, "
    "title_key, starred, status, queue_position, notes, notes_updated_at, venue, key"
)
_INSERT_NAMES = [c.strip() for c in _INSERT_COLS.split(",")]
INSERT_SQL = f"INSERT INTO papers ({_INSERT_COLS}) VALUES ({','.join('?' * len(_INSERT_NAMES))})"
"""Inserts one row; its parameters are :data:`insert_values` of the row dict."""
insert_values = itemgetter(*_INSERT_NAMES)
"""A row dict's values in :data:`INSERT_SQL`'s order."""


def new_row(
    prep: Prepared, paper_id: int, added_at: str, tags: Sequence[str], queue: int | None
) -> dict[str, Any]:
    """The row of a new paper made from ``prep``, before its citation key is decided (``key`` empty)."""
    return {
        "_new": True,
        "_tags": tags,
        "_where": prep.where,
        "_stem": prep.key_stem,
        "id": paper_id,
        "title": prep.title,
        "abstract": prep.abstract,
        "authors": prep.authors_json,
        "year": prep.year,
        "date": prep.date,
        "arxiv_id": prep.arxiv_id,
        "doi": prep.doi,
        "url": prep.url,
        "links": prep.links_json,
        "source": prep.source,
        "added_at": added_at,
        "title_key": prep.key,
        "starred": 1 if prep.starred else 0,
        "status": prep.status or "unread",
        "queue_position": queue,
        "notes": prep.notes or "",
        "notes_updated_at": prep.notes_updated_at if prep.notes else None,
        "venue": prep.venue,
        "key": prep.cite_key,
    }


def alone(batch: Sequence[Prepared], found: tuple[Index, ...]) -> list[bool]:
    """For each draft of ``batch``, whether no other draft and no paper in ``found`` shares an identifier.

    Args:
        batch: The drafts.
        found: The stored papers by arXiv id, DOI and title key (:func:`~.match.lookup`).
    """
    by_arxiv, by_doi, by_key = found
    keys = Counter([p.key for p in batch])
    arxiv_ids = Counter([p.arxiv_id for p in batch])
    dois = Counter([p.doi for p in batch])
    # An empty value matches nothing (see match.match).
    return [
        (not p.key or (keys[p.key] == 1 and p.key not in by_key))
        and (not p.arxiv_id or (arxiv_ids[p.arxiv_id] == 1 and p.arxiv_id not in by_arxiv))
        and (not p.doi or (dois[p.doi] == 1 and p.doi not in by_doi))
        for p in batch
    ]


def tag_ids(db: Database, names: Iterable[str]) -> dict[str, tuple[int, str]]:
    """Create the missing tags of ``names``; map each name's casefold to (tag id, stored name)."""
    wanted = {n.casefold(): n for n in names}
    if not wanted:
        return {}
    db.conn.executemany("INSERT OR IGNORE INTO tags(name) VALUES (?)", [[n] for n in wanted.values()])
    marks = ",".join("?" * len(wanted))
    rows = db.execute(
        f"SELECT id, name FROM tags WHERE name COLLATE NOCASE IN ({marks})", list(wanted.values())
    )
    return {name.casefold(): (tag_id, name) for tag_id, name in rows}

"""Opening a library written by an older schema upgrades it without losing anything."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlite_utils import Database

from readinglist.core.migrations import migrations
from readinglist.core.models import PaperDraft, Status, View
from readinglist.core.store import Library
from tests.helpers import add_paper


def _first_version_library(path: Path) -> None:
    """Write a library as the first schema version (m001 only) would have."""
    db = Database(path)
    migrations.apply(db, stop_before="m002_fulltext")
    db.execute(
        """INSERT INTO papers (id, title, abstract, authors, year, arxiv_id, links, source, added_at,
           title_key, starred, status, queue_position, notes, notes_updated_at)
           VALUES (7, 'Old Paper', 'An abstract about zeppelins.', ?, 2020, '2001.00001', '[]',
           'old.txt:3', '2020-01-01T00:00:00Z', 'old paper', 1, 'queued', 1, 'my note',
           '2020-01-02T00:00:00Z')""",
        [json.dumps(["Ada Lovelace"])],
    )
    db.execute("INSERT INTO tags (id, name) VALUES (1, 'classic')")
    db.execute("INSERT INTO paper_tags (paper_id, tag_id) VALUES (7, 1)")
    db.conn.commit()
    assert "papers_fts" not in db.table_names()
    db.close()


def test_upgrade_from_first_schema_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _first_version_library(path)
    with Library(path) as lib:
        paper = lib.get(7)
        assert paper.title == "Old Paper"
        assert paper.authors == ("Ada Lovelace",)
        assert (paper.year, paper.arxiv_id, paper.starred) == (2020, "2001.00001", True)
        assert (paper.status, paper.queue_position) == (Status.QUEUED, 1)
        assert paper.tags == ("classic",)
        assert (paper.notes, paper.notes_updated_at) == ("my note", "2020-01-02T00:00:00Z")
        assert lib.ids(View.QUEUE) == [7]
        # The new full-text indexes cover the old rows, tags (their own index) and notes included.
        for word in ("zeppelins", "classic", "note", "lovelace"):
            rows = lib.db.execute(
                """SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?1 UNION SELECT paper_id
                   FROM paper_tags WHERE tag_id IN (SELECT rowid FROM tags_fts WHERE tags_fts MATCH ?1)""",
                [word],
            ).fetchall()
            assert rows == [(7,)], word
        applied = [m.name for m in migrations.applied(lib.db)]
        assert applied == [m.name for m in migrations._migrations]


def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    Library(path).close()
    with Library(path) as lib:
        assert migrations.pending(lib.db) == []
        assert lib.db.journal_mode == "wal"


def test_a_new_library_has_large_pages_and_an_old_one_keeps_its_own(tmp_path: Path) -> None:
    import sqlite3

    from readinglist.core.connection import PAGE_SIZE

    with Library(tmp_path / "new.db") as lib:
        assert lib.conn.execute("PRAGMA page_size").fetchone()[0] == PAGE_SIZE == 16384
    old = tmp_path / "old.db"
    conn = sqlite3.connect(old)  # made by SQLite's default page size, then opened as a library
    conn.execute("CREATE TABLE other (x)")
    conn.execute("DROP TABLE other")
    conn.close()
    assert old.stat().st_size > 0
    with Library(old) as lib:
        assert lib.conn.execute("PRAGMA page_size").fetchone()[0] == 4096
        add_paper(lib, PaperDraft("Still works"))
    with Library(old) as lib:
        assert [p.title for p in lib.papers()] == ["Still works"]


def test_schema_names_match_the_registered_migrations() -> None:
    from readinglist.core.schema import MIGRATION_NAMES

    assert list(MIGRATION_NAMES) == [m.name for m in migrations._migrations]


def test_opening_an_up_to_date_library_does_not_import_sqlite_utils(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "lib.db"
    Library(path).close()
    code = (
        "import sys\nfrom readinglist.core.store import Library\n"
        "from readinglist.core.search import SearchEngine\n"
        f"lib = Library({str(path)!r})\nSearchEngine(lib).search('language model')\nlib.count()\n"
        "assert 'sqlite_utils' not in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("view", [View.ALL, View.UNREAD])
def test_big_views_list_their_ids_from_an_index_alone(library: Library, view: View) -> None:
    """Reading each paper's row to check its status took 35 s for Unread at 1M papers."""
    statements: list[str] = []
    library.conn.set_trace_callback(statements.append)
    library.ids(view)
    library.conn.set_trace_callback(None)
    select = next(s for s in statements if s.startswith("SELECT p.id FROM papers"))
    plan = " ".join(str(row[-1]) for row in library.conn.execute("EXPLAIN QUERY PLAN " + select))
    assert "COVERING INDEX papers_added" in plan and "TEMP B-TREE" not in plan

"""A library that cannot be written is still read: the CLI through processes, the app through Pilot.

Root ignores file modes, so the folder is made read-only for real with a
read-only bind mount (skipped with the reason where mounting is impossible).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from textual.widgets._toast import Toast  # no public import; what the user sees

from readinglist.config import Settings
from readinglist.core.schema import MIGRATION_SET, MIGRATIONS_TABLE
from readinglist.core.store import Library
from readinglist.ui.app import make_app
from readinglist.ui.widgets.notes_editor import NotesEditor
from tests.ui.conftest import (
    FakeClipboard,
    current_id,
    main_screen,
    notices,
    paper_list,
    search,
    settle,
    status_line,
)

from .library_helpers import cli, immutable_file, one_line, read_only_view, seeded_library, snapshot


@pytest.mark.parametrize("shm_left", [False, True], ids=["closed", "shm-left"])
@pytest.mark.slow
def test_the_cli_reads_a_library_in_a_read_only_folder(tmp_path: Path, shm_left: bool) -> None:
    seeded_library(tmp_path / "src" / "library.db")
    before = snapshot(tmp_path / "src" / "library.db")
    files = ["library.db"]
    if shm_left:
        # A reader had it open when the folder became read-only: its -shm and -wal stay.
        sqlite3.connect(f"file:{tmp_path / 'src' / 'library.db'}?mode=ro", uri=True).execute(
            "SELECT count(*) FROM papers"
        ).connection.close()
        files = ["library.db", "library.db-shm", "library.db-wal"]
    assert sorted(p.name for p in (tmp_path / "src").iterdir()) == files
    with read_only_view(tmp_path / "src", tmp_path / "ro") as ro:
        path = ro / "library.db"
        listed = cli("--db", str(path), "list")
        assert listed.returncode == 0, listed.stderr
        assert len(listed.stdout.splitlines()) == 220
        found = cli("--db", str(path), "search", "retrieval", "--json")
        assert found.returncode == 0 and json.loads(found.stdout), found.stderr
        shown = cli("--db", str(path), "show", "7")
        assert shown.returncode == 0 and shown.stdout.startswith("[7] ")
        exported = cli("--db", str(path), "export", "--format", "csv", "-o", str(tmp_path / "out.csv"))
        assert exported.returncode == 0, exported.stderr
        assert (tmp_path / "out.csv").read_text(encoding="utf-8").count("\n") > 220
        for write in (["star", "7"], ["note", "7", "--set", "x"], ["import", "--sample"]):
            result = cli("--db", str(path), *write)
            assert result.returncode == 1, write
            assert "read-only" in one_line(result.stderr), write
        # A backup cannot go beside it, but can go elsewhere.
        beside = cli("--db", str(path), "backup")
        assert beside.returncode == 1 and "Read-only file system" in one_line(beside.stderr)
        elsewhere = cli("--db", str(path), "backup", str(tmp_path / "copy.db"))
        assert elsewhere.returncode == 0 and snapshot(tmp_path / "copy.db")[:2] == ("ok", 220)
        assert sorted(p.name for p in ro.iterdir()) == files
    assert snapshot(tmp_path / "src" / "library.db") == before


def test_the_cli_reads_a_read_only_file_in_a_writable_folder(tmp_path: Path) -> None:
    path = seeded_library(tmp_path / "library.db")
    before = snapshot(path)
    with immutable_file(path):
        listed = cli("--db", str(path), "list", "--view", "unread")
        assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 220, listed.stderr
        exported = cli("--db", str(path), "export", "--format", "bibtex")
        assert exported.returncode == 0 and exported.stdout.count("@") >= 220
        starred = cli("--db", str(path), "star", "3")
        assert starred.returncode == 1 and "the library is read-only" in one_line(starred.stderr)
    assert snapshot(path) == before


def test_a_read_only_library_that_needs_an_upgrade_is_refused_clearly(tmp_path: Path) -> None:
    path = seeded_library(tmp_path / "src" / "library.db")
    with sqlite3.connect(path) as conn:  # as if written before the newest migration
        conn.execute(
            f"DELETE FROM {MIGRATIONS_TABLE} WHERE name = (SELECT max(name) FROM {MIGRATIONS_TABLE})"
        )
    conn.close()
    with read_only_view(tmp_path / "src", tmp_path / "ro") as ro:
        result = cli("--db", str(ro / "library.db"), "list")
        assert result.returncode == 1
        assert "read-only" in one_line(result.stderr) and "upgrade" in result.stderr


async def _check_read_only_app(path: Path, reason: str) -> None:
    """The app starts, says why it is read-only, shows papers, and refuses writes with a notice."""
    app = make_app(path, Settings(), system_copy=FakeClipboard())
    # Toasts are drawn (run_test leaves them out by default) to check what they show.
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        assert app.library.read_only is not None
        assert any(reason in n and "changes are refused" in n for n in notices(app))
        paper_id = current_id(app)
        for key in ("s", "a", "r", "e"):  # star, queue, read, edit the note in $EDITOR
            await pilot.press(key)
            await settle(pilot)
        refused = [n for n in notices(app) if n == app.library.read_only]
        assert len(refused) == 4
        # What the toasts show: the message as it is, markup characters in the path included.
        shown = [t.render().plain for t in app.screen.query(Toast)]
        assert any(app.library.read_only in text for text in shown), shown
        notes = main_screen(app).query_one(NotesEditor)
        await pilot.press("n")
        await pilot.press("z", "w")  # keys with no binding: a writable note would take them
        assert notes.read_only and notes.text == ""
        await search(pilot, "retrieval")
        assert "match" in status_line(app) and current_id(app) > 0
        paper_list(app).focus()
        await pilot.press("q")
    assert app.return_code == 0
    with Library(path) as lib:
        paper = lib.get(paper_id)
        assert (paper.starred, paper.in_queue, paper.notes) == (False, False, "")


async def test_the_app_opens_a_read_only_folder_in_read_only_mode(tmp_path: Path) -> None:
    seeded_library(tmp_path / "src" / "library.db")
    with read_only_view(tmp_path / "src", tmp_path / "ro") as ro:
        await _check_read_only_app(ro / "library.db", "the library is read-only")


async def test_the_app_opens_a_newer_library_in_read_only_mode(tmp_path: Path) -> None:
    # Markup in the path must reach the notices as text, not break them.
    path = seeded_library(tmp_path / "papers [/] [bold]" / "library.db")
    with sqlite3.connect(path) as conn:
        conn.execute(
            f"INSERT INTO {MIGRATIONS_TABLE} (migration_set, name, applied_at) VALUES (?, 'm900_later', 'x')",
            [MIGRATION_SET],
        )
    conn.close()
    before = snapshot(path)
    await _check_read_only_app(path, "m900_later")
    assert snapshot(path) == before

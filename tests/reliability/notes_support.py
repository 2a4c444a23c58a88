"""Helpers for the notes reliability tests: a seeded library, the real app, a second reader."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from textual.pilot import Pilot

from readinglist.config import Settings
from readinglist.core.sample import seed_if_new
from readinglist.core.store import Library
from readinglist.ui.app import ReadingListApp, make_app
from readinglist.ui.widgets.notes_editor import NotesEditor
from readinglist.ui.widgets.paper_list import PaperList


def seeded(db_path: Path) -> Path:
    """Fill ``db_path`` with the bundled sample, as a first launch does."""
    with Library(db_path) as lib:
        seed_if_new(lib)
    return db_path


def notes_app(db_path: Path) -> ReadingListApp:
    """The real app on a seeded library (no system clipboard: CI has none)."""
    return make_app(seeded(db_path), Settings(), system_copy=lambda text: True)


async def open_notes(pilot: Pilot[int]) -> tuple[int, NotesEditor]:
    """Wait for the rows, press ``n`` and return the highlighted paper's id and the focused notes pane."""
    app = pilot.app
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    paper_id = app.screen.query_one(PaperList).current_id
    assert paper_id is not None
    await pilot.press("n")
    notes = app.screen.query_one(NotesEditor)
    assert app.focused is notes
    assert notes.paper_id == paper_id
    return paper_id, notes


def stored_note(db_path: Path, paper_id: int) -> str:
    """The note as another process would read it: through a connection of its own."""
    conn = sqlite3.connect(str(db_path))
    try:
        return str(conn.execute("SELECT notes FROM papers WHERE id = ?", [paper_id]).fetchone()[0])
    finally:
        conn.close()


def notices(app: ReadingListApp) -> list[str]:
    """The messages of the notifications shown so far."""
    # Textual keeps live notifications in a private list; there is no public reader.
    return [n.message for n in app._notifications]


def cli(db_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``readinglist ARGS`` on ``db_path`` in a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "readinglist", "--db", str(db_path), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        check=False,
    )

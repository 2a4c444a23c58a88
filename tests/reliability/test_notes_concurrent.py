"""Typing a note while another process writes to the same library: no lost write, no false conflict."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from readinglist.core.store import Library
from readinglist.ui.widgets.notes_editor import AUTOSAVE_DELAY_S

from .notes_support import notes_app, notices, open_notes, stored_note

WRITER = """
import sys, pathlib
from readinglist.core.store import Library
db, noted, starred, stop = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), pathlib.Path(sys.argv[4])
count = 0
with Library(db) as lib:
    while not stop.exists():
        count += 1
        lib.set_note(noted, f"write {count} from another process")
        lib.set_starred(starred, count % 2 == 1)
print(count)
"""


@pytest.mark.slow
async def test_typing_while_another_process_writes(db_path: Path, tmp_path: Path) -> None:
    app = notes_app(db_path)
    stop = tmp_path / "stop"
    async with app.run_test(size=(120, 40)) as pilot:
        paper_id, notes = await open_notes(pilot)
        with Library(db_path) as lib:
            other_id = next(i for i in lib.ids() if i != paper_id)
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db_path), str(other_id), str(paper_id), str(stop)],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            typed = ""
            start = time.monotonic()
            while time.monotonic() - start < 3.0:
                key = "abcdefghij"[len(typed) % 10]
                await pilot.press(key)
                typed += key
        finally:
            stop.touch()
            out, _ = writer.communicate(timeout=30)
        assert writer.returncode == 0
        await pilot.pause(AUTOSAVE_DELAY_S + 0.3)
        assert notes.text == typed
        assert not any("changed elsewhere" in n for n in notices(app))
    writes = int(out)
    assert writes > 10  # the two really overlapped
    assert stored_note(db_path, paper_id) == typed
    assert stored_note(db_path, other_id) == f"write {writes} from another process"
    with Library(db_path) as lib:
        assert lib.get(paper_id).starred == (writes % 2 == 1)

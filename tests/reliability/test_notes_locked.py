"""A save that cannot happen (the library locked by another process) is said once, and retried."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from readinglist.ui.widgets.notes_editor import AUTOSAVE_DELAY_S
from readinglist.ui.widgets.paper_list import PaperList

from .notes_support import notes_app, notices, open_notes, stored_note


async def test_a_locked_library_keeps_the_note_unsaved_then_saves_it(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("readinglist.core.connection.BUSY_TIMEOUT_S", 0.05)
    monkeypatch.setattr("readinglist.ui.widgets.notes_editor.RETRY_DELAY_S", 0.5)
    app = notes_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        paper_id, notes = await open_notes(pilot)
        blocker = sqlite3.connect(str(db_path))
        blocker.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
        try:
            notes.insert("held back")
            await pilot.pause(AUTOSAVE_DELAY_S + 0.3)
            assert notes.border_subtitle == "Markdown · unsaved"
            await pilot.pause(1.2)  # retries fail too, without a notification each
            failures = [n for n in notices(app) if "locked" in n]
            assert len(failures) == 1, notices(app)
            assert "stays here, unsaved; saving it is retried" in failures[0]
        finally:
            blocker.rollback()
            blocker.close()
        assert stored_note(db_path, paper_id) == ""
        await pilot.pause(0.5 + 0.4)  # the next retry, no key needed
        assert stored_note(db_path, paper_id) == "held back"
        assert notes.border_subtitle == "Markdown · saved"


async def test_a_note_that_cannot_be_saved_is_kept_when_the_pane_moves_on(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("readinglist.core.connection.BUSY_TIMEOUT_S", 0.05)
    monkeypatch.setattr("readinglist.ui.widgets.notes_editor.RETRY_DELAY_S", 0.5)
    app = notes_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        first, notes = await open_notes(pilot)
        papers = app.screen.query_one(PaperList)
        blocker = sqlite3.connect(str(db_path))
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            notes.insert("typed over a lock")
            papers.action_cursor_down()  # the save fails as the pane moves to the next paper
            await pilot.pause(0.3)
            assert notes.paper_id != first and notes.text == ""
            assert any("locked" in n for n in notices(app))
            papers.action_cursor_up()  # back: the unsaved text is still there
            await pilot.pause(0.3)
            assert (notes.paper_id, notes.text) == (first, "typed over a lock")
            assert notes.border_subtitle == "Markdown · unsaved"
            papers.action_cursor_down()
            await pilot.pause(0.3)
            await app.action_quit()  # cannot store it: the app stays open
            await pilot.pause()
            assert app.is_running
        finally:
            blocker.rollback()
            blocker.close()
        await pilot.pause(0.5 + 1.5)  # retried in the background, while another note is shown
        assert stored_note(db_path, first) == "typed over a lock"
        assert notes.paper_id != first

"""Notes: autosave a second after the first unsaved key, on leaving, on switching paper, on quit; $EDITOR.

Killed apps, steady typing and changes made elsewhere: tests/reliability/test_notes_*.py.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from readinglist.core.store import Library
from readinglist.ui.widgets.notes_editor import AUTOSAVE_DELAY_S, NotesEditor
from readinglist.ui.widgets.paper_list import PaperList

from .conftest import AppFactory, current_id, main_screen, notices, settle


async def test_note_autosaves_a_second_after_typing(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        paper_id = current_id(app)
        await pilot.press("n")
        assert isinstance(app.focused, NotesEditor)
        await pilot.press("h", "i")
        assert app.library.get(paper_id).notes == ""  # not yet: still typing
        await pilot.pause(AUTOSAVE_DELAY_S + 0.3)
        assert app.library.get(paper_id).notes == "hi"


async def test_note_saved_on_leaving_and_on_switching_paper(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        first = current_id(app)
        await pilot.press("n", "a", "escape")
        assert isinstance(app.focused, PaperList)
        assert app.library.get(first).notes == "a"
        await pilot.press("j")
        second = current_id(app)
        notes = main_screen(app).query_one(NotesEditor)
        notes.focus()
        await pilot.pause()
        notes.insert("second note")
        main_screen(app).query_one(PaperList).action_cursor_up()  # switch paper with the note focused
        await pilot.pause()
        assert app.library.get(second).notes == "second note"
        assert notes.text == "a"  # the first paper's note is back


async def test_note_saved_on_quit(make: AppFactory, db_path: Path) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        paper_id = current_id(app)
        await pilot.press("n")
        main_screen(app).query_one(NotesEditor).insert("# Summary\n\n- key idea")
        await app.action_quit()
    with Library(db_path) as lib:
        assert lib.get(paper_id).notes == "# Summary\n\n- key idea"


async def test_edit_note_falls_back_to_the_in_app_editor(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")  # run_test cannot suspend
        assert isinstance(app.focused, NotesEditor)
        assert any("edit the note here" in n for n in notices(app))


@pytest.fixture
def fake_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A real $EDITOR program that appends a line to the file it is given."""
    script = tmp_path / "editor.sh"
    script.write_text('#!/bin/sh\nprintf "written in the editor\\n" >> "$1"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(script))
    return script


async def test_edit_note_in_editor(make: AppFactory, fake_editor: Path) -> None:
    app = make()

    @contextlib.contextmanager
    def no_suspend() -> Iterator[None]:
        # The headless driver cannot give the terminal away; the editor needs none.
        yield

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        paper_id = current_id(app)
        app.library.set_note(paper_id, "before\n")
        app.suspend = no_suspend  # type: ignore[method-assign]
        await pilot.press("e")
        assert app.library.get(paper_id).notes == "before\nwritten in the editor\n"
        assert main_screen(app).query_one(NotesEditor).text == "before\nwritten in the editor\n"
    assert os.environ["EDITOR"] == str(fake_editor)


async def test_quit_stays_open_when_the_note_cannot_be_saved(
    make: AppFactory, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    monkeypatch.setattr("readinglist.core.connection.BUSY_TIMEOUT_S", 0.05)
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        paper_id = current_id(app)
        await pilot.press("n")
        main_screen(app).query_one(NotesEditor).insert("unsaved thought")
        blocker = sqlite3.connect(str(db_path))
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            await app.action_quit()
            await pilot.pause()
            assert app.is_running
            assert any("ctrl+q quits anyway" in n for n in notices(app))
        finally:
            blocker.rollback()
            blocker.close()
        await pilot.press("ctrl+q")  # the lock is gone: this saves and quits
    assert not app.is_running
    with Library(db_path) as lib:
        assert lib.get(paper_id).notes == "unsaved thought"

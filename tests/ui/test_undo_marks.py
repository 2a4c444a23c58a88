"""Undo, redo and marks in the real app (Pilot), asserting on the library file."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from readinglist.core.models import Status
from tests.ui.conftest import AppFactory, FakeClipboard, current_id, notices, paper_list, settle, status_line

TABLES = ("papers", "tags", "paper_tags", "saved_views")


def dump(db: Path) -> list[str]:
    """The library file's user data (the full-text index and the history left out)."""
    conn = sqlite3.connect(db)
    try:
        return [line for line in conn.iterdump() if any(f'INSERT INTO "{t}"' in line for t in TABLES)]
    finally:
        conn.close()


KEYS = [
    ("s",),  # star
    ("a",),  # queue
    ("r",),  # read
    ("a", "j", "a", "2", "J"),  # queue two, move the first down
    ("a", "j", "a", "2", "j", "T"),  # queue two, send the second to the top
]


@pytest.mark.parametrize("keys", KEYS, ids=[" ".join(k) for k in KEYS])
async def test_u_undoes_and_ctrl_r_redoes_each_change(
    make: AppFactory, db_path: Path, keys: tuple[str]
) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = dump(db_path)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        after = dump(db_path)
        assert after != before
        changes = sum(key in "sarJT" for key in keys)
        for _ in range(changes):
            await pilot.press("u")
            await settle(pilot)
        assert dump(db_path) == before
        assert notices(app)[-1].startswith("Undid: ")
        for _ in range(changes):
            await pilot.press("ctrl+r")
            await settle(pilot)
        assert dump(db_path) == after
        assert notices(app)[-1].startswith("Redid: ")


async def test_undo_tags_and_note(make: AppFactory, db_path: Path) -> None:
    from textual.widgets import Input

    from readinglist.ui.widgets.notes_editor import NotesEditor

    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        paper_id = current_id(app)
        before = dump(db_path)
        await pilot.press("t")
        app.screen.query_one("#tag-input", Input).value = "rag, survey"
        await pilot.press("enter")
        await settle(pilot)
        assert app.library.get(paper_id).tags == ("rag", "survey")
        await pilot.press("n")
        await pilot.press(*"my note")
        await pilot.press("escape")  # leaves the note, which saves it
        await settle(pilot)
        assert app.library.note(paper_id) == "my note"
        await pilot.press("u")
        await settle(pilot)
        assert notices(app)[-1].startswith('Undid: saved the note of "')
        assert app.library.note(paper_id) == ""
        assert app.screen.query_one(NotesEditor).text == ""  # the pane follows the library
        await pilot.press("u")
        await settle(pilot)
        assert dump(db_path) == before


async def test_undo_with_nothing_to_undo_says_so(make: AppFactory, db_path: Path) -> None:
    app = make(fresh=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert notices(app)[-1] == "nothing to redo"


async def test_undo_refused_after_another_program_changed_the_paper(make: AppFactory, db_path: Path) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        paper_id = current_id(app)
        await pilot.press("s")
        await settle(pilot)
        # Another program (a process of its own, not readinglist) unstars it meanwhile.
        script = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()"
        sql = f"UPDATE papers SET starred = 0 WHERE id = {paper_id}"
        subprocess.run([sys.executable, "-c", script, str(db_path), sql], check=True)
        before = dump(db_path)
        await pilot.press("u")
        await settle(pilot)
        reason = notices(app)[-1]
        assert reason.startswith('cannot undo "starred "') and "\n" not in reason
        assert reason.endswith(f"paper {paper_id} was changed since by another program")
        assert dump(db_path) == before


async def test_space_marks_and_s_stars_every_marked_paper_as_one_action(
    make: AppFactory, db_path: Path
) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = dump(db_path)
        first = current_id(app)
        await pilot.press("space")  # marks, and moves down
        second = current_id(app)
        await pilot.press("space", "j")
        await settle(pilot)
        assert paper_list(app).marks == {first, second}
        assert status_line(app).endswith(" · 2 marked")
        await pilot.press("s")
        await settle(pilot)
        assert [p.starred for p in app.library.get_many([first, second, current_id(app)])] == [
            True,
            True,
            False,
        ]
        assert app.library.history()[0].description == "starred 2 papers"
        await pilot.press("s")  # all starred: unstars them all
        await settle(pilot)
        assert dump(db_path) == before
        await pilot.press("escape")
        await settle(pilot)
        assert paper_list(app).marks == set()
        assert "marked" not in status_line(app)


async def test_range_marks_and_tags_for_all(make: AppFactory, db_path: Path) -> None:
    from textual.widgets import Input

    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.library.tag(paper_list(app).ids[1], ["old"])
        start = current_id(app)
        await pilot.press("V", "j", "j", "V", "j")  # three papers; the cursor then moves on alone
        await settle(pilot)
        marked = paper_list(app).ids[:3]
        assert paper_list(app).marks == set(marked) and start == marked[0]
        before = dump(db_path)
        await pilot.press("t")
        app.screen.query_one("#tag-input", Input).value = "new, -old"
        await pilot.press("enter")
        await settle(pilot)
        assert [p.tags for p in app.library.get_many(marked)] == [("new",)] * 3
        assert app.library.history()[0].description == "tagged 3 papers +new -old"
        await pilot.press("u")
        await settle(pilot)
        assert notices(app)[-1] == "Undid: tagged 3 papers +new -old"
        assert dump(db_path) == before


async def test_star_marks_all_the_list_shows_and_r_marks_them_read(make: AppFactory, db_path: Path) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        shown = paper_list(app).ids
        await pilot.press("asterisk")
        await settle(pilot)
        assert status_line(app).endswith(f" · {len(shown)} marked")
        await pilot.press("r")
        await settle(pilot)
        assert app.library.count() == len(shown)
        assert all(p.status is Status.READ for p in app.library.get_many(shown))
        assert app.library.history()[0].description == f"marked {len(shown)} papers read"


async def test_y_copies_every_marked_link(make: AppFactory, clipboard: FakeClipboard) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space")
        await settle(pilot)
        papers = app.library.get_many(paper_list(app).ids[:2])
        await pilot.press("y")
        await settle(pilot)
        assert clipboard.copied[-1] == "\n".join(p.primary_link for p in papers)


async def test_x_exports_the_marked_papers(make: AppFactory, tmp_path: Path) -> None:
    import json

    from textual.widgets import Input

    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "space", "j", "space")
        await settle(pilot)
        marked = sorted(paper_list(app).marks)
        await pilot.press("x")
        await settle(pilot)
        target = tmp_path / "marked.json"
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert [p["id"] for p in json.loads(target.read_text(encoding="utf-8"))["papers"]] == marked
        assert notices(app)[-1] == f"Exported 2 papers to {target}."


async def test_undo_after_a_restart(make: AppFactory, db_path: Path) -> None:
    before = None
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = dump(db_path)
        await pilot.press("s", "j", "r")
        await settle(pilot)
    again = make()
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("u", "u")
        await settle(pilot)
        assert notices(again)[-1].startswith('Undid: starred "')
        assert dump(db_path) == before


async def test_many_marked_papers_change_in_a_thread(
    make: AppFactory, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from readinglist.ui.screens import marking

    monkeypatch.setattr(marking, "BACKGROUND_MIN", 2)
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("asterisk", "s")
        await settle(pilot)
        shown = paper_list(app).ids
        assert all(p.starred for p in app.library.get_many(shown))
        assert notices(app)[-1] == f"Changed {len(shown)} papers."
        await pilot.press("u")
        await settle(pilot)
        assert notices(app)[-1] == f"Undid: starred {len(shown)} papers"

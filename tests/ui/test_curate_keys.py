"""``E`` edits the highlighted paper in a real (scripted) $EDITOR; ``D`` deletes it after a confirmation."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Label

from readinglist.core.models import View
from readinglist.core.store import Library
from readinglist.ui.screens.confirm_delete import ConfirmDelete
from tests.curate_support import ScriptedEditor, dump
from tests.ui.conftest import AppFactory, current_id, notices, settle
from tests.ui.test_undo_marks import dump as user_data


@contextlib.contextmanager
def no_suspend() -> Iterator[None]:
    # The headless driver cannot give the terminal away; the editor process needs none.
    yield


@pytest.fixture
def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ScriptedEditor:
    return ScriptedEditor(tmp_path / "editor", monkeypatch)


async def test_e_edits_the_paper_in_the_editor(
    make: AppFactory, db_path: Path, editor: ScriptedEditor
) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        paper_id = current_id(app)
        title = app.library.get(paper_id).title
        editor.plan([('venue = ""', 'venue = "ICLR 2024"')])
        app.suspend = no_suspend  # type: ignore[method-assign]
        await pilot.press("E")
        await settle(pilot)
        assert any("Saved: venue" in n for n in notices(app))
        await pilot.pause(0.2)  # the details follow once the list has settled
        detail = str(app.screen.query_one("#detail-body").render())
        assert "ICLR 2024" in detail and f"key:{app.library.get(paper_id).key}" in detail
    (shown,) = editor.seen()
    assert shown.startswith(f"# Edit paper {paper_id},")
    with Library(db_path) as lib:
        paper = lib.get(paper_id)
    assert (paper.title, paper.venue) == (title, "ICLR 2024")


async def test_e_reopens_on_a_bad_value_and_quitting_changes_nothing(
    make: AppFactory, db_path: Path, editor: ScriptedEditor
) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.workers.wait_for_complete()
        editor.plan([('doi = ""', 'doi = "not a doi"')], None)
        app.suspend = no_suspend  # type: ignore[method-assign]
        before = list(app.library.conn.iterdump())
        await pilot.press("E")
        await settle(pilot)
        assert any("Paper unchanged" in n for n in notices(app))
        assert list(app.library.conn.iterdump()) == before
    assert editor.seen()[1].startswith("# ERROR: doi 'not a doi' is not a DOI")


async def test_e_suspends_the_app_and_saves_once_the_error_is_fixed(
    make: AppFactory, db_path: Path, editor: ScriptedEditor
) -> None:
    app = make()
    suspended: list[int] = []

    @contextlib.contextmanager
    def counting_suspend() -> Iterator[None]:
        suspended.append(len(editor.seen()))  # how many openings had happened when the app let go
        yield
        suspended.append(len(editor.seen()))

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        paper_id = current_id(app)
        assert app.library.get(paper_id).year is None  # the sample's papers have dates only
        editor.plan([('year = ""', 'year = "20x4"')], [('year = "20x4"', "year = 2024")])
        app.suspend = counting_suspend  # type: ignore[method-assign]
        await pilot.press("E")
        await settle(pilot)
        assert notices(app)[-1] == "Saved: year."
        assert app.library.history()[0].description.startswith("edited ")
        before_undo = user_data(db_path)
        await pilot.press("u")
        await settle(pilot)
        assert notices(app)[-1].startswith('Undid: edited "')
        assert app.library.get(paper_id).year is None
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert user_data(db_path) == before_undo
    assert suspended == [0, 2]  # both openings happened while the app was suspended
    first, second = editor.seen()
    assert second.startswith("# ERROR: year '20x4' is not a year\n") and 'year = "20x4"' in second
    assert "# ERROR" not in first
    with Library(db_path) as lib:
        assert lib.get(paper_id).year == 2024


async def test_e_where_the_terminal_cannot_be_handed_over(make: AppFactory, editor: ScriptedEditor) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        editor.plan([("x", "y")])
        await pilot.press("E")  # run_test cannot suspend
        assert any("cannot hand over" in n for n in notices(app))
    assert editor.left() == 1


async def test_d_asks_naming_the_paper_then_deletes_it_and_the_queue_closes_up(
    make: AppFactory, db_path: Path
) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        lib = app.library
        first, second, third = lib.ids()[:3]
        for paper_id in (first, second, third):
            lib.queue_add(paper_id)
        lib.tag(second, ["doomed"])
        lib.set_note(second, "a note")
        await pilot.press("2")  # the queue view: first, second, third
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        assert current_id(app) == second
        title = lib.get(second).title
        await pilot.press("D")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDelete)
        question = str(dialog.query_one("#delete-question", Label).render())
        assert title[:30] in question
        await pilot.press("n")  # keeps it
        await pilot.pause()
        assert lib.get_many([second])
        await pilot.press("D")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert any("Deleted 1 paper" in n for n in notices(app))
    with Library(db_path) as lib:
        assert lib.get_many([second]) == []
        assert lib.ids(View.QUEUE) == [first, third]
        assert [lib.get(first).queue_position, lib.get(third).queue_position] == [1, 2]
        assert lib.conn.execute(
            "SELECT count(*) FROM paper_tags WHERE paper_id = ?", [second]
        ).fetchone() == (0,)
        assert "doomed" not in [t for t, _ in lib.all_tags()]
    assert dump(db_path)  # the file is whole

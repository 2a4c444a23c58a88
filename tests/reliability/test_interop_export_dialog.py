"""The export dialog asks before it replaces a file, and the import dialog passes on notices (#12)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input, Label

from readinglist.config import Settings
from readinglist.core.sample import import_sample
from readinglist.core.store import Library
from readinglist.ui.app import ReadingListApp, make_app
from readinglist.ui.screens.confirm_replace import ConfirmReplace
from readinglist.ui.screens.export_dialog import ExportDialog
from tests.ui.conftest import FakeClipboard, notices, settle


@pytest.fixture
def app(db_path: Path) -> ReadingListApp:
    with Library(db_path) as lib:
        import_sample(lib)
    return make_app(db_path, Settings(), system_copy=FakeClipboard())


async def open_dialog(app: ReadingListApp, target: Path) -> ExportDialog:
    dialog = app.screen
    assert isinstance(dialog, ExportDialog)
    dialog.query_one("#export-path", Input).value = str(target)
    return dialog


@pytest.mark.parametrize("answer", ["n", "escape"])
async def test_no_keeps_the_file_and_the_dialog(app: ReadingListApp, tmp_path: Path, answer: str) -> None:
    target = tmp_path / "mine.json"
    target.write_text("keep me\n", encoding="utf-8")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        dialog = await open_dialog(app, target)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmReplace) and app.screen.path == target
        assert str(app.screen.query_one("#replace-path", Label).render()) == str(target)
        await pilot.press(answer)
        await settle(pilot)
        assert app.screen_stack[-1] is dialog  # (app.screen is narrowed above)
        assert str(dialog.query_one("#export-status", Label).render()) == "Not replaced; choose another name."
    assert target.read_text(encoding="utf-8") == "keep me\n"


async def test_yes_replaces_the_file(app: ReadingListApp, tmp_path: Path) -> None:
    target = tmp_path / "mine.json"
    target.write_text("old\n", encoding="utf-8")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await open_dialog(app, target)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmReplace)
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, (ConfirmReplace, ExportDialog))
        assert f"Exported 220 papers to {target}." in notices(app)
    assert len(json.loads(target.read_text(encoding="utf-8"))["papers"]) == 220


async def test_a_new_file_is_written_without_a_question(app: ReadingListApp, tmp_path: Path) -> None:
    target = tmp_path / "new.json"
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await open_dialog(app, target)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, (ConfirmReplace, ExportDialog))
    assert target.is_file()


async def test_a_folder_is_refused_with_a_notification(app: ReadingListApp, tmp_path: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        dialog = await open_dialog(app, tmp_path)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        assert f"{tmp_path}: is a folder, not a regular file; nothing was written" in notices(app)


async def test_the_import_dialog_shows_an_extension_overruled(app: ReadingListApp, tmp_path: Path) -> None:
    from readinglist.ui.screens.import_dialog import ImportDialog

    misnamed = tmp_path / "refs.csv"
    misnamed.write_bytes((Path(__file__).parent.parent / "data" / "zotero.bib").read_bytes())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        dialog = app.screen
        assert isinstance(dialog, ImportDialog)
        dialog.query_one("#import-paths", Input).value = str(misnamed)
        await pilot.press("enter")
        await settle(pilot)
        shown = "\n".join(notices(app))
        assert f"{misnamed}: named .csv but the content looks like BibTeX" in shown
        assert "3 added, 0 already in the library" in shown

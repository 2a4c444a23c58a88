"""The import dialog is safe (#16): the failure reason stays, enter works anywhere, tab completes,
no idle progress bar, and the new papers are shown and highlighted afterwards."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Checkbox, Input, ProgressBar

from readinglist.ui.screens.import_dialog import ImportDialog
from readinglist.ui.widgets.path_input import complete_path

from .conftest import AppFactory, current_id, main_screen, notices, search, settle

DATA = Path(__file__).parent.parent / "data"


async def _open(pilot, app) -> ImportDialog:  # type: ignore[no-untyped-def]
    await pilot.press("i")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, ImportDialog)
    return dialog


def _status(dialog: ImportDialog) -> str:
    return str(dialog.query_one("#import-status").render())


async def test_the_reason_of_a_failure_stays_in_the_dialog(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        dialog = await _open(pilot, app)
        assert not dialog.query_one(ProgressBar).display  # no idle 0% bar
        dialog.query_one("#import-paths", Input).value = str(DATA / "broken.bib")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        assert _status(dialog).startswith("Nothing was imported: ")
        assert "broken.bib:7: cannot parse BibTeX entry" in " ".join(_status(dialog).split())
        assert not dialog.query_one(ProgressBar).display


async def test_enter_imports_from_the_checkbox_and_the_new_papers_are_highlighted(
    make: AppFactory,
) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("4")  # a view and a search that would hide what is imported
        await search(pilot, "diffusion")
        await pilot.press("enter")
        dialog = await _open(pilot, app)
        dialog.query_one("#import-paths", Input).value = str(DATA / "zotero.bib")
        dialog.query_one("#import-skip-bad", Checkbox).focus()
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        await settle(pilot)
        assert not isinstance(app.screen, ImportDialog)
        screen = main_screen(app)
        assert screen.query_one("#search", Input).value == ""
        assert screen.view.value == "all"
        newest = max(app.library.ids())
        first_new = min(i for i in app.library.ids() if i > 220)
        assert newest > 220
        assert current_id(app) == first_new
        await pilot.press("u")  # the import is one action: undo removes exactly its papers
        await settle(pilot)
        assert notices(app)[-1].startswith("Undid: imported ") and "zotero.bib" in notices(app)[-1]
        assert max(app.library.ids()) == 220 and app.library.count() == 220


async def test_tab_completes_a_path(make: AppFactory, tmp_path: Path) -> None:
    (tmp_path / "refs-2024.bib").write_text("", encoding="utf-8")
    (tmp_path / "refs-2025.bib").write_text("", encoding="utf-8")
    (tmp_path / "zotero").mkdir()
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        dialog = await _open(pilot, app)
        paths = dialog.query_one("#import-paths", Input)
        paths.value = f"{tmp_path}/zo"
        paths.cursor_position = len(paths.value)
        await pilot.press("tab")
        assert paths.value == f"{tmp_path}/zotero/"
        paths.value = f"{tmp_path}/re"
        await pilot.press("tab")
        await pilot.pause()
        assert paths.value == f"{tmp_path}/refs-202"
        assert "refs-2024.bib" in _status(dialog) and "refs-2025.bib" in _status(dialog)
        await pilot.press("5", "tab")
        assert paths.value == f"{tmp_path}/refs-2025.bib"
        await pilot.press("tab")  # nothing left to complete: on to the next field
        assert app.focused is dialog.query_one("#import-tags", Input)


def test_complete_path_keeps_earlier_words(tmp_path: Path) -> None:
    (tmp_path / "one.bib").write_text("", encoding="utf-8")
    assert complete_path(f"a.bib {tmp_path}/o") == (f"a.bib {tmp_path}/one.bib", [])
    assert complete_path(f"{tmp_path}/nothing") == (f"{tmp_path}/nothing", [])

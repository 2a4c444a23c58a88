"""The export dialog is safe (#16): format and extension follow each other, choices are remembered,
and an existing file is replaced only after a yes."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, RadioSet

from readinglist.state import load_state
from readinglist.ui.screens.confirm_replace import ConfirmReplace
from readinglist.ui.screens.export_dialog import ExportDialog, format_of, with_format

from .conftest import AppFactory, notices, settle


def test_format_of_and_with_format() -> None:
    assert format_of("a/b.md") == "markdown"
    assert format_of("x.csl.json") == "csl-json"
    assert format_of("x.JSON") == "json"
    assert format_of("notes.txt") is None
    assert with_format("~/q.md", "json") == "~/q.json"
    assert with_format("~/q.json", "csl-json") == "~/q.csl.json"
    assert with_format("~/q.csl.json", "ris") == "~/q.ris"
    assert with_format("~/q", "bibtex") == "~/q.bib"
    assert with_format("~/q.txt", "bibtex") == "~/q.txt"


async def _open(pilot, app) -> ExportDialog:  # type: ignore[no-untyped-def]
    await pilot.press("x")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, ExportDialog)
    return dialog


async def test_the_format_follows_a_typed_extension_and_back(make: AppFactory, tmp_path: Path) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        dialog = await _open(pilot, app)
        path_input = dialog.query_one("#export-path", Input)
        path_input.value = str(tmp_path / "mine.md")
        await pilot.pause()
        assert dialog.format == "markdown"
        assert dialog.query_one("#export-format", RadioSet).pressed_button.name == "markdown"  # type: ignore[union-attr]
        dialog.query_one("#export-format", RadioSet).focus()
        await pilot.press("down", "enter")  # markdown -> csv
        await pilot.pause()
        assert dialog.format == "csv" and path_input.value == str(tmp_path / "mine.csv")


async def test_the_last_format_and_folder_are_remembered(make: AppFactory, tmp_path: Path) -> None:
    app = make()
    folder = tmp_path / "exports"
    folder.mkdir()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        dialog = await _open(pilot, app)
        dialog.query_one("#export-path", Input).value = str(folder / "papers.bib")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert (folder / "papers.bib").is_file()
        assert load_state() == {"export_format": "bibtex", "export_folder": str(folder)}
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        dialog = await _open(pilot, app)
        assert dialog.format == "bibtex"
        assert dialog.query_one("#export-path", Input).value == str(folder / "readinglist-all.bib")


async def test_an_existing_file_is_replaced_only_after_yes(make: AppFactory, tmp_path: Path) -> None:
    target = tmp_path / "kept.md"
    target.write_text("my notes\n", encoding="utf-8")
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        dialog = await _open(pilot, app)
        dialog.query_one("#export-path", Input).value = str(target)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmReplace)
        assert "markdown export" in str(app.screen.query_one(".dialog-title").render())
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is dialog  # type: ignore[comparison-overlap]
        assert target.read_text(encoding="utf-8") == "my notes\n"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert target.read_text(encoding="utf-8").startswith("# ")  # a Markdown export, as the name says
        assert any(n.startswith("Exported 220 papers") for n in notices(app))

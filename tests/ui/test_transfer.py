"""The import and export dialogs, driven through Pilot against a real library file."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Checkbox, Input, RadioSet

from readinglist.core.store import Library
from readinglist.ui.screens.export_dialog import ExportDialog
from readinglist.ui.screens.import_dialog import ImportDialog, parse_paths

from .conftest import AppFactory, notices, paper_list, search, settle, status_line

DATA = Path(__file__).parent.parent / "data"


def test_paths_are_split_like_a_shell() -> None:
    assert parse_paths("a.bib 'my refs.bib' ~/x.json") == [
        Path("a.bib"),
        Path("my refs.bib"),
        Path("~/x.json").expanduser(),
    ]
    assert parse_paths('"unclosed') == [Path('"unclosed')]


async def test_import_dialog_imports_with_tags_and_reloads_the_list(make: AppFactory, db_path: Path) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        assert isinstance(app.screen, ImportDialog)
        await pilot.press("escape")  # an idle dialog closes
        assert not isinstance(app.screen, ImportDialog)
        await pilot.press("i")
        dialog = app.screen
        assert isinstance(dialog, ImportDialog)
        dialog.query_one("#import-paths", Input).value = f"{DATA / 'zotero.bib'} {DATA / 'arxiv-api.xml'}"
        dialog.query_one("#import-tags", Input).value = "thesis, new"
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ImportDialog)
        # Mistral and Attention from the feed are the BibTeX file's papers; Attention gains an abstract.
        assert "3 added, 2 already in the library, 1 enriched" in notices(app)
        assert paper_list(app).row_count == 223
        assert status_line(app) == "All · 223 papers"
    with Library(db_path) as lib:
        assert len(lib.papers(tag="thesis")) == 3


async def test_bad_file_keeps_the_dialog_open_and_the_library_unchanged(
    make: AppFactory, db_path: Path
) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        dialog = app.screen
        assert isinstance(dialog, ImportDialog)
        dialog.query_one("#import-paths", Input).value = f"{DATA / 'zotero.bib'} {DATA / 'broken.bib'}"
        await pilot.press("enter")
        await settle(pilot)
        assert not dialog.running
        assert app.screen is dialog
        assert any("broken.bib:7: cannot parse BibTeX entry" in n for n in notices(app))
        assert str(dialog.query_one("#import-status").render()).startswith("Nothing was imported: ")
        # Skip-bad then imports the good entries.
        dialog.query_one("#import-skip-bad", Checkbox).value = True
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ImportDialog)
        assert "5 added, 0 already in the library, 2 skipped" in notices(app)
    with Library(db_path) as lib:
        assert lib.count() == 225


async def test_export_dialog_writes_the_search_results(make: AppFactory, tmp_path: Path) -> None:
    app = make()
    target = tmp_path / "found.json"
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await search(pilot, "diffusion")
        matches = paper_list(app).row_count
        await pilot.press("enter")  # from the search bar to the list
        await pilot.press("x")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        path_input = dialog.query_one("#export-path", Input)
        assert path_input.value == "~/readinglist-all.json"
        path_input.value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ExportDialog)
        assert f"Exported {matches} papers to {target}." in notices(app)
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert len(doc["papers"]) == matches


async def test_export_format_choice_follows_the_extension(make: AppFactory, tmp_path: Path) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2", "x")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        radios = dialog.query_one("#export-format", RadioSet)
        radios.focus()
        await pilot.press("down", "enter")  # json -> bibtex
        await pilot.pause()
        path_input = dialog.query_one("#export-path", Input)
        assert dialog.format == "bibtex" and path_input.value == "~/readinglist-queue.bib"
        path_input.value = str(tmp_path / "queue.bib")
        path_input.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert (tmp_path / "queue.bib").read_text(encoding="utf-8") == ""  # the sample's queue is empty

"""CSL JSON in the app's import and export dialogs (#18), driven through Pilot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input, RadioSet

from readinglist.config import Settings
from readinglist.core.sample import import_sample
from readinglist.core.store import Library
from readinglist.ui.app import ReadingListApp, make_app
from readinglist.ui.screens.export_dialog import ExportDialog
from readinglist.ui.screens.import_dialog import ImportDialog
from tests.ui.conftest import FakeClipboard, notices, settle

DATA = Path(__file__).parent / "data"
# A Textual session with a dialog takes 5-7 s on the shared CI machine.
pytestmark = pytest.mark.slow


@pytest.fixture
def app(db_path: Path) -> ReadingListApp:
    with Library(db_path) as lib:
        import_sample(lib)
    return make_app(db_path, Settings(), system_copy=FakeClipboard())


async def test_import_dialog_reads_zotero_csl_json(app: ReadingListApp, db_path: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        dialog = app.screen
        assert isinstance(dialog, ImportDialog)
        dialog.query_one("#import-paths", Input).value = str(DATA / "csl_zotero.json")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ImportDialog)
        assert "3 added, 0 already in the library" in notices(app)
    with Library(db_path) as lib:
        (paper,) = [p for p in lib.get_many(lib.ids()) if p.title == "Deep learning"]
        assert paper.authors == ("Yann LeCun", "Yoshua Bengio", "Geoffrey Hinton")


async def test_export_dialog_offers_csl_json(app: ReadingListApp, tmp_path: Path) -> None:
    target = tmp_path / "all.csl.json"
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#export-format", RadioSet).focus()
        await pilot.press("down", "down", "down", "down", "enter")  # json, bibtex, markdown, csv, csl-json
        await pilot.pause()
        path_input = dialog.query_one("#export-path", Input)
        assert dialog.format == "csl-json" and path_input.value == "~/readinglist-all.csl.json"
        path_input.value = str(target)
        path_input.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert f"Exported 220 papers to {target}." in notices(app)
    items = json.loads(target.read_text(encoding="utf-8"))
    assert len(items) == 220 and all(item["type"] == "article" for item in items)

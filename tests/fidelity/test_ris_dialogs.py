"""RIS in the app's import and export dialogs, driven through Pilot against a real library file."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, RadioButton

from readinglist.config import Settings
from readinglist.core import exporter
from readinglist.core.importing import import_files
from readinglist.core.sample import import_sample
from readinglist.core.store import Library
from readinglist.ui.app import ReadingListApp, make_app
from readinglist.ui.screens.export_dialog import ExportDialog
from readinglist.ui.screens.import_dialog import ImportDialog
from tests.ui.conftest import FakeClipboard, notices, settle

DATA = Path(__file__).parent / "data"


@pytest.fixture
def app(db_path: Path) -> ReadingListApp:
    with Library(db_path) as lib:
        import_sample(lib)
    return make_app(db_path, Settings(), system_copy=FakeClipboard())


@pytest.mark.slow
async def test_import_dialog_reads_ris_and_export_dialog_writes_it(
    app: ReadingListApp, db_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "all.ris"
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        importing = app.screen
        assert isinstance(importing, ImportDialog)
        importing.query_one(
            "#import-paths", Input
        ).value = f"{DATA / 'ris_zotero.ris'} {DATA / 'ris_scopus.ris'}"
        await pilot.press("enter")
        await settle(pilot)
        assert "5 added, 0 already in the library" in notices(app)

        await pilot.press("x")
        exporting = app.screen
        assert isinstance(exporting, ExportDialog)
        (ris,) = [b for b in exporting.query(RadioButton) if b.name == "ris"]
        await pilot.click(ris)
        await pilot.pause()
        path_input = exporting.query_one("#export-path", Input)
        # The suggested name follows the format.
        assert exporting.format == "ris" and path_input.value == "~/readinglist-all.ris"
        path_input.value = str(target)
        path_input.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert f"Exported 225 papers to {target}." in notices(app)
    text = target.read_text(encoding="utf-8")
    assert text.count("TY  - ") == text.count("ER  - ") == 225
    with Library(tmp_path / "again.db") as again, Library(db_path) as lib:
        assert import_files(again, [target]).added == 225
        assert sorted(p.title for p in exporter.select(again)) == sorted(
            p.title for p in exporter.select(lib)
        )

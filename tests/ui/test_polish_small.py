"""Small screens (#16): at 60x20 no dialog clips its hints."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Label

from readinglist.ui.app import ReadingListApp

from .conftest import AppFactory, settle
from .test_snapshots import SnapCompare


def _all_in_view(app: ReadingListApp) -> None:
    screen = app.screen
    box = screen.query_one(".dialog")
    assert box.max_scroll_y == 0, "the dialog scrolls: something is below its edge"
    for label in box.query(Label):
        if not label.display or not label.parent or not label.parent.display:
            continue  # hidden (the idle progress bar's percentage)
        region = label.region
        assert region.height > 0 and screen.region.contains_region(region), label
        text = str(label.render())
        lines = label.render_lines(label.region.reset_offset)
        shown = " ".join(strip.text.strip() for strip in lines)
        # Wrapped is fine (a long path breaks anywhere); cut is not.
        assert "".join(text.split()) in "".join(shown.split()), (text, shown)


@pytest.mark.parametrize("key", ["i", "x", "t", "Y"])
async def test_dialogs_fit_60x20(make: AppFactory, key: str) -> None:
    app = make()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await pilot.pause()
        _all_in_view(app)


async def test_the_replace_question_fits_60x20(make: AppFactory, tmp_path: Path) -> None:
    from textual.widgets import Input

    target = tmp_path / "a-rather-long-folder-name" / "and-a-long-file-name-too.json"
    target.parent.mkdir()
    target.write_text("{}", encoding="utf-8")
    app = make()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        _all_in_view(app)


def test_import_dialog_60x20(snap_compare: SnapCompare, make: AppFactory) -> None:
    async def open_import(pilot: Pilot[int]) -> None:
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()

    assert snap_compare(make(), terminal_size=(60, 20), run_before=open_import)


def test_export_dialog_60x20(snap_compare: SnapCompare, make: AppFactory) -> None:
    async def open_export(pilot: Pilot[int]) -> None:
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()

    assert snap_compare(make(), terminal_size=(60, 20), run_before=open_export)

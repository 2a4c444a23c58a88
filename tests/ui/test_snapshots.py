"""Layout snapshots (pytest-textual-snapshot): update with ``pytest --snapshot-update``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from readinglist.core.sample import seed_if_new
from readinglist.core.store import Library

from .conftest import AppFactory, settle

SnapCompare = Callable[..., bool]


@pytest.fixture
def seeded(db_path: Path) -> Path:
    """The sample library with one paper starred, tagged, queued and read, seeded before start (no toast)."""
    with Library(db_path) as lib:
        seed_if_new(lib)
        ids = lib.ids()
        lib.set_starred(ids[0], True)
        lib.tag(ids[0], ["rag", "survey"])
        lib.queue_add(ids[1])
        lib.queue_add(ids[2])
        lib.set_status(ids[3], lib.get(ids[3]).status.READ)
        lib.set_note(ids[0], "# Why\n\nGood baseline for the RAG section.")
    return db_path


async def _search(pilot: Pilot[int]) -> None:
    from textual.widgets import Input

    await settle(pilot)
    pilot.app.screen.query_one("#search", Input).value = "retrieval augmented"
    await pilot.pause(0.25)
    await settle(pilot)
    await pilot.press("enter")


def test_main_120x40(snap_compare: SnapCompare, make: AppFactory, seeded: Path) -> None:
    assert snap_compare(make(), terminal_size=(120, 40), run_before=settle)


def test_main_80x24(snap_compare: SnapCompare, make: AppFactory, seeded: Path) -> None:
    assert snap_compare(make(), terminal_size=(80, 24), run_before=settle)


def test_search_highlights_120x40(snap_compare: SnapCompare, make: AppFactory, seeded: Path) -> None:
    assert snap_compare(make(), terminal_size=(120, 40), run_before=_search)


def test_help_screen(snap_compare: SnapCompare, make: AppFactory, seeded: Path) -> None:
    async def open_help(pilot: Pilot[int]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")

    assert snap_compare(make(), terminal_size=(120, 40), run_before=open_help)


def test_tag_dialog(snap_compare: SnapCompare, make: AppFactory, seeded: Path) -> None:
    async def open_tags(pilot: Pilot[int]) -> None:
        await settle(pilot)
        await pilot.press("t", "s")  # suggests the existing tag "survey"
        await pilot.pause()

    assert snap_compare(make(), terminal_size=(100, 30), run_before=open_tags)

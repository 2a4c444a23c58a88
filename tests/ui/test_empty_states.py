"""Every empty view and empty search says what to do next, whole, where the list is (#16).

The advice is read from what the terminal shows inside the list (wrapped, never cut),
at 60x20 where the status line is too narrow for it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from readinglist.core import batch
from readinglist.core.models import Status, View
from readinglist.core.sample import SEEDED_KEY
from readinglist.core.store import Library
from readinglist.ui.app import ReadingListApp
from readinglist.ui.screens.related import RelatedScreen

from .conftest import AppFactory, current_id, main_screen, paper_list, search, settle, status_line
from .screen_text import widget_lines
from .test_snapshots import SnapCompare

QUEUE = "No papers in the queue: a adds the highlighted paper (1 shows all)"
STARRED = "No starred papers: s stars the highlighted paper (1 shows all)"
UNREAD = "No unread papers: r marks a read paper unread (5 shows the read)"
READ = "No read papers: r marks the highlighted paper read (4 shows the unread)"


def list_text(app: ReadingListApp) -> str:
    """What the list shows, its lines joined (a wrapped line reads as one)."""
    return " ".join(" ".join(line.split()) for line in widget_lines(app, paper_list(app)) if line.strip())


def assert_says(app: ReadingListApp, label: str, advice: str) -> None:
    assert paper_list(app).row_count == 0
    assert list_text(app) == advice  # whole, in the list
    assert status_line(app) == f"{label} · {advice}"


async def _key(pilot: Pilot[int], key: str) -> None:
    await pilot.press(key)
    await settle(pilot)


@pytest.mark.parametrize("size", [(60, 20), (120, 40)], ids=["60x20", "120x40"])
async def test_each_empty_view_says_what_to_do_next(make: AppFactory, size: tuple[int, int]) -> None:
    app = make()
    lib = app.library
    for paper_id in lib.ids(View.QUEUE):
        lib.queue_remove(paper_id)
    for paper_id in lib.ids(View.STARRED):
        lib.set_starred(paper_id, False)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await _key(pilot, "2")
        assert_says(app, "Queue", QUEUE)
        await _key(pilot, "3")
        assert_says(app, "Starred", STARRED)
        await _key(pilot, "5")
        assert_says(app, "Read", READ)
        batch.set_status(lib, lib.ids(), Status.READ)
        await _key(pilot, "4")
        assert_says(app, "Unread", UNREAD)


async def test_an_emptied_tag_view_says_how_to_tag(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        app.library.tag(current_id(app), ["lonely"], [])
        await _key(pilot, "number_sign")
        app.screen.query_one(Input).value = "lonely"
        await settle(pilot)
        await _key(pilot, "down")
        await _key(pilot, "enter")  # the tag's papers
        assert main_screen(app).tag == "lonely" and paper_list(app).row_count == 1
        await _key(pilot, "t")
        app.screen.query_one(Input).value = "-lonely"
        await _key(pilot, "enter")
        assert_says(app, "#lonely", "No papers tagged #lonely: t tags the highlighted paper (1 shows all)")


async def test_a_search_that_finds_nothing_says_esc_clears_it(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await search(pilot, "tag:nosuchtag")
        assert_says(app, "All", 'Nothing matches "tag:nosuchtag": esc clears the search')
        await _key(pilot, "escape")
        assert paper_list(app).row_count == 220


async def test_an_empty_library_says_how_to_fill_it(make: AppFactory, db_path: Path) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with Library(db_path) as lib:
        lib.set_meta(SEEDED_KEY, "declined")  # no sample: a library emptied by its owner
    app = make()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        assert_says(app, "All", "No papers yet: i imports a file, A adds by arXiv id, DOI or URL")


def related_advice(app: ReadingListApp) -> str:
    screen = app.screen
    assert isinstance(screen, RelatedScreen)
    assert screen.query_one(OptionList).option_count == 0
    empty = screen.query_one("#related-empty", Static)
    lines = widget_lines(app, empty)
    return " ".join(" ".join(line.split()) for line in lines if line.strip())


async def test_suggested_with_nothing_starred_says_to_star(make: AppFactory) -> None:
    app = make()
    for paper_id in app.library.ids(View.STARRED):
        app.library.set_starred(paper_id, False)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await _key(pilot, "0")
        advice = "Nothing to suggest yet: star papers you liked (s), and let them be indexed."
        assert related_advice(app) == advice


async def test_related_for_a_paper_not_indexed_says_how_to_index(make: AppFactory) -> None:
    app = make()  # nothing indexed: the app indexes only when told to
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await _key(pilot, "m")
        assert (
            related_advice(app)
            == "Not indexed yet: the app indexes papers in the background (or run `readinglist index`)."
        )


def test_empty_queue_60x20(snap_compare: SnapCompare, make: AppFactory) -> None:
    """The empty queue at 60x20: the advice wraps in the list, whole."""
    app = make()
    for paper_id in app.library.ids(View.QUEUE):
        app.library.queue_remove(paper_id)

    async def open_queue(pilot: Pilot[int]) -> None:
        await settle(pilot)
        await _key(pilot, "2")

    assert snap_compare(app, terminal_size=(60, 20), run_before=open_queue)

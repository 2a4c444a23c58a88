"""Navigation (#16): down leaves the search box, esc keeps the paper, the footer while searching."""

from __future__ import annotations

from textual.geometry import Region
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from readinglist.core.models import View
from readinglist.ui.app import ReadingListApp
from readinglist.ui.widgets.app_footer import AppFooter
from readinglist.ui.widgets.paper_list import PaperList
from readinglist.ui.widgets.search_bar import SearchBar
from tests.ui.conftest import AppFactory, current_id, main_screen, paper_list, search, settle, status_line


def footer_keys(app: ReadingListApp) -> list[tuple[str, str]]:
    """The footer's keys as shown: (key, description)."""
    footer = main_screen(app).query_one(AppFooter)
    return [(key.key_display, key.description) for key in footer.query(FooterKey)]


async def test_down_in_the_search_box_moves_into_the_results(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await search(pilot, "retrieval")
        screen = main_screen(app)
        assert isinstance(screen.focused, SearchBar)
        first = paper_list(app).ids[0]
        await pilot.press("down")
        await settle(pilot)
        assert isinstance(screen.focused, PaperList)
        # Down lands on the first result; the next down moves through the results.
        assert current_id(app) == first
        await pilot.press("down")
        assert current_id(app) == paper_list(app).ids[1]
        assert screen.query_one(SearchBar).value == "retrieval"  # the search stands


async def test_esc_clears_the_search_and_keeps_the_paper(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        unsearched = list(paper_list(app).ids)
        await search(pilot, "retrieval")
        await pilot.press("enter")
        # A result whose place in the whole list differs from its place here:
        # keeping it is then not the index's luck.
        while unsearched.index(current_id(app)) == paper_list(app).cursor:
            await pilot.press("down")
        picked = current_id(app)
        await pilot.press("escape")
        await settle(pilot)
        assert main_screen(app).query_one(SearchBar).value == ""
        assert paper_list(app).ids == unsearched
        assert current_id(app) == picked
        assert isinstance(main_screen(app).focused, PaperList)


async def test_esc_in_the_search_box_also_keeps_the_paper(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await search(pilot, "speculative decoding")
        picked = current_id(app)
        await pilot.press("escape")  # straight from the search box
        await settle(pilot)
        assert main_screen(app).query_one(SearchBar).value == ""
        assert current_id(app) == picked
        assert isinstance(main_screen(app).focused, PaperList)


async def test_the_footer_shows_the_search_keys_while_searching(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        listing = footer_keys(app)
        assert ("s", "Star") in listing
        await pilot.press("slash")
        await pilot.pause()
        searching = footer_keys(app)
        # ? and q type text here (Textual leaves them to the box): only the keys that work show.
        assert sorted(searching) == sorted(
            [("⏎", "To the list"), ("esc", "Clear"), ("↓", "Results"), ("^p", "Commands")]
        )
        # The list's letter keys would type text here: they leave the footer.
        assert ("s", "Star") not in searching
        await pilot.press("enter")
        await pilot.pause()
        assert footer_keys(app) == listing


async def test_empty_views_say_what_to_do_next(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for paper_id in app.library.ids(View.QUEUE):
            app.library.queue_remove(paper_id)
        for paper_id in app.library.ids(View.STARRED):
            app.library.set_starred(paper_id, False)
        await pilot.press("2")
        await settle(pilot)
        assert paper_list(app).row_count == 0
        assert (
            status_line(app) == "Queue · No papers in the queue: a adds the highlighted paper (1 shows all)"
        )
        await pilot.press("3")
        await settle(pilot)
        assert status_line(app) == "Starred · No starred papers: s stars the highlighted paper (1 shows all)"
        await pilot.press("1")
        await settle(pilot)
        assert status_line(app) == "All · 220 papers"


async def test_an_empty_search_says_esc_clears_it(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await search(pilot, "tag:nosuchtag")
        assert paper_list(app).row_count == 0
        assert status_line(app) == 'All · Nothing matches "tag:nosuchtag": esc clears the search'
        await pilot.press("escape")
        await settle(pilot)
        assert status_line(app) == "All · 220 papers"


async def test_search_hints_sit_under_the_search_box_whole_at_80_columns(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        hint_line = screen.query_one("#search-hint", Static)
        assert not hint_line.display  # no hint, no line
        # Still typing the last word: a year:soon can never become a year, so its hint shows now.
        await search(pilot, "retrieval venue:neurips year:soon")
        hint = screen.rows.hint if screen.rows else None
        assert hint is not None and "year:soon is not a year" in hint and "unknown field venue" in hint
        assert hint_line.display and len(hint) > 78  # more than one line's width: it wraps
        assert hint_line.region.y == screen.query_one(SearchBar).region.bottom  # right under the box
        shown = hint_line.render_lines(Region(0, 0, hint_line.size.width, hint_line.size.height))
        assert " ".join(strip.text.strip() for strip in shown) == hint
        assert hint not in status_line(app)
        await pilot.press("escape")
        await settle(pilot)
        assert not hint_line.display

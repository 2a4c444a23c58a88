"""Searching as you type: no debounce, at most one search queued, never an older result last."""

from __future__ import annotations

import random
import time

import pytest

from readinglist.core.search import SearchEngine
from readinglist.core.search.session import Rows, RowsRequest, SearchSession
from readinglist.ui.app import ReadingListApp
from readinglist.ui.screens.listing import ListingScreen
from readinglist.ui.widgets import rows_loader

from .conftest import AppFactory, LoadsStarted, main_screen, paper_list, session_lock, settle, status_line


async def test_keys_typed_while_a_search_runs_cost_one_more_search(
    make: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rows_loader, "SLOW_SEARCH_S", 60.0)  # never cut off: the running search lands first
    app = make()
    loads = LoadsStarted()
    async with app.run_test(size=(120, 40), message_hook=loads) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("slash")
        loads.requests.clear()
        with session_lock(app):  # the first search waits here, as a slow one would run
            await pilot.press("s")
            assert loads.queries == ["s"]  # the first key searches at once
            await pilot.press("p", "e", "c")
            assert loads.queries == ["s"]  # the rest wait for it
        await settle(pilot)
        await settle(pilot)
        assert loads.queries == ["s", "spec"]  # one search for the newest text
        assert screen.rows is not None and screen.rows.request.query == "spec"
        n = paper_list(app).row_count
        assert 0 < n < 220 and status_line(app) == f'All · 220 · {n} match "spec"'
        assert_details_follow(app)


def assert_details_follow(app: ReadingListApp) -> None:
    """The details pane shows the highlighted paper of the newest rows."""
    paper = app.library.get(paper_list(app).ids[paper_list(app).cursor])
    detail = str(main_screen(app).query_one("#detail-body").render()).replace("\n", " ")
    assert paper.title[:25] in detail, (paper.title, detail[:80])


async def test_a_slow_search_is_cut_off_and_superseded_ones_never_run(
    make: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rows_loader, "SLOW_SEARCH_S", 0.0)  # every key supersedes the running search
    searched: list[str] = []
    engine_search = SearchEngine.search

    def counting(self: SearchEngine, text: str, *args: object, **kwargs: object) -> object:
        searched.append(text)
        return engine_search(self, text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(SearchEngine, "search", counting)
    app = make()
    loads = LoadsStarted()
    async with app.run_test(size=(120, 40), message_hook=loads) as pilot:
        await settle(pilot)
        searched.clear()  # start-up warms the search cache with one search of its own
        screen = main_screen(app)
        await pilot.press("slash")
        loads.requests.clear()
        with session_lock(app):
            await pilot.press(*"deco")
            assert loads.queries == ["d", "de", "dec", "deco"]
        await settle(pilot)
        assert searched == ["deco"]  # the three superseded requests were dropped unrun
        assert screen.rows is not None and screen.rows.request.query == "deco"


@pytest.mark.parametrize("slow_after", [0.0, 60.0])
async def test_typing_fast_never_shows_an_older_querys_results_last(
    make: AppFactory, monkeypatch: pytest.MonkeyPatch, slow_after: float
) -> None:
    monkeypatch.setattr(rows_loader, "SLOW_SEARCH_S", slow_after)
    jitter = random.Random(4)
    load = SearchSession.load

    def uneven(self: SearchSession, request: RowsRequest, *args: object) -> Rows:
        # Searches take uneven times, so an older one may finish after a newer one.
        time.sleep(jitter.uniform(0.0, 0.08))
        return load(self, request, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(SearchSession, "load", uneven)
    shown: list[str] = []
    show_rows = ListingScreen.show_rows

    def recording(self: ListingScreen, rows: Rows, keep_cursor: bool) -> None:
        show_rows(self, rows, keep_cursor)
        shown.append(rows.request.query)

    monkeypatch.setattr(ListingScreen, "show_rows", recording)
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("slash")
        shown.clear()
        for char in "speculative":
            await pilot.press(char)
        for _ in range(3):
            await settle(pilot)
        assert shown and shown[-1] == "speculative"
        assert shown == sorted(shown, key=len)  # each shown query is newer than the one before
        assert screen.rows is not None and screen.rows.request.query == "speculative"
        assert_details_follow(app)


async def test_a_query_longer_than_the_bar_scrolls_to_the_cursor(make: AppFactory) -> None:
    from readinglist.ui.widgets.search_bar import SearchBar

    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        bar = main_screen(app).query_one(SearchBar)
        bar.value = "speculative decoding " * 7  # wider than the bar
        await pilot.press("end", "x")
        await settle(pilot)
        # No layout pass per key (SearchBar.virtual_size), yet the text still scrolls.
        assert bar.scroll_x > 0
        assert bar.region.contains_point(bar.cursor_screen_offset)
        assert bar.value.endswith("decoding x")

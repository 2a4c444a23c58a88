"""Panes that earn their space (#16): short link label, folded empty notes, j/k in details, footer."""

from __future__ import annotations

import pytest
from textual.geometry import Region
from textual.pilot import Pilot

from readinglist.core import links
from readinglist.ui.app import ReadingListApp
from readinglist.ui.widgets.app_footer import AppFooter
from readinglist.ui.widgets.detail_pane import TITLE_SEARCH_LABEL, DetailPane
from readinglist.ui.widgets.notes_editor import NotesEditor

from .conftest import AppFactory, current_id, main_screen, settle
from .test_snapshots import SnapCompare


def _details(app: ReadingListApp) -> str:
    """The details text as shown: wrapped to the pane, only the lines in view."""
    pane = main_screen(app).query_one(DetailPane)
    body = pane.query_one("#detail-body")
    strips = body.render_lines(Region(0, 0, body.size.width, pane.scrollable_content_region.height))
    return "\n".join(strip.text for strip in strips)


async def test_a_paper_without_ids_shows_a_short_link_label(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        paper = app.library.get(current_id(app))
        assert paper.primary_link == links.title_search_url(paper.title)  # the sample has no ids
        text = _details(app)
        assert f"[1] {TITLE_SEARCH_LABEL}" in text
        assert "arxiv.org/search" not in text
        # The abstract's first lines are on screen without scrolling.
        assert " ".join(paper.abstract.split()[:12]) in " ".join(text.split())


async def test_an_empty_unfocused_note_folds_to_one_line(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        notes = main_screen(app).query_one(NotesEditor)
        assert notes.has_class("-empty") and notes.size.height == 1
        await pilot.press("n")
        await pilot.pause()
        assert not notes.has_class("-empty") and notes.size.height > 3
        await pilot.press("escape")
        await pilot.pause()
        assert notes.has_class("-empty")
        await pilot.press("n", *"hi", "escape")
        await pilot.pause()
        assert not notes.has_class("-empty")  # a note is shown in full


async def test_j_and_k_scroll_the_focused_details(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        paper_id = current_id(app)
        details = main_screen(app).query_one(DetailPane)
        details.focus()
        await pilot.pause()
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert details.scroll_y == 3
        await pilot.press("k")
        await pilot.pause()
        assert details.scroll_y == 2
        assert current_id(app) == paper_id  # the list cursor did not move


@pytest.mark.parametrize("width", [60, 80, 120])
async def test_the_footer_keeps_help_and_quit(make: AppFactory, width: int) -> None:
    app = make()
    async with app.run_test(size=(width, 20)) as pilot:
        await settle(pilot)
        footer = main_screen(app).query_one(AppFooter)
        shown = [key for key in footer.children if key.region.right <= width and key.region.width > 0]
        descriptions = [getattr(k, "description", "") for k in shown]
        assert "Help" in descriptions and "Quit" in descriptions


async def _settled(pilot: Pilot[int]) -> None:
    await settle(pilot)


def test_main_60x20(snap_compare: SnapCompare, make: AppFactory) -> None:
    assert snap_compare(make(), terminal_size=(60, 20), run_before=_settled)

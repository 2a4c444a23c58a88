"""The help screen (`?`) shows the short search syntax below the keys, and every example is valid syntax."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.widgets import Static

from readinglist.core.search.parser import parse
from readinglist.ui.screens.help import SEARCH_SYNTAX, HelpScreen

from .conftest import AppFactory, settle

SEARCH_DOC = Path(__file__).resolve().parents[2] / "docs" / "search.md"


def examples() -> list[str]:
    """Each query the help shows, one by one (alternatives are separated by two spaces)."""
    return [alt for example, _ in SEARCH_SYNTAX for alt in example.split("  ")]


def rendered(widget: Static) -> str:
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, *widget.size)))


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_help_shows_the_search_syntax_below_the_keys(make: AppFactory, size: tuple[int, int]) -> None:
    app = make()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        scroll = app.screen.query_one("#help-scroll", VerticalScroll)
        keys = app.screen.query_one("#help-table", Static)
        search = app.screen.query_one("#help-search", Static)
        assert search.region.y > keys.region.y  # below the keys
        text = rendered(search)
        for example, meaning in SEARCH_SYNTAX:
            # Long rows wrap in a narrow terminal: compare words, not whole lines.
            for word in (example + " " + meaning).split():
                assert word in text, (word, size)
        # The user reaches it by scrolling the help to the end.
        scroll.scroll_end(animate=False)
        await pilot.pause()
        # (at 80x24 the table is taller than the help: its end is what scrolling must reach)
        visible = scroll.region.intersection(search.region)
        assert visible and visible.bottom == search.region.bottom, (scroll.region, search.region)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


@pytest.mark.parametrize("query", examples())
def test_every_example_is_valid_syntax(query: str) -> None:
    """No example earns a hint (an unknown field, a bad value): the help never teaches a mistake."""
    if query.endswith(":"):
        query += "word"  # `title:` and its kin are shown bare
    assert parse(query).hints == []


def test_every_example_is_in_the_full_syntax_page() -> None:
    doc = SEARCH_DOC.read_text(encoding="utf-8")
    missing = [q for q in examples() if not re.search(re.escape(q.replace("|", "\\|")), doc) and q not in doc]
    assert not missing, f"docs/search.md does not show {missing}"

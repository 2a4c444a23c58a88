"""Saved searches in the real app: ctrl+s names the search, keys 6-9 and the palette open them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual.widgets import Input

from readinglist.core import saved_views
from readinglist.core.models import View
from tests.ui.conftest import AppFactory, main_screen, notices, paper_list, search, settle


def stored(db: Path) -> list[tuple[str, str, str, str | None]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT name, query, view, tag FROM saved_views ORDER BY id").fetchall()
    finally:
        conn.close()


async def test_ctrl_s_saves_the_search_and_6_opens_it(make: AppFactory, db_path: Path) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3")  # the Starred view
        await search(pilot, "survey")
        await pilot.press("enter")  # back to the list
        await pilot.press("ctrl+s")
        await settle(pilot)
        app.screen.query_one("#name-input", Input).value = "starred surveys"
        await pilot.press("enter")
        await settle(pilot)
        assert stored(db_path) == [("starred surveys", "survey", "starred", None)]
        assert notices(app)[-1] == "Saved the view starred surveys."
        shown = paper_list(app).ids
        await pilot.press("escape", "1")  # clear the search, All view
        await settle(pilot)
        assert main_screen(app).view is View.ALL and len(paper_list(app).ids) > len(shown)
        await pilot.press("6")
        await settle(pilot)
        assert main_screen(app).view is View.STARRED
        assert main_screen(app).query_one("#search", Input).value == "survey"
        assert paper_list(app).ids == shown
        await pilot.press("7")
        await settle(pilot)
        assert notices(app)[-1] == "No saved view 2 (ctrl+s saves the current search)."
        await pilot.press("u")  # saving is undoable too
        await settle(pilot)
        assert stored(db_path) == []


async def test_a_taken_name_is_refused(make: AppFactory, db_path: Path) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        saved_views.save(app.library, "mine", "x", View.ALL, None)
        await pilot.press("ctrl+s")
        await settle(pilot)
        app.screen.query_one("#name-input", Input).value = "MINE"
        await pilot.press("enter")
        await settle(pilot)
        assert notices(app)[-1] == 'a saved view is already called "mine"'
        assert stored(db_path) == [("mine", "x", "all", None)]


async def test_the_palette_lists_saved_views(make: AppFactory) -> None:
    from readinglist.ui.commands import SavedViewCommands

    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        saved_views.save(app.library, "rag to read", "", View.UNREAD, "rag")
        provider = SavedViewCommands(main_screen(app))
        hits = [hit async for hit in provider.discover()]  # what the palette lists before a key
        assert [(str(hit.prompt), hit.help) for hit in hits] == [
            ("Saved view: rag to read", "unread #rag · key: 6")
        ]
        hits[0].command()
        await settle(pilot)
        assert (main_screen(app).view, main_screen(app).tag) == (View.UNREAD, "rag")

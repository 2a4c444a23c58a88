"""Saved searches in the real app: ctrl+s names the search, keys 6-9 and the palette open them."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
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


async def test_ctrl_s_keeps_the_tag_and_the_cli_lists_the_same_papers(
    make: AppFactory, db_path: Path
) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ids = app.library.ids()
        for paper_id in ids[:4]:
            app.library.tag(paper_id, ["rag"])
        await pilot.press("number_sign")  # the tag manager: enter shows the tag's papers
        await pilot.pause()
        app.screen.query_one(Input).value = "rag"
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert (main_screen(app).view, main_screen(app).tag) == (View.ALL, "rag")
        word = app.library.get(ids[1]).title.split()[0]
        await search(pilot, word)
        await pilot.press("enter")  # back to the list
        shown = paper_list(app).ids
        assert ids[1] in shown and set(shown) <= set(ids[:4])
        await pilot.press("ctrl+s")
        await settle(pilot)
        app.screen.query_one("#name-input", Input).value = "rag to read"
        await pilot.press("enter")
        await settle(pilot)
    assert stored(db_path) == [("rag to read", word, "all", "rag")]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "readinglist",
            "--db",
            str(db_path),
            "list",
            "--view",
            "rag to read",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert [p["id"] for p in json.loads(done.stdout)] == shown


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


async def test_the_palette_lists_saved_views_after_the_five_views(make: AppFactory) -> None:
    from textual.command import CommandList

    app = make()
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        saved_views.save(app.library, "rag to read", "", View.UNREAD, "rag")
        saved_views.save(app.library, "surveys", "survey", View.ALL, None)
        await pilot.press("ctrl+p")
        await pilot.pause(0.5)
        results = app.screen.query_one(CommandList)
        prompts = [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]
        firsts = [p.split("\n")[0] for p in prompts]
        read = firsts.index("View read papers")
        assert firsts[read - 4 : read] == [
            "View all papers",
            "View the reading queue, in order",
            "View starred papers",
            "View unread papers",
        ]
        assert firsts[read + 1 : read + 3] == ["Saved view: rag to read", "Saved view: surveys"]
        assert prompts[read + 1].split("\n")[1] == "unread #rag · key: 6"
        assert prompts[read + 2].split("\n")[1] == 'all "survey" · key: 7'
        results.highlighted = read + 1
        await pilot.press("enter")
        await settle(pilot)
        assert (main_screen(app).view, main_screen(app).tag) == (View.UNREAD, "rag")

"""The app driven through Pilot, asserting on the library file afterwards."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from readinglist.core.models import Status, View
from readinglist.ui.widgets.paper_list import PaperList

from .conftest import AppFactory, current_id, main_screen, notices, paper_list, search, settle, status_line


async def test_first_start_seeds_the_sample_and_says_so(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert paper_list(app).row_count == 220
        assert status_line(app) == "All · 220 papers"
        assert any("imported the bundled sample" in n for n in notices(app))
        assert isinstance(app.focused, PaperList)


async def test_moving_the_cursor_shows_that_papers_details(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ids = paper_list(app).ids
        await pilot.press("j", "j", "down")
        assert current_id(app) == ids[3]
        await pilot.press("k")
        assert current_id(app) == ids[2]
        await pilot.press("G")
        assert current_id(app) == ids[-1]
        await pilot.press("g")
        assert current_id(app) == ids[0]
        await pilot.press("pagedown")
        assert paper_list(app).cursor > 10
        detail = str(main_screen(app).query_one("#detail-body").render())
        assert app.library.get(current_id(app)).title[:30] in detail.replace("\n", " ")


async def test_star_toggles_in_the_library(make: AppFactory, db_path: Path) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "s")
        paper_id = current_id(app)
        assert app.library.get(paper_id).starred
        await pilot.press("s")
        assert not app.library.get(paper_id).starred
        await pilot.press("s", "3")
        await settle(pilot)
        assert paper_list(app).ids == [paper_id]
        assert status_line(app) == "Starred · 1 paper"


async def test_tags_dialog_adds_and_removes(make: AppFactory) -> None:
    from textual.widgets import Input

    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        paper_id = current_id(app)
        await pilot.press("t")
        app.screen.query_one("#tag-input", Input).value = "rag, #Survey , to read"
        await pilot.press("enter")
        await settle(pilot)
        assert app.library.get(paper_id).tags == ("rag", "Survey", "to read")
        await pilot.press("t")
        app.screen.query_one("#tag-input", Input).value = "-survey, -to read"
        await pilot.press("enter")
        await settle(pilot)
        assert app.library.get(paper_id).tags == ("rag",)
        await pilot.press("t", "escape")
        assert app.library.get(paper_id).tags == ("rag",)


async def test_queue_add_reorder_and_remove(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ids = paper_list(app).ids[:3]
        await pilot.press("a", "j", "a", "j", "a")
        assert [app.library.get(i).queue_position for i in ids] == [1, 2, 3]
        await pilot.press("2")
        await settle(pilot)
        assert paper_list(app).ids == ids
        assert status_line(app) == "Queue · 3 papers"
        await pilot.press("G", "K")  # the last paper moves up one place
        await settle(pilot)
        assert paper_list(app).ids == [ids[0], ids[2], ids[1]]
        assert current_id(app) == ids[2]
        await pilot.press("J")
        await settle(pilot)
        assert paper_list(app).ids == ids
        await pilot.press("T")
        await settle(pilot)
        assert paper_list(app).ids == [ids[2], ids[0], ids[1]]
        assert app.library.get(ids[2]).queue_position == 1
        await pilot.press("a")  # out of the queue
        await settle(pilot)
        assert paper_list(app).ids == [ids[0], ids[1]]
        assert app.library.get(ids[2]).queue_position is None
        assert any("Removed from the queue" in n for n in notices(app))


async def test_reordering_keys_do_nothing_outside_the_queue_view(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a", "j", "a", "T")
        assert app.library.papers(View.QUEUE)[0].id == paper_list(app).ids[0]


async def test_read_toggle_and_the_status_views(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        first = current_id(app)
        await pilot.press("r")
        assert app.library.get(first).status is Status.READ
        await pilot.press("5")
        await settle(pilot)
        assert paper_list(app).ids == [first]
        await pilot.press("4")
        await settle(pilot)
        assert paper_list(app).row_count == 219 and first not in paper_list(app).ids
        await pilot.press("5", "r")  # unread again: it leaves the Read view
        await settle(pilot)
        assert app.library.get(first).status is Status.UNREAD
        assert paper_list(app).row_count == 0
        assert status_line(app) == "Read · 0 papers"
        await pilot.press("1")
        await settle(pilot)
        assert paper_list(app).row_count == 220


async def test_search_narrows_the_list_and_escape_restores_it(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await search(pilot, "speculative decoding")
        rows = paper_list(app).ids
        assert 0 < len(rows) < 220
        for paper in app.library.get_many(rows):
            text = f"{paper.title} {paper.abstract}".lower()
            assert "speculative" in text and "decoding" in text
        assert status_line(app) == f'All · 220 · {len(rows)} match "speculative decoding"'
        await pilot.press("enter")
        assert isinstance(app.focused, PaperList)
        await pilot.press("escape")
        await settle(pilot)
        assert paper_list(app).row_count == 220


async def test_search_within_a_view(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s", "3")
        await settle(pilot)
        starred = current_id(app)
        await search(pilot, "zzzzqqq")
        assert paper_list(app).row_count == 0
        assert status_line(app) == 'Starred · 1 · 0 match "zzzzqqq"'
        await pilot.press("escape")
        await settle(pilot)
        assert paper_list(app).ids == [starred]


async def test_tag_view_from_the_palette(make: AppFactory, db_path: Path) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.library.tag(paper_list(app).ids[5], ["diffusion"])
        await pilot.press("ctrl+p")
        await pilot.press(*"Tag view")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert main_screen(app).tag == "diffusion"
        assert paper_list(app).row_count == 1
        assert status_line(app) == "#diffusion · 1 paper"


async def test_every_binding_runs_from_the_palette(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        paper_id = current_id(app)
        await pilot.press("ctrl+p", *"Star")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert app.library.get(paper_id).starred


async def test_a_failed_write_is_reported_and_not_shown_as_done(
    make: AppFactory, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("readinglist.core.store.BUSY_TIMEOUT_S", 0.05)
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        paper_id = current_id(app)
        blocker = sqlite3.connect(str(db_path))
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            await pilot.press("s")
        finally:
            blocker.rollback()
            blocker.close()
        assert any("locked" in n for n in notices(app))
        assert not app.library.get(paper_id).starred
        detail = str(main_screen(app).query_one("#detail-body").render())
        assert "starred" not in detail


async def test_keymap_from_the_config_rebinds_keys(make: AppFactory) -> None:
    from readinglist.config import Settings

    app = make(Settings(keymap={"star": "x", "nonsense-id": "z"}))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        paper_id = current_id(app)
        await pilot.press("s")
        assert not app.library.get(paper_id).starred
        await pilot.press("x")
        assert app.library.get(paper_id).starred
        assert any("nonsense-id" in n for n in notices(app))


async def test_theme_from_config_and_palette_choice_is_remembered(make: AppFactory, tmp_path: Path) -> None:
    from readinglist.config import load_settings

    config = tmp_path / "config.toml"
    config.write_text('theme = "nord"\n\n[keymap]\nstar = "x"\n', encoding="utf-8")
    app = make(load_settings(config))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.theme == "nord"
        app.theme = "gruvbox"
        await pilot.pause()
    saved = load_settings(config)
    assert saved.theme == "gruvbox"
    assert saved.keymap == {"star": "x"}


async def test_help_lists_every_binding(make: AppFactory) -> None:
    from textual.widgets import Static

    from readinglist.ui.keys import key_rows
    from readinglist.ui.screens.help import HelpScreen

    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-table", Static)
        rendered = "\n".join(line.text for line in table.render_lines(table.region.reset_offset))
        for row in key_rows(app.binding_sources()):
            assert row.description in rendered, row
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)

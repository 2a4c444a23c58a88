"""The app driven through Pilot, asserting on the library file afterwards."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from textual.widgets import Input

from readinglist.core.models import Status
from readinglist.ui.widgets.paper_list import PaperList

from .conftest import (
    AppFactory,
    LoadsStarted,
    current_id,
    main_screen,
    notices,
    paper_list,
    search,
    session_lock,
    settle,
    status_line,
)


async def test_first_start_seeds_the_sample_and_says_so(make: AppFactory) -> None:
    app = make(fresh=True)
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
        await pilot.pause(0.1)  # under key repeat the details follow the cursor once it rests
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
        await pilot.press("T", "K")  # outside the Queue view these do nothing
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
        assert (
            status_line(app)
            == "Read · No read papers: r marks the highlighted paper read (4 shows the unread)"
        )
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
        with session_lock(app):  # a slow search: the worker waits here
            main_screen(app).query_one("#search", Input).value = "speculative decoding "
            await pilot.pause()
            # A quick search shows its rows with no status in between; a slow one says so.
            assert status_line(app) == f'All · 220 · {len(rows)} match "speculative decoding"'
            await pilot.pause(0.2)
            assert status_line(app) == 'All · searching "speculative decoding"…'
        await settle(pilot)
        assert status_line(app).endswith('match "speculative decoding"')
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
        assert status_line(app) == 'Starred · Nothing matches "zzzzqqq": esc clears the search'
        await pilot.press("escape")
        await settle(pilot)
        assert paper_list(app).ids == [starred]


async def test_palette_runs_actions_and_opens_tag_views(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        paper_id = current_id(app)
        await pilot.press("ctrl+p")
        app.screen.query_one(Input).value = "Star"  # typed into the palette, without per-key cost
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert app.library.get(paper_id).starred
        app.library.tag(paper_list(app).ids[5], ["diffusion"])
        await pilot.press("ctrl+p")
        app.screen.query_one(Input).value = "Tag view"
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert main_screen(app).tag == "diffusion"
        assert paper_list(app).row_count == 1
        assert status_line(app) == "#diffusion · 1 paper"


async def test_a_failed_write_is_reported_and_not_shown_as_done(
    make: AppFactory, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("readinglist.core.connection.BUSY_TIMEOUT_S", 0.05)
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
        # Read the start-up notice first: on a loaded machine it can time out before the keys are done.
        assert any("nonsense-id" in n for n in notices(app))
        paper_id = current_id(app)
        await pilot.press("s")
        assert not app.library.get(paper_id).starred
        await pilot.press("x")
        assert app.library.get(paper_id).starred


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


async def test_key_repeat_coalesces_details_and_notes_follow_the_cursor(make: AppFactory) -> None:
    from readinglist.ui.widgets.notes_editor import NotesEditor

    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        papers = paper_list(app)
        app.library.set_note(papers.ids[6], "note of the seventh")
        for _ in range(6):  # faster than any key repeat
            papers.action_cursor_down()
        await pilot.press("n")  # the note shown must be the highlighted paper's, at once
        notes = main_screen(app).query_one(NotesEditor)
        assert notes.paper_id == papers.ids[6] and notes.text == "note of the seventh"
        detail = str(main_screen(app).query_one("#detail-body").render())
        assert app.library.get(papers.ids[6]).title[:25] in detail.replace("\n", " ")


async def test_clicking_a_row_highlights_it(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.click("#papers", offset=(10, 3))  # row 0 is the border
        assert paper_list(app).cursor == 2
        assert current_id(app) == paper_list(app).ids[2]


async def test_tab_cycles_the_panes_and_q_quits(make: AppFactory) -> None:
    from readinglist.ui.widgets.detail_pane import DetailPane
    from readinglist.ui.widgets.notes_editor import NotesEditor
    from readinglist.ui.widgets.search_bar import SearchBar

    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        order = []
        for _ in range(4):
            await pilot.press("tab")
            order.append(type(app.focused))
        assert order == [DetailPane, NotesEditor, SearchBar, PaperList]
        await pilot.press("shift+tab")
        assert isinstance(app.focused, SearchBar)
        await pilot.press("enter", "pagedown", "pageup")
        assert paper_list(app).cursor == 0
        await pilot.press("q")
    assert app.return_code == 0 and not app.is_running


async def test_typing_runs_one_search_and_escape_runs_one_reload(make: AppFactory) -> None:
    from readinglist.ui.screens.main import MainScreen
    from readinglist.ui.widgets.search_bar import SearchBar

    app = make()
    loads = LoadsStarted()
    async with app.run_test(size=(120, 40), message_hook=loads) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        loads.requests.clear()
        await pilot.press("slash")
        bar = screen.query_one(SearchBar)
        for end in range(1, 6):  # five keystrokes, faster than the debounce
            bar.value = "decod"[:end]
        await pilot.pause(0.3)
        await settle(pilot)
        assert loads.queries == ["decod"]
        assert isinstance(screen, MainScreen) and screen.rows is not None
        assert screen.rows.request.query == "decod"
        picked = paper_list(app).current_id
        await pilot.press("enter", "escape")
        await settle(pilot)
        await pilot.press("j", "j")
        await pilot.pause(0.3)  # no late reload may reset the cursor
        await settle(pilot)
        assert loads.queries == ["decod", ""]
        # esc keeps the paper the search was on (#16); j j moves on from there.
        assert picked is not None and paper_list(app).row_count == 220
        assert paper_list(app).cursor == paper_list(app).ids.index(picked) + 2


async def test_an_unreadable_library_is_reported_once_not_per_row(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.library.conn.close()  # every read now fails
        for _ in range(3):
            paper_list(app).invalidate()
            await pilot.pause()
        failures = [n for n in notices(app) if "library" in n]
        assert len(failures) == 1, failures


async def test_a_slow_view_says_it_is_loading(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        with session_lock(app):  # the worker waits here, as behind a slow full scan
            await pilot.press("3")
            await pilot.pause(0.25)
            assert status_line(app) == "Starred · loading…"
        await settle(pilot)
        assert status_line(app) == "Starred · No starred papers: s stars the highlighted paper (1 shows all)"
        await pilot.press("1")
        await settle(pilot)
        await pilot.pause(0.15)  # a quick view never shows the loading text
        assert status_line(app) == "All · 220 papers"

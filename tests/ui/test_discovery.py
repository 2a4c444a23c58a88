"""The app's discovery: indexing in a worker, Related (m), Suggested (6), related pane, meaning results."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from textual.widgets import OptionList

from readinglist.core.store import Library
from readinglist.ui.screens.main import MainScreen
from readinglist.ui.screens.related import RelatedScreen
from readinglist.ui.widgets.paper_list import PaperList
from readinglist.ui.widgets.related_pane import RelatedPane
from tests.ui.conftest import AppFactory, notices, search, settle, status_line


def vectors(db_path: Path) -> int:
    with Library(db_path) as lib:
        return int(lib.conn.execute("SELECT count(*) FROM paper_vectors").fetchone()[0])


def title_id(db_path: Path, title: str) -> int:
    with Library(db_path) as lib:
        return int(lib.conn.execute("SELECT id FROM papers WHERE title = ?", [title]).fetchone()[0])


async def test_indexing_is_off_in_tests_unless_turned_on(make: AppFactory, db_path: Path) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert not app.semantic.ready
    assert vectors(db_path) == 0


async def test_the_app_indexes_in_a_worker_and_says_so(make: AppFactory, db_path: Path) -> None:
    app = make()
    app.index_in_background = True
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        notes = notices(app)
        assert any("Indexing 220 papers for search by meaning" in n for n in notes)
        assert any("220 papers can now be found by meaning" in n for n in notes)
        assert app.semantic.ready
    assert vectors(db_path) == 220


async def test_m_shows_related_papers_enter_jumps_and_esc_leaves(make: AppFactory, db_path: Path) -> None:
    app = make()
    app.index_in_background = True
    target = title_id(db_path, "Scene Text Recognition with Permuted Autoregressive Sequence Models")
    other = title_id(db_path, "Multi-Granularity Prediction for Scene Text Recognition")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        papers = app.screen.query_one(PaperList)
        papers.cursor = papers.ids.index(target)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, RelatedScreen)
        options = app.screen.query_one(OptionList)
        ids = [int(options.get_option_at_index(i).id or 0) for i in range(options.option_count)]
        assert len(ids) == 20 and target not in ids and other in ids[:3]
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        assert app.screen.query_one(PaperList).current_id == target
        await pilot.press("m")
        await settle(pilot)
        options = app.screen.query_one(OptionList)
        options.highlighted = ids.index(other)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.query_one(PaperList).current_id == other


async def test_the_related_pane_lists_three_and_enter_jumps(make: AppFactory, db_path: Path) -> None:
    app = make()
    app.index_in_background = True
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        papers = app.screen.query_one(PaperList)
        pane = app.screen.query_one(RelatedPane)
        # Shown once the model has loaded, for the paper already highlighted.
        assert pane.display and pane.for_paper == papers.current_id and pane.option_count == 3
        await pilot.press("j")
        await settle(pilot)
        assert pane.for_paper == papers.current_id and pane.option_count == 3
        first = int(pane.get_option_at_index(0).id or 0)
        pane.focus()
        pane.highlighted = 0
        await pilot.press("enter")
        await settle(pilot)
        assert papers.current_id == first


async def test_a_description_fills_in_meaning_results_marked_in_the_list(make: AppFactory) -> None:
    app = make()
    app.index_in_background = True
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await search(pilot, "letting a small model guess ahead")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.rows is not None
        assert screen.rows.words == 0 and len(screen.rows.ids) == 50
        assert "related by meaning from #1" in str(screen.query_one(PaperList).border_subtitle)
        assert "0 match" in status_line(app) and "50 related by meaning" in status_line(app)
        await search(pilot, "speculative")
        await settle(pilot)
        words = screen.rows.words
        assert words is not None and 0 < words < len(screen.rows.ids)
        assert f"from #{words + 1}" in str(screen.query_one(PaperList).border_subtitle)


async def test_suggested_ranks_unread_papers_like_the_starred(make: AppFactory, db_path: Path) -> None:
    app = make()
    app.index_in_background = True
    starred = title_id(db_path, "Online Speculative Decoding")
    with Library(db_path) as lib:
        lib.set_starred(starred, True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("0")
        await settle(pilot)
        assert isinstance(app.screen, RelatedScreen)
        options = app.screen.query_one(OptionList)
        ids = [int(options.get_option_at_index(i).id or 0) for i in range(options.option_count)]
        assert len(ids) == 20 and starred not in ids
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


def test_app_start_up_imports_no_numpy_or_model(tmp_path: Path) -> None:
    # The first frame and the list with indexing off (and before the worker loads it) need neither.
    script = textwrap.dedent(
        f"""
        import asyncio, sys
        from readinglist.config import Settings
        from readinglist.ui.app import make_app
        async def main():
            app = make_app({str(tmp_path / "lib.db")!r}, Settings())
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
        asyncio.run(main())
        print(sorted(m for m in ("numpy", "tokenizers", "safetensors", "wordllama") if m in sys.modules))
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]"


async def test_without_the_model_the_app_searches_by_words_and_m_says_how_to_get_it(
    make: AppFactory, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from readinglist.core.semantic import model

    monkeypatch.setattr(model, "package_dir", lambda: None)
    app = make()
    app.index_in_background = True  # skipped: nothing to index with
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert not app.semantic.ready
        assert not app.screen.query_one(RelatedPane).display
        await search(pilot, "speculative")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.rows is not None
        assert screen.rows.words == len(screen.rows.ids) > 0
        await pilot.press("escape", "m")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert any("pip install wordllama" in message for message in notices(app))
    assert vectors(db_path) == 0

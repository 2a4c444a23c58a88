"""The pieces under the screen: status text, the virtual list, the tag parser, run()."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.strip import Strip

from readinglist.core.models import Paper, View
from readinglist.core.search.session import Rows, RowsRequest
from readinglist.core.store import Library
from readinglist.ui.rows import status_text
from readinglist.ui.screens.tag_dialog import TagSuggester, parse_tag_changes
from readinglist.ui.widgets.paper_list import PaperList


async def test_status_line_counts_after_the_rows(many_matches: Path) -> None:
    from textual.widgets import Static

    from readinglist.config import Settings
    from readinglist.ui.app import make_app
    from readinglist.ui.screens.listing import ListingScreen
    from readinglist.ui.widgets.rows_loader import RowsLoader

    app = make_app(many_matches, Settings(), system_copy=lambda text: False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ListingScreen)
        while screen.rows is None:  # the worker starts after the first frame (later under load)
            await pilot.pause(0.02)
        await app.workers.wait_for_complete()
        # Once the list is filled, the idle worker read the newest papers for the first keys.
        assert len(app.screen.query_one(RowsLoader).session.search_cache.row_ids()) == 400
        await pilot.press("slash", *"lattice")
        for _ in range(3):
            await pilot.pause(0.1)
            await app.workers.wait_for_complete()
        status = str(app.screen.query_one("#status", Static).render())
        assert status == 'All · 400 · 400 match "lattice" (best 200 shown)'


def test_status_text() -> None:
    def rows(n: int, view_count: int, query: str = "", matches: int | None = None) -> Rows:
        return Rows(RowsRequest(View.ALL, query=query), list(range(n)), view_count, matches)

    assert status_text("Queue", rows(12, 12)) == "Queue · 12 papers"
    assert status_text("#rag", rows(1, 1)) == "#rag · 1 paper"
    assert status_text("All", rows(14, 220, "speculative ", 14)) == 'All · 220 · 14 match "speculative"'
    assert (
        status_text("All", rows(200, 9000, "llm", 5000)) == 'All · 9000 · 5000 match "llm" (best 200 shown)'
    )
    partial = rows(200, 200)
    partial.partial = True
    assert status_text("All", partial) == "All · counting…"


class ListApp(App[None]):
    """A bare app around one PaperList, to watch what it fetches."""

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.fetched: list[int] = []

    def fetch(self, ids: Sequence[int]) -> list[Paper]:
        self.fetched.extend(ids)
        return self.library.get_many(list(ids))

    def compose(self) -> ComposeResult:
        yield PaperList(self.fetch, id="papers")


async def test_virtual_list_fetches_only_what_it_shows(sample_library: Library) -> None:
    # Scale bound: 100k row ids, but only a screenful (plus margin) of papers is fetched.
    real = sample_library.ids()
    ids = [real[i % len(real)] for i in range(100_000)]
    app = ListApp(sample_library)
    async with app.run_test(size=(80, 24)) as pilot:
        papers = app.query_one(PaperList)
        papers.set_rows(ids)
        await pilot.pause()
        assert papers.row_count == 100_000
        assert 0 < len(app.fetched) <= 24 + 2 * 20
        app.fetched.clear()
        papers.focus()
        await pilot.press("end")
        assert papers.cursor == 99_999 and papers.current_id == ids[-1]
        assert int(papers.scroll_y) > 99_900
        assert 0 < len(app.fetched) <= 24 + 2 * 20
        app.fetched.clear()
        papers.set_rows(ids[:10], keep_id=ids[99_999])  # ids[99_999] == ids[9] (it cycles every 220)
        assert papers.cursor == 9


async def test_list_scrollbar_follows_the_rows(sample_library: Library) -> None:
    real = sample_library.ids()
    app = ListApp(sample_library)
    async with app.run_test(size=(80, 24)) as pilot:
        papers = app.query_one(PaperList)
        papers.set_rows(real)
        await pilot.pause()
        bar = papers.vertical_scrollbar
        assert papers.show_vertical_scrollbar and bar.window_virtual_size == len(real)
        papers.set_rows(real[:150])  # still more than a screen: the bar is told, no layout
        await pilot.pause()
        assert papers.show_vertical_scrollbar and bar.window_virtual_size == 150
        assert bar.window_size == papers.scrollable_content_region.height
        papers.set_rows(real[:5])  # fits: the bar goes and the rows take its column
        await pilot.pause()
        assert not papers.show_vertical_scrollbar
        assert papers.scrollable_content_region.width == papers.content_region.width
        papers.set_rows(real[:150])  # and comes back
        await pilot.pause()
        assert papers.show_vertical_scrollbar and bar.window_virtual_size == 150


async def test_new_rows_redraw_only_the_lines_that_changed(sample_library: Library) -> None:
    real = sample_library.ids()[:40]
    titles = {p.id: p.title for p in sample_library.get_many(real)}
    app = ListApp(sample_library)

    def on_screen(papers: PaperList) -> list[str]:
        # What the terminal would show: the composed lines, cached ones included.
        strips = app.screen._compositor.render_strips()
        top = papers.content_region.y
        return ["".join(seg.text for seg in strip) for strip in strips[top : top + 5]]

    async with app.run_test(size=(80, 24)) as pilot:
        papers = app.query_one(PaperList)
        drawn: list[int] = []
        render_line = papers.render_line

        def traced(y: int) -> Strip:
            drawn.append(y)
            return render_line(y)

        papers.render_line = traced  # type: ignore[method-assign]
        papers.focus()
        papers.set_rows(real)
        await pilot.pause()
        assert len(drawn) >= 20
        await pilot.pause()  # the scrollbar came: the first frames are full redraws
        drawn.clear()
        swapped = [real[0], real[2], real[1], *real[3:]]
        # As the app's worker does: the first screen's papers come with the ids.
        papers.set_rows(swapped, papers=sample_library.get_many(swapped))
        await pilot.pause()
        assert sorted(set(drawn)) == [0, 1, 2]  # the two swapped rows and the cursor's
        lines = on_screen(papers)
        for line, pid in zip(lines, swapped[:5], strict=True):
            assert titles[pid][:20] in line
        drawn.clear()
        # The same rows again: only the cursor's row.
        papers.set_rows(list(swapped), papers=sample_library.get_many(swapped))
        await pilot.pause()
        assert set(drawn) == {0}
        drawn.clear()
        # Fewer rows: the lines below are blanked.
        papers.set_rows(swapped[:3], papers=sample_library.get_many(swapped[:3]))
        await pilot.pause()
        assert on_screen(papers)[3].strip() == ""
        assert titles[swapped[2]][:20] in on_screen(papers)[2]


async def test_callbacks_run_after_the_frame_that_draws_the_rows(sample_library: Library) -> None:
    app = ListApp(sample_library)
    async with app.run_test(size=(80, 24)) as pilot:
        papers = app.query_one(PaperList)
        await pilot.pause()
        calls: list[int] = []
        papers.set_rows(sample_library.ids()[:5])
        papers.after_drawn(lambda: calls.append(papers.row_count))
        assert calls == []  # not before the rows are drawn
        await pilot.pause()
        assert calls == [5]
        papers.refresh()
        await pilot.pause()
        assert calls == [5]  # once


async def test_replaced_rows_are_freed_after_the_frame(sample_library: Library) -> None:
    import gc
    import weakref

    class Ids(list[int]):  # a list that can be watched
        pass

    app = ListApp(sample_library)
    async with app.run_test(size=(80, 24)) as pilot:
        papers = app.query_one(PaperList)
        old = Ids(sample_library.ids())
        papers.set_rows(old)
        await pilot.pause()
        gone = weakref.ref(old)
        del old
        papers.set_rows(sample_library.ids()[:5])
        gc.collect()
        assert gone() is not None  # still held while the new rows wait for their frame
        await pilot.pause()
        gc.collect()
        assert gone() is None


def test_parse_tag_changes() -> None:
    assert parse_tag_changes(" rag, #llm ,-survey, - old ,, ") == (["rag", "#llm"], ["survey", "old"])
    assert parse_tag_changes("") == ([], [])


async def test_tag_suggester_completes_the_last_part() -> None:
    suggest = TagSuggester(["retrieval", "rag", "survey"])
    assert await suggest.get_suggestion("ra") == "rag"
    assert await suggest.get_suggestion("llm, su") == "llm, survey"
    assert await suggest.get_suggestion("llm, -ret") == "llm, -retrieval"
    assert await suggest.get_suggestion("llm, ") is None
    assert await suggest.get_suggestion("survey") is None


def test_run_reports_a_bad_config_and_exits_1(
    tmp_path: Path, isolated_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from readinglist.ui.app import run

    config = isolated_env / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('theme = "nord"\n[keymap\n', encoding="utf-8")
    assert run(tmp_path / "lib.db") == 1
    err = capsys.readouterr().err
    assert err.startswith(f"readinglist: {config}:2:") and err.count("\n") == 1
    assert not (tmp_path / "lib.db").exists()


def test_run_reports_a_file_that_is_not_a_library(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from readinglist.ui.app import run

    bad = tmp_path / "notes.txt"
    bad.write_text("just some text, not SQLite\n" * 100, encoding="utf-8")
    assert run(bad) == 1
    assert "not a readinglist library" in capsys.readouterr().err
    assert bad.read_text(encoding="utf-8") == "just some text, not SQLite\n" * 100


async def test_details_pane_leaves_an_unchanged_paper_as_it_is(sample_library: Library) -> None:
    from readinglist.ui.widgets.detail_pane import DetailPane

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield DetailPane(id="details")

    paper = sample_library.get(sample_library.ids()[0])
    spans = {"title": [(0, 3)]}
    app = Host()
    async with app.run_test(size=(60, 10)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show(paper, spans)
        await pilot.pause()
        pane.scroll_to(y=3, animate=False)
        await pilot.pause()
        pane.show(paper, {"title": [(0, 3)]})  # the same paper and highlights: no new layout
        await pilot.pause()
        assert pane.scroll_y == 3
        pane.show(paper._replace(starred=not paper.starred), spans)  # changed: shown from the top
        await pilot.pause()
        assert pane.scroll_y == 0
        body = str(pane.query_one("#detail-body").render())
        assert ("★ starred" in body) is (not paper.starred)


@pytest.mark.parametrize(("env", "fps"), [(None, "240"), ("30", "30")])
def test_frame_rate_is_set_before_textual_loads(env: str | None, fps: str) -> None:
    import os
    import subprocess
    import sys

    environ = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"}
    if env is not None:
        environ["TEXTUAL_FPS"] = env  # the user's own setting wins
    code = "import readinglist.ui.app, textual.constants as c; print(c.MAX_FPS)"
    out = subprocess.run(
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == fps

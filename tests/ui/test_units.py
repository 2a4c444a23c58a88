"""The pieces under the screen: background loading, status text, the virtual list, the tag parser, run()."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.strip import Strip

from readinglist.core.models import Paper, View
from readinglist.core.store import Library
from readinglist.ui.rows import FIRST_PAGE, BackgroundLibrary, Rows, RowsRequest, Superseded, status_text
from readinglist.ui.screens.tag_dialog import TagSuggester, parse_tag_changes
from readinglist.ui.widgets.paper_list import PaperList


def test_background_library_pages_then_loads_everything(sample_library: Library) -> None:
    bg = BackgroundLibrary(sample_library.path)
    try:
        head = bg.first_page(RowsRequest(View.ALL))
        assert head.partial and len(head.ids) == FIRST_PAGE
        full = bg.load(RowsRequest(View.ALL))
        assert not full.partial and full.view_count == 220
        assert full.ids[:FIRST_PAGE] == head.ids
        found = bg.load(RowsRequest(View.ALL, query="speculative"))
        assert found.matches is not None and 0 < found.matches == len(found.ids) < 220
        assert any(found.spans[i]["title"] or found.spans[i]["abstract"] for i in found.ids)
        assert not bg.first_page(RowsRequest(View.STARRED)).partial
    finally:
        bg.close()


@pytest.fixture
def many_matches(tmp_path: Path) -> Path:
    """A library of 400 papers that all say "lattice": more than a page of candidates."""
    import json

    from readinglist.core.importing import import_files

    src = tmp_path / "many.jsonl"
    lines = [
        json.dumps(
            {
                "id": f"2401.{i:05d}",
                "title": f"Lattice study number {i}" if i % 2 else f"Paper {i} on quarks",
                "abstract": f"We measure the lattice spacing in run {i}.",
                "authors": "A. Author",
            }
        )
        for i in range(400)
    ]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = tmp_path / "many.db"
    with Library(path) as lib:
        assert import_files(lib, [src], format_name="arxiv-jsonl").added == 400
    return path


def test_rows_come_before_their_count(many_matches: Path) -> None:
    bg = BackgroundLibrary(many_matches)
    try:
        request = RowsRequest(View.ALL, query="lattice")
        rows = bg.load(request)
        assert len(rows.ids) == 200 and rows.counting and rows.more
        assert status_text("All", rows) == 'All · 400 · 200+ match "lattice" (best 200 shown)'
        assert bg.count(request) == 400
        few = bg.load(RowsRequest(View.ALL, query="quarks"))  # 200 match: under a page of candidates
        assert few.matches == 200 and not few.counting and not few.more
        with pytest.raises(Superseded):
            bg.count(request, lambda: True)
    finally:
        bg.close()


def test_worker_warms_the_next_words_candidates(many_matches: Path) -> None:
    bg = BackgroundLibrary(many_matches)
    try:
        bg.warm(RowsRequest(View.ALL, query="quarks "))
        cached = set(bg._search_cache._rows)
        assert len(cached) == 200  # the papers on quarks, and only those
        quarks = set(bg.load(RowsRequest(View.ALL, query="quarks")).ids)
        assert cached == quarks
    finally:
        bg.close()


def test_worker_searches_first_letters_ahead_and_a_key_stops_it(many_matches: Path) -> None:
    bg = BackgroundLibrary(many_matches)
    try:
        steps = 0

        # A key arrives once the warming is under way (between two of its batches
        # or inside a query: both stop it; the connection must work afterwards).
        def key_typed() -> bool:
            nonlocal steps
            steps += 1
            return steps > 3

        bg.warm(RowsRequest(View.ALL), key_typed)
        interrupted = len(bg._search_cache._results)
        assert interrupted < 26
        assert bg.load(RowsRequest(View.ALL, query="quarks")).ids  # the connection still works
        bg.warm(RowsRequest(View.ALL))
        kept = {key[1] for key in bg._search_cache._results}
        assert set("abcdefghijklmnopqrstuvwxyz") <= kept
    finally:
        bg.close()


def test_worker_reading_ahead_waits_for_a_quiet_keyboard(many_matches: Path) -> None:
    bg = BackgroundLibrary(many_matches)
    try:
        quiet_at = time.monotonic() + 0.2
        read_while_active: list[int] = []

        def keys_active() -> bool:  # cursor keys pressed for 0.2 s
            active = time.monotonic() < quiet_at
            if active:
                read_while_active.append(len(bg._search_cache._rows))
            return active

        bg.warm(RowsRequest(View.ALL), keys_active=keys_active)
        assert time.monotonic() >= quiet_at
        assert read_while_active and set(read_while_active) == {0}  # paused before reading
        assert bg._search_cache._rows  # then read once the keys stopped
        # A search typed while it waits stops it at once.
        fresh = BackgroundLibrary(many_matches)
        typed_at = time.monotonic() + 0.05
        start = time.monotonic()
        fresh.warm(RowsRequest(View.ALL), lambda: time.monotonic() > typed_at, lambda: True)
        assert time.monotonic() - start < 0.5 and not fresh._search_cache._rows
        fresh.close()
    finally:
        bg.close()


async def test_status_line_counts_after_the_rows(many_matches: Path) -> None:
    from textual.widgets import Static

    from readinglist.config import Settings
    from readinglist.ui.app import make_app

    app = make_app(many_matches, Settings(), system_copy=lambda text: False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        # Once the list is filled, the idle worker read the newest papers for the first keys.
        assert len(app.background._search_cache._rows) == 400
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


def test_interrupt_stops_a_running_query_and_the_connection_recovers(sample_library: Library) -> None:
    import threading

    from readinglist.core.errors import LibraryError

    bg = BackgroundLibrary(sample_library.path)
    bg.load(RowsRequest(View.ALL))  # opens the connection
    lib = bg._lib()
    # A query that runs for seconds unless interrupted: a huge recursive count.
    slow = (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000000) "
        "SELECT count(*) FROM n"
    )
    errors: list[Exception] = []

    def run() -> None:
        try:
            with lib.errors():
                lib.conn.execute(slow).fetchone()
        except LibraryError as exc:
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(0.2)
    assert thread.is_alive()
    bg.interrupt()
    thread.join(5)
    assert not thread.is_alive()
    assert errors and "interrupted" in str(errors[0])
    assert bg.load(RowsRequest(View.ALL)).view_count == 220
    bg.close()


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

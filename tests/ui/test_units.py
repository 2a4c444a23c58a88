"""Background loading and the status text (``readinglist.ui.rows``)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from readinglist.core.models import View
from readinglist.core.store import Library
from readinglist.ui.rows import FIRST_PAGE, BackgroundLibrary, Rows, RowsRequest, Superseded, status_text


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

    from readinglist.core.importer import import_files

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

"""The search session the TUI's worker uses: pages, rows before their count, reading ahead, interrupts."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from readinglist.core.models import View
from readinglist.core.search.session import FIRST_PAGE, RowsRequest, SearchSession, Superseded
from readinglist.core.store import Library


def test_session_pages_then_loads_everything(sample_library: Library) -> None:
    bg = SearchSession(sample_library.path)
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


def test_rows_come_before_their_count(many_matches: Path) -> None:
    bg = SearchSession(many_matches)
    try:
        request = RowsRequest(View.ALL, query="lattice")
        rows = bg.load(request)
        assert len(rows.ids) == 200 and rows.counting and rows.more
        assert bg.count(request) == 400
        few = bg.load(RowsRequest(View.ALL, query="quarks"))  # 200 match: under a page of candidates
        assert few.matches == 200 and not few.counting and not few.more
        with pytest.raises(Superseded):
            bg.count(request, lambda: True)
    finally:
        bg.close()


def test_worker_warms_the_next_words_candidates(many_matches: Path) -> None:
    bg = SearchSession(many_matches)
    try:
        bg.warm(RowsRequest(View.ALL, query="quarks "))
        cached = bg.search_cache.row_ids()
        assert len(cached) == 200  # the papers on quarks, and only those
        quarks = set(bg.load(RowsRequest(View.ALL, query="quarks")).ids)
        assert cached == quarks
    finally:
        bg.close()


def test_worker_searches_first_letters_ahead_and_a_key_stops_it(many_matches: Path) -> None:
    bg = SearchSession(many_matches)
    try:
        steps = 0

        # A key arrives once the warming is under way (between two of its batches
        # or inside a query: both stop it; the connection must work afterwards).
        def key_typed() -> bool:
            nonlocal steps
            steps += 1
            return steps > 3

        bg.warm(RowsRequest(View.ALL), key_typed)
        interrupted = len(bg.search_cache.result_keys())
        assert interrupted < 26
        assert bg.load(RowsRequest(View.ALL, query="quarks")).ids  # the connection still works
        bg.warm(RowsRequest(View.ALL))
        kept = {key[1] for key in bg.search_cache.result_keys()}
        assert set("abcdefghijklmnopqrstuvwxyz") <= kept
    finally:
        bg.close()


def test_worker_reading_ahead_waits_for_a_quiet_keyboard(many_matches: Path) -> None:
    bg = SearchSession(many_matches)
    try:
        quiet_at = time.monotonic() + 0.2
        read_while_active: list[int] = []

        def keys_active() -> bool:  # cursor keys pressed for 0.2 s
            active = time.monotonic() < quiet_at
            if active:
                read_while_active.append(len(bg.search_cache.row_ids()))
            return active

        bg.warm(RowsRequest(View.ALL), keys_active=keys_active)
        assert time.monotonic() >= quiet_at
        assert read_while_active and set(read_while_active) == {0}  # paused before reading
        assert bg.search_cache.row_ids()  # then read once the keys stopped
        # A search typed while it waits stops it at once.
        fresh = SearchSession(many_matches)
        typed_at = time.monotonic() + 0.05
        start = time.monotonic()
        fresh.warm(RowsRequest(View.ALL), lambda: time.monotonic() > typed_at, lambda: True)
        assert time.monotonic() - start < 0.5 and not fresh.search_cache.row_ids()
        fresh.close()
    finally:
        bg.close()


def test_interrupt_stops_a_running_query_and_the_connection_recovers(sample_library: Library) -> None:
    import threading

    from readinglist.core.errors import LibraryError

    bg = SearchSession(sample_library.path)
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

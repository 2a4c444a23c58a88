"""A search inside the queue view keeps queue order, and every drawn position follows queue changes.

Issue 16: in the queue view with a search (``2``, ``/language``, enter, ``G``, ``T``)
the list kept relevance order and two rows showed position 1.
"""

from __future__ import annotations

import re

import pytest
from textual.pilot import Pilot

from readinglist.core.models import View
from readinglist.ui.app import ReadingListApp
from tests.ui.conftest import AppFactory, current_id, paper_list, search, settle
from tests.ui.screen_text import widget_lines
from tests.ui.test_snapshots import SnapCompare

WORD = "language"


def queue_matches(app: ReadingListApp, count: int = 6) -> list[int]:
    """Queue ``count`` sample papers with WORD in the title, oldest first (so relevance disagrees)."""
    lib = app.library
    for paper_id in lib.ids(View.QUEUE):
        lib.queue_remove(paper_id)
    rows = lib.conn.execute(
        "SELECT id FROM papers WHERE title LIKE ? ORDER BY id LIMIT ?", [f"%{WORD}%", count]
    ).fetchall()
    ids = [r[0] for r in rows]
    assert len(ids) == count
    for paper_id in ids:
        lib.queue_add(paper_id)
    return ids


def queue_order(app: ReadingListApp) -> list[int]:
    return app.library.ids(View.QUEUE)


def drawn_rows(app: ReadingListApp) -> list[str]:
    """The text of every row as the screen shows it (a row not redrawn shows stale)."""
    papers = paper_list(app)
    rows = min(len(papers.ids), papers.scrollable_content_region.height)
    return widget_lines(app, papers)[:rows]


def drawn_marks(app: ReadingListApp) -> list[str]:
    """The mark drawn at the start of every visible row (a queue position or a status mark)."""
    return [row.split()[0] for row in drawn_rows(app)]


async def open_queue_search(pilot: Pilot[int], text: str = WORD) -> None:
    """``2``, ``/`` and the query, then enter: the list has the focus again."""
    await pilot.press("2")
    await settle(pilot)
    await search(pilot, text)
    await pilot.press("enter")
    await settle(pilot)


async def test_a_search_in_the_queue_keeps_queue_order_and_positions_follow_t(make: AppFactory) -> None:
    app = make()
    ids = queue_matches(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_queue_search(pilot)
        papers = paper_list(app)
        assert papers.ids == ids  # queue order, not relevance
        assert drawn_marks(app) == [str(n) for n in range(1, len(ids) + 1)]
        await pilot.press("G", "T")
        await settle(pilot)
        expected = [ids[-1], *ids[:-1]]
        assert queue_order(app) == expected
        assert papers.ids == expected
        assert drawn_marks(app) == [str(n) for n in range(1, len(ids) + 1)]
        assert current_id(app) == ids[-1]  # the cursor follows the paper


@pytest.mark.parametrize("keys", [("K",), ("J",), ("T",)], ids=["K", "J", "T"])
async def test_every_visible_position_is_redrawn_after_a_move(make: AppFactory, keys: tuple[str]) -> None:
    app = make()
    ids = queue_matches(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_queue_search(pilot)
        await pilot.press("j", "j", "j", *keys)
        await settle(pilot)
        order = queue_order(app)
        assert order != ids  # something moved
        assert paper_list(app).ids == order
        assert drawn_marks(app) == [str(n) for n in range(1, len(ids) + 1)]


@pytest.mark.parametrize("key", ["a", "r"])
async def test_every_visible_position_is_redrawn_after_leaving_the_queue(make: AppFactory, key: str) -> None:
    # In the All view the rows stay: the papers behind the one taken out move up a place.
    app = make()
    ids = queue_matches(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await search(pilot, f"{WORD} is:queued sort:added")
        await pilot.press("enter")
        await settle(pilot)
        papers = paper_list(app)
        shown = list(papers.ids)
        assert sorted(shown) == sorted(ids)
        position = {pid: str(n) for n, pid in enumerate(ids, 1)}
        assert drawn_marks(app) == [position[pid] for pid in shown]
        target = ids[0]  # position 1: every other queued paper moves up
        papers.cursor = shown.index(target)
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        assert target not in queue_order(app)
        rest = queue_order(app)
        assert rest == ids[1:]
        position = {pid: str(n) for n, pid in enumerate(rest, 1)}
        drawn = dict(zip(papers.ids, drawn_marks(app), strict=True))
        assert {pid: drawn[pid] for pid in rest} == position


async def test_an_explicit_sort_still_wins_in_the_queue(make: AppFactory) -> None:
    app = make()
    ids = queue_matches(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_queue_search(pilot, f"{WORD} sort:added")
        assert paper_list(app).ids == sorted(ids, reverse=True)  # newest first (ids grow as added)


ROW = re.compile(r"^[ ●★]*(\d+) +(.*)$")


def assert_queue_shown(app: ReadingListApp) -> None:
    """The rows on screen show the queue in order: positions 1..n, each its paper's, nothing stale below."""
    papers = paper_list(app)
    queue = queue_order(app)
    assert papers.ids == queue  # queue order, not relevance
    lines = widget_lines(app, papers)
    assert len(lines) > len(queue)
    drawn = [ROW.match(line) for line in lines[: len(queue)]]
    assert all(drawn), lines[: len(queue)]
    positions = [int(m[1]) for m in drawn if m]
    assert positions == list(range(1, len(queue) + 1))  # unique and in order
    for m, paper in zip(drawn, app.library.get_many(queue), strict=True):
        assert m and int(m[1]) == paper.queue_position
        # The row's title is this paper's (cut at either end with an ellipsis).
        shown = m[2].strip().strip("…").strip()[:20]
        assert shown and shown in paper.title, (shown, paper.title)
    assert not any(line.strip() for line in lines[len(queue) :])  # no row left over


async def test_the_issue_keys_on_a_queue_built_with_a(make: AppFactory) -> None:
    """Queue papers with ``a``, then ``2``, ``/language``, enter, ``G``, ``T``, ``K``, ``J``, ``a``, ``r``."""
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await search(pilot, WORD)
        await pilot.press("enter")
        await settle(pilot)
        queued: list[int] = []
        for _ in range(6):
            queued.append(current_id(app))
            await pilot.press("a")
            await settle(pilot)
            await pilot.press("j", "j")
        assert queue_order(app) == queued
        await pilot.press("escape")
        await settle(pilot)

        await open_queue_search(pilot)
        assert_queue_shown(app)
        assert queue_order(app) == queued

        await pilot.press("G", "T")
        await settle(pilot)
        assert queue_order(app) == [queued[5], *queued[:5]]
        assert current_id(app) == queued[5]
        assert_queue_shown(app)

        await pilot.press("j", "j", "K")  # the third paper moves up a place
        await settle(pilot)
        assert queue_order(app) == [queued[5], queued[1], queued[0], *queued[2:5]]
        assert current_id(app) == queued[1]
        assert_queue_shown(app)

        await pilot.press("J", "J")  # and down two
        await settle(pilot)
        assert queue_order(app) == [queued[5], queued[0], queued[2], queued[1], queued[3], queued[4]]
        assert current_id(app) == queued[1]
        assert_queue_shown(app)

        await pilot.press("a")  # out of the queue: it leaves the view, the rest move up
        await settle(pilot)
        assert queue_order(app) == [queued[5], queued[0], queued[2], queued[3], queued[4]]
        assert_queue_shown(app)

        await pilot.press("g", "r")  # the first is read: it leaves the queue
        await settle(pilot)
        assert app.library.get(queued[5]).queue_position is None
        assert queue_order(app) == [queued[0], queued[2], queued[3], queued[4]]
        assert_queue_shown(app)


def test_queue_search_after_t_120x40(snap_compare: SnapCompare, make: AppFactory) -> None:
    """``2``, ``/language``, enter, ``G``, ``T``: queue order, positions 1 to 6 once each."""
    app = make()
    queue_matches(app)

    async def keys(pilot: Pilot[int]) -> None:
        await settle(pilot)
        await open_queue_search(pilot)
        await pilot.press("G", "T")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=keys)

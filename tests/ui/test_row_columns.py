"""List rows as columns (#16): title, first author, year, tags; the list's width follows the screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.style import Style
from textual.pilot import Pilot

from readinglist.core.models import PaperDraft
from readinglist.core.store import Library
from readinglist.ui.app import ReadingListApp
from readinglist.ui.widgets.paper_list import PaperList
from readinglist.ui.widgets.paper_rows import byline, columns, row_segments, tags_label
from tests.helpers import add_paper

from .conftest import AppFactory, notices, paper_list, search, settle
from .test_snapshots import SnapCompare

RAG = PaperDraft(
    title="Quokkaphrase Retrieval-Augmented Generation for Knowledge-Intensive NLP Tasks",
    authors=("Patrick Lewis", "Ethan Perez", "Aleksandra Piktus"),
    year=2020,
    tags=("rag", "retrieval", "nlp"),
)
PAIR = PaperDraft(title="Quokkaphrase Dense Passage Pairs", authors=("Lewis, Patrick", "Chen, Qi"), year=2021)
LONG = PaperDraft(title="A Long Title About Many Things in Language Models That Ends With Wombatquill")


@pytest.fixture
def app(make: AppFactory, db_path: Path) -> ReadingListApp:
    """The sample library plus two papers that have authors, years and tags (the sample has none)."""
    built = make()
    with Library(db_path) as library:
        for draft in (RAG, PAIR, LONG):
            add_paper(library, draft)
    return built


def _rows(papers: PaperList, count: int) -> list[str]:
    return [papers.render_line(y).text for y in range(count)]


def _row_of(papers: PaperList, title: str) -> str:
    for y in range(papers.scrollable_content_region.height):
        papers.cursor = 0  # the cursor's row is drawn like any other
        line = papers.render_line(y).text
        if title in line:
            return line
    raise AssertionError(f"{title!r} not among {_rows(papers, 5)}")


@pytest.mark.parametrize(("width", "author"), [(120, "Lewis et al."), (80, "Lewis")])
async def test_rows_hold_the_first_author_and_the_year(app: ReadingListApp, width: int, author: str) -> None:
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(pilot)
        await search(pilot, "quokkaphrase")
        papers = paper_list(app)
        row = _row_of(papers, "Quokkaphrase Retr")
        assert author in row and "2020" in row, row
        assert "#rag" not in row  # the title keeps its room: tags go first
        pair = _row_of(papers, "Quokkaphrase Dense")
        assert ("Lewis & Chen" if width == 120 else "Lewis") in pair and "2021" in pair, pair
        # The columns line up: the years start in the same cell.
        assert row.index("2020") == pair.index("2021")


async def test_at_60_columns_the_title_stays_and_tags_and_author_go(app: ReadingListApp) -> None:
    async with app.run_test(size=(60, 24)) as pilot:
        await settle(pilot)
        await search(pilot, "quokkaphrase")
        row = _row_of(paper_list(app), "Quokkaphrase Retr")
        assert "2020" in row
        assert "#rag" not in row and "Lewis" not in row
        # The title keeps at least 60% of the row's text (after the marks).
        title = row[7 : row.index("2020")].strip()
        assert len(title) >= 0.6 * (paper_list(app).scrollable_content_region.width - 7) - 6


async def test_a_wide_screen_shows_the_tags_too(app: ReadingListApp) -> None:
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        await search(pilot, "quokkaphrase")
        row = _row_of(paper_list(app), "Quokkaphrase Retr")
        assert "Lewis et al." in row and "2020" in row and "#nlp +2" in row, row
        # Most of the title fits, and the list takes 60% of the width (the details keep 80 columns).
        assert RAG.title[:65] in row
        assert paper_list(app).outer_size.width == 120


async def test_sort_added_shows_the_added_date(app: ReadingListApp) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await search(pilot, "quokkaphrase sort:added")
        papers = paper_list(app)
        assert papers.sort == "added"
        row = _row_of(papers, "Quokkaphrase Retr")
        added = app.library.get(papers.ids[0]).added_at[:10]
        assert added in row and "2020" in row, row
        await search(pilot, "quokkaphrase")
        assert papers.sort == "" and added not in _row_of(papers, "Quokkaphrase Retr")


async def test_the_matched_word_stays_visible_in_a_cut_title(app: ReadingListApp) -> None:
    async with app.run_test(size=(60, 24)) as pilot:
        await settle(pilot)
        await search(pilot, "wombatquill")
        row = _row_of(paper_list(app), "Wombatquill")
        assert "…" in row and "A Long Title" not in row  # the start of the title gave way


async def test_the_widen_keys_change_the_lists_width(app: ReadingListApp) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        papers = paper_list(app)
        start = papers.outer_size.width
        await pilot.press("greater_than_sign")
        await pilot.pause()
        wider = papers.outer_size.width
        assert wider > start
        await pilot.press("greater_than_sign", "greater_than_sign", "greater_than_sign")
        await pilot.pause()
        assert papers.outer_size.width == 96  # 80%: the widest
        assert "The list is as wide as it goes" in notices(app)
        await pilot.press(*["less_than_sign"] * 5)
        await pilot.pause()
        assert papers.outer_size.width == 36  # 30%: the narrowest, the details have the rest
        # Narrow rows still show the year; the title is cut, never dropped.
        assert all(row.strip() for row in _rows(papers, 3))


def test_bylines_and_tag_labels() -> None:
    assert byline(()) == ""
    assert byline(("Patrick Lewis",)) == "Lewis"
    assert byline(("Patrick Lewis", "Qi Chen")) == "Lewis & Chen"
    assert byline(("Lewis, Patrick", "Chen, Qi", "Kiela, Douwe")) == "Lewis et al."
    assert tags_label(("rag", "retrieval", "nlp"), 12) == "#rag +2"
    assert tags_label(("retrieval-augmented",), 8) == "#retrie…"
    assert tags_label(("retrieval-augmented", "x"), 10) == "#retri… +1"


@pytest.mark.parametrize("width", range(20, 160, 7))
def test_the_title_keeps_60_percent_and_tags_go_before_the_author(width: int) -> None:
    cols = columns(width)
    text = width - 7
    assert cols.title >= min(0.6 * text, text - 6)
    assert not (cols.tags and not cols.author)  # tags never show without the author
    styles = {name: Style() for name in ("star", "mark", "match", "tags")}
    from readinglist.core.models import Paper, Status

    paper = Paper(
        1, RAG.title, "", RAG.authors, 2020, None, None, None, None, (), "", "2026-01-01T00:00:00Z",
        False, Status.UNREAD, None, RAG.tags, "", None,
    )  # fmt: skip
    row = "".join(s.text for s in row_segments(paper, "", [], width, Style(), styles))
    assert len(row) <= width and "2020" in row


async def _top_of_search(pilot: Pilot[int]) -> None:
    await settle(pilot)
    await search(pilot, "quokkaphrase")
    await pilot.press("enter")
    await pilot.pause()


def test_main_200x60(snap_compare: SnapCompare, app: ReadingListApp) -> None:
    """A wide screen: the list takes 60% and shows every column, the details keep 80 columns."""
    assert snap_compare(app, terminal_size=(200, 60), run_before=_top_of_search)


def test_main_80x24_columns(snap_compare: SnapCompare, app: ReadingListApp) -> None:
    """80x24: the list takes 60%; rows keep the title, the surname and the year."""
    assert snap_compare(app, terminal_size=(80, 24), run_before=_top_of_search)


@settings(max_examples=200, deadline=None)
@given(
    title=st.text(st.characters(codec="ascii", categories=("L", "N", "Zs")), min_size=1, max_size=120),
    at=st.integers(0, 119),
    length=st.integers(1, 12),
    width=st.integers(20, 200),
    authors=st.lists(st.sampled_from(["Patrick Lewis", "Chen, Qi", "X"]), max_size=4).map(tuple),
    tags=st.lists(st.sampled_from(["rag", "retrieval-augmented-generation", "x"]), max_size=3).map(tuple),
)
def test_a_row_fits_its_width_and_shows_its_first_match(
    title: str, at: int, length: int, width: int, authors: tuple[str, ...], tags: tuple[str, ...]
) -> None:
    from readinglist.core.models import Paper, Status

    paper = Paper(
        1, title, "", authors, 2020, None, None, None, None, (), "", "2026-01-01T00:00:00Z",
        False, Status.UNREAD, None, tags, "", None,
    )  # fmt: skip
    at = min(at, len(title) - 1)
    span = (at, min(len(title), at + length))
    styles = {name: Style() for name in ("star", "mark", "match", "tags")}
    segments = row_segments(paper, "", [span], width, Style(), styles)
    assert len("".join(s.text for s in segments)) <= width
    room = columns(width).title
    if span[1] - span[0] <= room - 8 and room > 8:
        # The matched text is on screen, highlighted, whole.
        assert "".join(s.text for s in segments if s.style is styles["match"]) == title[span[0] : span[1]]

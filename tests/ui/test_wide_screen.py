"""At 200x60 the panes use the width (#16): no row or pane leaves a wide blank where text was cut.

Read from what the terminal shows (the composed screen), as a user looking at it would.
"""

from __future__ import annotations

from pathlib import Path

from readinglist.core.models import PaperDraft
from readinglist.core.store import Library
from readinglist.ui.app import ReadingListApp
from readinglist.ui.widgets.detail_pane import DetailPane
from tests.helpers import add_paper

from .conftest import AppFactory, main_screen, paper_list, search, settle
from .screen_text import widget_lines

FULL = PaperDraft(
    title="Wombatvale Retrieval-Augmented Generation for Knowledge-Intensive NLP Tasks in Many Settings",
    authors=("Patrick Lewis", "Ethan Perez"),
    year=2020,
    tags=("rag", "retrieval"),
)
BARE = PaperDraft(
    title=(
        "Wombatvale: Sharing the Potential of Extensive Data Collection and Deduplication "
        "by Introducing a Competitive Large Language Model Baseline"
    )
)


def _blank_tail(line: str) -> int:
    return len(line) - len(line.rstrip())


async def _wide(make: AppFactory, db_path: Path) -> ReadingListApp:
    app = make()
    with Library(db_path) as library:
        for draft in (FULL, BARE):
            add_paper(library, draft)
    return app


async def test_at_200x60_the_list_rows_fill_their_width(make: AppFactory, db_path: Path) -> None:
    app = await _wide(make, db_path)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        papers = paper_list(app)
        assert papers.outer_size.width == 120  # 60% of the screen
        await search(pilot, "wombatvale")
        await pilot.press("enter")
        await settle(pilot)
        rows = {line.strip()[:20]: line for line in widget_lines(app, papers)[:2]}
        full, bare = rows["Wombatvale Retrieval"], rows["Wombatvale: Sharing "]
        # Every column: the title, the first author, the year and the tags, the tags at the right.
        assert "Lewis & Perez" in full and "2020" in full and "#rag +1" in full, full
        assert FULL.title[:60] in full
        # Without author, year or tags the title takes the whole row: cut at its end, not 20 cells early.
        assert bare.rstrip().endswith("…") and _blank_tail(bare) <= 2, bare
        assert len(bare.strip()) >= papers.scrollable_content_region.width - 10


async def test_at_200x60_every_visible_row_uses_the_width(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        papers = paper_list(app)
        lines = widget_lines(app, papers)
        cut = [line for line in lines if line.rstrip().endswith("…")]
        assert cut, "a title is cut on the first screen of the sample"
        assert all(_blank_tail(line) <= 2 for line in cut), [line for line in cut if _blank_tail(line) > 2]


async def test_at_200x60_the_details_wrap_to_their_width(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        details = main_screen(app).query_one(DetailPane)
        assert details.outer_size.width == 80
        lines = [line.rstrip() for line in widget_lines(app, details) if line.strip()]
        width = details.scrollable_content_region.width
        # The abstract wraps at the pane's edge: its longest lines come close to it.
        assert max(len(line) for line in lines) >= width - 4, lines
        wrapped = [line for line in lines if len(line) > width // 2]
        assert len(wrapped) >= 5  # the abstract spans the pane, not a narrow column

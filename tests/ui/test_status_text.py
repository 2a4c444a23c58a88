"""What the status line says (``ui.rows.status_text``), and when the count comes after the rows."""

from __future__ import annotations

from pathlib import Path

from readinglist.core.models import View
from readinglist.core.search.session import Rows, RowsRequest
from readinglist.ui.rows import status_text


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

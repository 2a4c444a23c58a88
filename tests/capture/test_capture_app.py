"""The add dialog, pending papers and the start-up refresh, through the real app (Pilot)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, TextArea

from readinglist.config import Settings
from readinglist.ui.app import ReadingListApp, make_app
from readinglist.ui.screens.add_dialog import AddDialog
from readinglist.ui.widgets.detail_pane import DetailPane
from readinglist.ui.widgets.paper_list import PaperList
from tests.capture.conftest import run
from tests.capture.fakeweb import FakeWeb, Misbehave
from tests.capture.helpers import rows, snapshot, tags_of


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "library.db"
    assert run(capsys, path, "add", "--title", "A paper already here")[0] == 0
    return path


def build(db: Path, *, paste: str = "", refresh_pending: bool = False) -> ReadingListApp:
    app = make_app(db, Settings(), system_copy=lambda text: True, refresh_pending=refresh_pending)
    app.system_paste = lambda: paste
    return app


def _screen_text(papers: PaperList) -> str:
    return "\n".join(papers.render_line(y).text for y in range(4))


def notices(app: ReadingListApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_the_dialog_takes_the_clipboard_adds_and_highlights_the_first_paper(
    web: FakeWeb, db: Path
) -> None:
    app = build(db, paste="2310.06825\nhttps://doi.org/10.1038/s41586-021-03819-2\n")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("A")
        await app.workers.wait_for_complete()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AddDialog)
        assert dialog.query_one("#add-refs", TextArea).text.splitlines()[0] == "2310.06825"
        dialog.query_one("#add-tags", Input).value = "llm, to-read"
        dialog.query_one("#add-queue", Checkbox).value = True
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, AddDialog)
        papers = app.screen.query_one(PaperList)
        assert papers.current_id == 2  # the first one stored, highlighted
        assert "AlphaFold" in " ".join(notices(app))  # the later one arrives as a notification
        assert not [n for n in notices(app) if "failed" in n]
    stored = rows(db)
    assert [r["title"] for r in stored][1:] == [
        "Mistral 7B",
        "Highly accurate protein structure prediction with AlphaFold",
    ]
    assert [r["queue_position"] for r in stored] == [None, 1, 2]
    assert tags_of(db, 2) == ["llm", "to-read"]


async def test_errors_are_notifications_and_change_nothing(web: FakeWeb, db: Path) -> None:
    before = snapshot(db)
    app = build(db, paste="just some words")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("A")
        await app.workers.wait_for_complete()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AddDialog)
        assert dialog.query_one("#add-refs", TextArea).text == ""  # not REF-like: not pasted
        dialog.query_one("#add-refs", TextArea).load_text("2399.99999\nnot a ref")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, AddDialog)  # nothing stored: it stays open
        assert "no arXiv paper 2399.99999" in notices(app)
        assert "not an arXiv id, DOI or URL: 'not a ref'" in notices(app)
    assert snapshot(db) == before


async def test_a_pasted_bibtex_entry_is_imported(web: FakeWeb, db: Path) -> None:
    app = build(
        db, paste="@article{k,\n  title={Sparse Mixtures},\n  author={Doe, Jane},\n  year={2022}\n}\n"
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("A")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.query_one(PaperList).current_id == 2
        assert rows(db)[1]["title"] == "Sparse Mixtures"
        await pilot.press("u")  # adding is undoable too
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert notices(app)[-1] == 'Undid: added "Sparse Mixtures"'
        assert [r["title"] for r in rows(db)] == ["A paper already here"]
    assert web.hits == []


async def test_a_pending_paper_shows_as_such_and_is_filled_in_at_start(
    web: FakeWeb, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    web.plan("/api/query", *[Misbehave("status", 503)] * 3)
    assert run(capsys, db, "add", "2310.06825", "--star")[0] == 0
    asked = len(web.hits)
    app = build(db)  # the start-up refresh is off unless asked for: no request
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        papers = app.screen.query_one(PaperList)
        papers.cursor = papers.ids.index(2)
        await pilot.pause(0.2)
        assert "arXiv:2310.06825  ⋯ pending" in _screen_text(papers)
        details = app.screen.query_one(DetailPane).query_one("#detail-body")
        assert "pending: not looked up yet" in str(details.render())
    assert len(web.hits) == asked
    app = build(db, refresh_pending=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Filled in 1 paper added offline." in notices(app)
        assert "Mistral 7B" in _screen_text(app.screen.query_one(PaperList))
    paper = rows(db)[1]
    assert (paper["title"], paper["pending"], paper["starred"]) == ("Mistral 7B", None, 1)


async def test_the_palette_offers_adding(web: FakeWeb, db: Path) -> None:
    app = build(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Add papers")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AddDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, AddDialog)

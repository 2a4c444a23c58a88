"""With marks, ``a``, ``D`` and ``Y`` act on every marked paper as one action (Pilot, on the library file).

``s``, ``t``, ``r``, ``y`` and ``x`` with marks are in ``test_undo_marks.py``.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Label

from readinglist.core.models import View
from readinglist.core.store import Library
from readinglist.ui.app import ReadingListApp
from readinglist.ui.screens.confirm_delete import ConfirmDelete
from readinglist.ui.screens.copy_menu import CopyMenu
from tests.ui.conftest import AppFactory, FakeClipboard, notices, paper_list, settle, status_line
from tests.ui.test_undo_marks import dump


async def mark_three(pilot: Pilot[int], app: ReadingListApp) -> list[int]:
    """Mark the 1st, 2nd and 4th papers of the list; their ids in list order."""
    await pilot.press("space", "space", "j", "space")
    await settle(pilot)
    ids = paper_list(app).ids
    marked = [ids[0], ids[1], ids[3]]
    assert paper_list(app).marks == set(marked)
    assert status_line(app).endswith(" · 3 marked")
    return marked


async def test_a_queues_every_marked_paper_in_list_order_then_takes_them_out(
    make: AppFactory, db_path: Path
) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = dump(db_path)
        marked = await mark_three(pilot, app)
        await pilot.press("a")
        await settle(pilot)
        with Library(db_path) as lib:
            assert lib.ids(View.QUEUE)[-3:] == marked
            assert lib.history()[0].description == "queued 3 papers"
        await pilot.press("a")  # all queued: takes them all out
        await settle(pilot)
        assert dump(db_path) == before
        await pilot.press("u")
        await settle(pilot)
        assert notices(app)[-1] == "Undid: took 3 papers out of the queue"
        with Library(db_path) as lib:
            assert lib.ids(View.QUEUE)[-3:] == marked


async def test_d_deletes_every_marked_paper_after_naming_the_count_and_u_brings_them_back(
    make: AppFactory, db_path: Path
) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = dump(db_path)
        total = app.library.count()
        marked = await mark_three(pilot, app)
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDelete)
        assert str(app.screen.query_one("#delete-question", Label).render()) == "Delete these 3 papers?"
        await pilot.press("y")
        await settle(pilot)
        assert notices(app)[-1] == "Deleted 3 papers."
        assert paper_list(app).marks == set() and "marked" not in status_line(app)
        with Library(db_path) as lib:
            assert lib.get_many(marked) == [] and lib.count() == total - 3
            assert lib.history()[0].description == "deleted 3 papers"
        await pilot.press("u")
        await settle(pilot)
        assert notices(app)[-1] == "Undid: deleted 3 papers"
        assert dump(db_path) == before


async def test_capital_y_copies_all_marked_bibtex_entries_joined(
    make: AppFactory, clipboard: FakeClipboard
) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        marked = await mark_three(pilot, app)
        await pilot.press("Y")
        await pilot.pause()
        assert isinstance(app.screen, CopyMenu)
        await pilot.press("b")
        await settle(pilot)
        copied = clipboard.copied[-1]
        keys = [p.key for p in app.library.get_many(marked)]
        # Every entry, in list order, one blank line between them.
        heads = [line for line in copied.splitlines() if line.startswith("@")]
        assert heads == [f"@misc{{{k}," for k in keys]
        assert copied.count("}\n\n@") == 2 and "\n\n\n" not in copied and copied.endswith("}\n")
        assert notices(app)[-1].startswith("Copied")
        await pilot.press("Y", "t")  # titles: one a line
        await settle(pilot)
        assert clipboard.copied[-1] == "\n".join(p.title for p in app.library.get_many(marked))


async def test_star_marks_the_whole_view_while_only_its_first_page_is_listed(make: AppFactory) -> None:
    from dataclasses import replace

    from readinglist.ui.screens.main import MainScreen

    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.rows is not None
        everything = app.library.ids()
        # What the list holds at 100k papers for the moment the rest of the view loads.
        head = replace(screen.rows, ids=everything[:3], view_count=3, partial=True)
        screen.show_rows(head, keep_cursor=False)
        await pilot.pause()
        assert paper_list(app).ids == everything[:3]
        await pilot.press("asterisk")
        await pilot.pause()
        assert paper_list(app).marks == set(everything)


async def test_marked_changes_to_a_library_that_refuses_writes_are_notifications(
    make: AppFactory, db_path: Path
) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = dump(db_path)
        await mark_three(pilot, app)
        # What a library file the app cannot write says (a read-only file or folder).
        app.library.read_only = f"{db_path}: the library is read-only (its file or folder cannot be written)"
        for key in ("s", "r", "a"):
            count = len(notices(app))
            await pilot.press(key)
            await settle(pilot)
            assert notices(app)[count:] == [app.library.read_only], key  # that alone: no "Added to the queue"
        assert app.is_running and paper_list(app).marks
    assert dump(db_path) == before

"""Feedback that is consistent (#16): one toast style, the status key, the queue keys' hint."""

from __future__ import annotations

from readinglist.core.models import Status
from readinglist.ui.toast import toast, toast_text

from .conftest import AppFactory, current_id, notices, search, settle


async def test_s_and_r_say_what_they_did_and_repeats_replace_each_other(
    make: AppFactory,
) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert notices(app) == ["Starred · u undo"]
        await pilot.press("s", "s", "s")
        await pilot.pause()
        assert notices(app) == ["Unstarred · u undo"]  # four presses, one toast: the last
        await pilot.press("r")
        await pilot.pause()
        assert notices(app) == ["Marked read · u undo"]
        await pilot.press("r")
        await pilot.pause()
        assert notices(app) == ["Marked unread · u undo"]
        await pilot.press("a")
        await pilot.pause()
        assert notices(app) == ["Added to the queue · u undo"]


async def test_a_toast_never_replaces_a_warning(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.notify("Something to read", severity="warning")
        toast(app, "Starred")
        toast(app, "Unstarred")
        await pilot.pause()
        assert sorted(notices(app)) == ["Something to read", "Unstarred"]


def test_toast_text_has_one_form_and_an_undo_suffix() -> None:
    assert toast_text("Marked read.") == "Marked read"
    assert toast_text("Marked read", undo=True) == "Marked read · u undo"


async def test_capital_r_cycles_unread_reading_read(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        paper_id = current_id(app)
        assert app.library.get(paper_id).status is Status.UNREAD
        seen = []
        for _ in range(3):
            await pilot.press("R")
            await pilot.pause()
            seen.append((app.library.get(paper_id).status, notices(app)[-1]))
        assert seen == [
            (Status.READING, "Marked reading · u undo"),
            (Status.READ, "Marked read · u undo"),
            (Status.UNREAD, "Marked unread · u undo"),
        ]


async def test_the_palette_sets_reading(make: AppFactory) -> None:
    from textual.command import CommandPalette

    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        paper_id = current_id(app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        from textual.widgets import Input

        palette.query_one(Input).value = "unread reading read"
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert app.library.get(paper_id).status is Status.READING


async def test_queue_keys_outside_the_queue_view_say_why(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for key in ("K", "J", "T"):
            await pilot.press(key)
            await pilot.pause()
            assert "press 2 for the queue view" in notices(app)[-1]
            assert notices(app)[-1].startswith(f"{key} reorders the reading queue")
        # Typed into the search box, the same letters are text, not a hint.
        count = len(notices(app))
        await search(pilot, "")
        await pilot.press("T")
        await pilot.pause()
        assert len(notices(app)) == count

"""A note changed elsewhere (another connection, the CLI, a second app) is never overwritten."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from readinglist.core.notes import CONFLICT_END, conflict_text, resolve
from readinglist.core.store import Library
from readinglist.ui.widgets.notes_editor import AUTOSAVE_DELAY_S, CHECK_ELSEWHERE_S

from .notes_support import cli, notes_app, notices, open_notes, seeded, stored_note

Writer = Callable[[Path, int, str], None]


def by_connection(db_path: Path, paper_id: int, text: str) -> None:
    with Library(db_path) as other:
        other.set_note(paper_id, text)


def by_cli(db_path: Path, paper_id: int, text: str) -> None:
    done = cli(db_path, "note", str(paper_id), "--set", text)
    assert done.returncode == 0, done.stderr


WRITERS = [pytest.param(by_connection, id="connection"), pytest.param(by_cli, id="cli")]


@pytest.mark.parametrize("write_elsewhere", WRITERS)
async def test_a_pane_without_unsaved_text_reloads_the_change(db_path: Path, write_elsewhere: Writer) -> None:
    app = notes_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        paper_id, notes = await open_notes(pilot)
        write_elsewhere(db_path, paper_id, "written elsewhere")
        await pilot.pause(CHECK_ELSEWHERE_S + 0.3)
        assert notes.text == "written elsewhere"
        assert notes.border_subtitle == "Markdown · saved"
        assert any("changed elsewhere" in n for n in notices(app))
        await pilot.press("end", "x")  # typing goes on from the new text
        await pilot.pause(AUTOSAVE_DELAY_S + 0.3)
    assert stored_note(db_path, paper_id) == "written elsewherex"


@pytest.mark.parametrize("write_elsewhere", WRITERS)
async def test_unsaved_text_and_the_change_elsewhere_are_both_kept(
    db_path: Path, write_elsewhere: Writer
) -> None:
    app = notes_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        paper_id, notes = await open_notes(pilot)
        notes.insert("typed in the app")
        write_elsewhere(db_path, paper_id, "written elsewhere")  # before the autosave
        await pilot.pause(AUTOSAVE_DELAY_S + 0.3)
        stored = stored_note(db_path, paper_id)
        assert stored.startswith("typed in the app\n\n<<<<<<< changed elsewhere at ")
        assert stored.endswith("\nwritten elsewhere\n" + CONFLICT_END + "\n")
        assert notes.text == stored  # the pane shows what the library holds
        assert notes.cursor_location == (0, len("typed in the app"))  # the block did not move it
        assert notes.border_subtitle == "Markdown · saved"
        assert any("Both texts are kept" in n for n in notices(app))
        await pilot.pause(CHECK_ELSEWHERE_S + 0.3)
        assert stored_note(db_path, paper_id) == stored  # settled: no save fights another


async def test_a_change_elsewhere_during_typing_is_kept(db_path: Path) -> None:
    """The other text arrives between two autosaves of steady typing."""
    app = notes_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        paper_id, notes = await open_notes(pilot)
        await pilot.press(*"first")
        await pilot.pause(AUTOSAVE_DELAY_S + 0.3)
        assert stored_note(db_path, paper_id) == "first"
        await pilot.press(*"second")
        by_connection(db_path, paper_id, "first, then the cli")
        await pilot.press(*"third")
        await pilot.pause(AUTOSAVE_DELAY_S + 0.3)
        assert notes.text == stored_note(db_path, paper_id)
    stored = stored_note(db_path, paper_id)
    assert stored.startswith("firstsecondthird\n\n<<<<<<< ")
    assert "\nfirst, then the cli\n" in stored


@pytest.mark.slow
async def test_two_apps_on_one_note_lose_nothing(tmp_path: Path) -> None:
    db_path = seeded(tmp_path / "shared.db")
    first, second = notes_app(db_path), notes_app(db_path)
    async with first.run_test(size=(120, 40)) as one, second.run_test(size=(120, 40)) as two:
        paper_id, notes_one = await open_notes(one)
        second_id, notes_two = await open_notes(two)
        assert second_id == paper_id
        # One app types and saves; the other, with nothing unsaved, follows.
        notes_one.insert("from the first app. ")
        await one.pause(AUTOSAVE_DELAY_S + CHECK_ELSEWHERE_S + 0.5)
        assert stored_note(db_path, paper_id) == "from the first app. "
        assert notes_one.text == notes_two.text == "from the first app. "
        # Both type before either saves: the second save keeps the first in a conflict block.
        notes_one.insert("more from the first.", notes_one.document.end)
        notes_two.insert("more from the second.", notes_two.document.end)
        await one.pause(AUTOSAVE_DELAY_S + CHECK_ELSEWHERE_S + 0.5)
        stored = stored_note(db_path, paper_id)
        assert "from the first app. more from the first." in stored
        assert "from the first app. more from the second." in stored
        assert "<<<<<<< changed elsewhere at " in stored
        assert notes_one.text == notes_two.text == stored


def test_the_write_is_a_compare_and_swap(db_path: Path) -> None:
    path = seeded(db_path)
    with Library(path) as app_side, Library(path) as cli_side:
        paper_id = app_side.ids()[0]
        assert app_side.set_note(paper_id, "v1", base="").written
        cli_side.set_note(paper_id, "v2 from the cli")
        saved = app_side.set_note(paper_id, "v1 and more", base="v1")
        assert saved.written and saved.elsewhere == "v2 from the cli"
        assert app_side.note(paper_id) == saved.text
        assert saved.text.startswith("v1 and more\n\n<<<<<<< changed elsewhere at ")
        # A writer that changed nothing of what it read leaves the newer text alone.
        kept = app_side.set_note(paper_id, "v1", base="v1")
        assert not kept.written and kept.text == saved.text
        # Without a base (note --set) the text replaces the note.
        assert cli_side.set_note(paper_id, "replaced").text == "replaced"


@pytest.mark.parametrize(
    ("stored", "text", "base", "expected"),
    [
        ("a", "ab", "a", ("ab", None)),  # nothing changed elsewhere
        ("ab", "ab", "a", ("ab", None)),  # the same change made twice
        ("b", "a", "a", ("b", None)),  # this writer changed nothing
        ("", "mine", "theirs", ("mine", "")),  # emptied elsewhere: nothing of it to keep
        ("x", "y", None, ("y", None)),  # unconditional
    ],
)
def test_resolve(stored: str, text: str, base: str | None, expected: tuple[str, str | None]) -> None:
    assert resolve(stored, text, base, "T") == expected


def test_conflict_block() -> None:
    assert conflict_text("mine", "theirs", "T") == (
        "mine\n\n<<<<<<< changed elsewhere at T\ntheirs\n>>>>>>> end of the text changed elsewhere\n"
    )
    assert conflict_text("", "theirs\n", "T").startswith("<<<<<<< ")

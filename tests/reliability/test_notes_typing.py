"""Steady typing into the real app is saved while it goes on, and the pane says so."""

from __future__ import annotations

import time
from pathlib import Path

from readinglist.core.notes import NoteWrite
from readinglist.core.store import Library
from readinglist.ui.widgets.notes_editor import AUTOSAVE_DELAY_S

from .notes_support import notes_app, open_notes, stored_note

TYPED = "steadytypingneverpauses" * 4
SLACK_S = 0.6
"""What a busy CI machine may add to the autosave delay (timers, the write, the reader)."""


async def test_steady_typing_is_stored_at_most_a_second_behind(db_path: Path) -> None:
    app = notes_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        paper_id, notes = await open_notes(pilot)
        typed_at: list[float] = []
        lengths_seen: set[int] = set()
        start = time.monotonic()
        while time.monotonic() - start < 3.0:
            # About ten keys a second (a press costs most of that): never a pause of a second.
            await pilot.press(TYPED[len(typed_at)])
            typed_at.append(time.monotonic())
            stored = stored_note(db_path, paper_id)
            typed = TYPED[: len(typed_at)]
            assert typed.startswith(stored), (stored, typed)
            lengths_seen.add(len(stored))
            # Every key typed more than the autosave delay ago is in the file.
            old = [i for i, at in enumerate(typed_at) if time.monotonic() - at > AUTOSAVE_DELAY_S + SLACK_S]
            if old:
                assert len(stored) > old[-1], (len(stored), len(old), typed)
        assert max(typed_at[i + 1] - typed_at[i] for i in range(len(typed_at) - 1)) < AUTOSAVE_DELAY_S
        assert notes.text == TYPED[: len(typed_at)]
    # Saved while the typing went on (every second or so), not only at the end.
    assert len(lengths_seen - {0}) >= 2, lengths_seen


async def test_the_pane_says_unsaved_saving_and_saved(db_path: Path) -> None:
    app = notes_app(db_path)
    during_write: list[str] = []
    real_set_note = app.library.set_note

    def watched_set_note(paper_id: int, text: str, *, base: str | None = None) -> NoteWrite:
        # What the pane's border said while the note was being written.
        during_write.append(str(app.screen.query_one("#notes").border_subtitle))
        return real_set_note(paper_id, text, base=base)

    app.library.set_note = watched_set_note  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        paper_id, notes = await open_notes(pilot)
        assert notes.border_subtitle == "Markdown · saved"
        await pilot.press("h", "i")
        assert notes.border_subtitle == "Markdown · unsaved"
        assert stored_note(db_path, paper_id) == ""
        await pilot.pause(AUTOSAVE_DELAY_S + 0.3)
        assert during_write == ["Markdown · saving…"]
        assert notes.border_subtitle == "Markdown · saved"
        assert stored_note(db_path, paper_id) == "hi"
        # Leaving the pane with nothing unsaved writes nothing.
        await pilot.press("escape")
        assert during_write == ["Markdown · saving…"]
        assert notes.border_subtitle == "Markdown · saved"


async def test_no_autosave_write_when_the_text_comes_back_to_the_stored_one(db_path: Path) -> None:
    app = notes_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        paper_id, notes = await open_notes(pilot)
        with Library(db_path) as other:
            version = other.data_version()
            await pilot.press("x", "backspace")
            assert notes.border_subtitle == "Markdown · saved"
            await pilot.pause(AUTOSAVE_DELAY_S + 0.3)
            assert other.data_version() == version  # nothing was committed
        assert stored_note(db_path, paper_id) == ""

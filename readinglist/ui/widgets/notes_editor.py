"""The Markdown note of the highlighted paper, saved as the user types.

Saved about a second after the last keystroke, on leaving the pane, on
switching paper and on quit: a killed app loses at most the last second.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import events
from textual.app import SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widgets import TextArea

from readinglist.core.errors import ReadingListError

AUTOSAVE_DELAY_S = 1.0

Save = Callable[[int, str], bool]
"""Writes a note and returns whether it was stored (False: the failure was reported)."""


class NotesEditor(TextArea):
    """A TextArea bound to one paper at a time, which autosaves its note."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "leave", "Leave notes", id="leave-notes", tooltip="Notes: save and go back to the list"
        ),
    ]

    def __init__(self, save: Save, *, id: str | None = None) -> None:
        """Build an empty editor.

        Args:
            save: Stores a note for a paper id.
            id: The widget id.
        """
        super().__init__("", id=id, soft_wrap=True, tab_behavior="focus", show_line_numbers=False)
        # Markdown highlighting needs Textual's optional tree-sitter extras; plain text without them.
        if "markdown" in self.available_languages:
            self.language = "markdown"
        self._save = save
        self.paper_id: int | None = None
        self._saved_text = ""
        self._timer: Timer | None = None

    @property
    def dirty(self) -> bool:
        """Whether the text differs from what was last stored."""
        return self.paper_id is not None and self.text != self._saved_text

    def load_note(self, paper_id: int | None, text: str) -> None:
        """Save the current note if needed, then show ``paper_id``'s note."""
        self.flush()
        self.paper_id = paper_id
        self._saved_text = text
        self.read_only = paper_id is None
        self.load_text(text)

    def flush(self) -> bool:
        """Store the note now if it changed; return False if the write failed."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not self.dirty or self.paper_id is None:
            return True
        text = self.text
        if self._save(self.paper_id, text):
            self._saved_text = text
            return True
        return False

    def edit_externally(self, paper_id: int, text: str) -> None:
        """Edit ``text`` (the stored note) in ``$EDITOR`` with the app suspended, then store it.

        Where the terminal cannot be handed over (tests, the web), the note is
        edited here instead.
        """
        from readinglist.editor import edit_text

        try:
            with self.app.suspend():
                text = edit_text(text, suffix=f"-{paper_id}.md")
        except SuspendNotSupported:
            self.focus()
            self.notify("This terminal cannot hand over to $EDITOR: edit the note here.", severity="warning")
            return
        except ReadingListError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if self._save(paper_id, text):
            self.paper_id = None  # what is shown is stale: load without saving it back
            self.load_note(paper_id, text)
            self.notify("Note saved.")

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        """Restart the autosave countdown after each edit."""
        if not self.dirty:
            return
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(AUTOSAVE_DELAY_S, self.flush)

    def on_blur(self, event: events.Blur) -> None:
        """Save on leaving the pane."""
        self.flush()

    def action_leave(self) -> None:
        """Save and give the focus back to the paper list."""
        self.flush()
        self.screen.query_one("#papers").focus()

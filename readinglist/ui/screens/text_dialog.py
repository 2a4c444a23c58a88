"""A dialog showing text the user can select and copy by hand."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from readinglist.core.safe_text import pictured


class TextDialog(ModalScreen[None]):
    """Shows ``text`` read-only and selected, for when no clipboard is known to work."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="text-dialog-close", tooltip="Text dialog: close"),
    ]

    def __init__(self, title: str, text: str) -> None:
        """Show ``text`` under the heading ``title``."""
        super().__init__()
        self._title = title
        self._text = text

    def compose(self) -> ComposeResult:
        """A heading, the text and a hint."""
        with Vertical(id="text-box", classes="dialog"):
            yield Label(self._title, classes="dialog-title", markup=False)
            # What the terminal shows is what a selection copies: a control character in
            # the text (a title from an imported file) is shown as a picture, not obeyed.
            shown = pictured(self._text, multiline=True)
            yield TextArea(shown, read_only=True, soft_wrap=True, id="text-body")
            yield Label("Select with the mouse or shift+arrows · esc closes", classes="hint")

    def on_mount(self) -> None:
        """Select everything, so a terminal copy shortcut takes it all."""
        area = self.query_one(TextArea)
        area.focus()
        area.select_all()

    def action_close(self) -> None:
        """Close the dialog."""
        self.dismiss(None)

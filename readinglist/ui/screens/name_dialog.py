"""The dialog that names the current search as a saved view (``ctrl+s``)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from readinglist.core.safe_text import pictured


class NameDialog(ModalScreen[str | None]):
    """Ask for a saved view's name; dismisses with it, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "cancel", "Cancel", id="name-cancel", tooltip="Save view dialog: close without saving"
        ),
    ]

    def __init__(self, what: str) -> None:
        """Build the dialog; ``what`` says what is saved (the view, tag and search)."""
        super().__init__()
        self._what = what

    def compose(self) -> ComposeResult:
        """A heading, what is saved, the name and a hint."""
        with Vertical(id="name-box", classes="dialog"):
            yield Label("Save as a view", classes="dialog-title")
            yield Label(pictured(self._what), id="name-what", markup=False)
            yield Input(placeholder="a name, e.g. rag to read", id="name-input")
            yield Label("enter saves · esc cancels · keys 6-9 open the first four", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Return the name typed."""
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)

"""A one-line question for a tag name (rename to, merge into): enter answers, esc cancels."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from readinglist.ui.screens.tag_dialog import TagSuggester


class TagNameDialog(ModalScreen[str | None]):
    """Asks for a tag name; dismisses with it, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="tag-name-cancel", tooltip="Tag name dialog: cancel"),
    ]

    def __init__(self, question: str, value: str, known: Sequence[str]) -> None:
        """Ask ``question``, starting from ``value``; ``known`` tags complete what is typed."""
        super().__init__()
        self.question = question
        self.value = value
        self.known = list(known)

    def compose(self) -> ComposeResult:
        """The question, an input and a hint."""
        with Vertical(id="tag-name-box", classes="dialog"):
            # Tag names come from imported files: never read as markup.
            yield Label(self.question, classes="dialog-title", markup=False)
            yield Input(self.value, suggester=TagSuggester(self.known), id="tag-name-input")
            yield Label("enter answers · esc cancels", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Answer with what was typed."""
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        """Close without an answer."""
        self.dismiss(None)

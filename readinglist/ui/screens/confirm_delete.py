"""The question before papers are deleted: it names the paper (or the count); y deletes, n or esc keeps."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from readinglist.core.safe_text import pictured


class ConfirmDelete(ModalScreen[bool]):
    """Asks whether to delete the papers named; dismisses with True only for yes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Delete", id="delete-yes", tooltip="Delete dialog: delete"),
        Binding("n", "answer(False)", "Keep", id="delete-no", tooltip="Delete dialog: keep the papers"),
        Binding(
            "escape", "answer(False)", "Keep", id="delete-cancel", tooltip="Delete dialog: keep and close"
        ),
    ]

    def __init__(self, titles: list[str], detail: str = "Its tags, queue place and note go with it.") -> None:
        """Ask about the papers titled ``titles`` (or other things: a tag), saying what goes with them."""
        super().__init__()
        self.titles = titles
        self.detail = detail

    def compose(self) -> ComposeResult:
        """The question, what goes with the papers, and the keys that answer it."""
        if len(self.titles) == 1:
            question = f"Delete “{pictured(self.titles[0])}”?"
        else:
            question = f"Delete these {len(self.titles)} papers?"
        with Vertical(id="delete-box", classes="dialog"):
            # Paper titles are imported text: never read as markup.
            yield Label(question, id="delete-question", classes="dialog-title", markup=False)
            yield Label(self.detail, classes="hint")
            yield Label("y deletes · n or esc keeps", classes="hint")

    def action_answer(self, delete: bool) -> None:
        """Close with the answer."""
        self.dismiss(delete)

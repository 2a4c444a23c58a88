"""A small question before a file is replaced: y replaces it, n or esc keeps it."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label


class ConfirmReplace(ModalScreen[bool]):
    """Asks whether to replace the existing file ``path``; dismisses with True only for yes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Replace", id="replace-yes", tooltip="Replace dialog: replace the file"),
        Binding("n", "answer(False)", "Keep", id="replace-no", tooltip="Replace dialog: keep the file"),
        Binding(
            "escape",
            "answer(False)",
            "Keep",
            id="replace-cancel",
            tooltip="Replace dialog: keep the file and close",
        ),
    ]

    def __init__(self, path: Path, what: str = "") -> None:
        """Ask about ``path``; ``what`` says what would replace it (``with a json export``)."""
        super().__init__()
        self.path = path
        self.what = what

    def compose(self) -> ComposeResult:
        """The question and the keys that answer it."""
        with Vertical(id="replace-box", classes="dialog"):
            yield Label(
                f"Replace the existing file{' ' + self.what if self.what else ''}?", classes="dialog-title"
            )
            yield Label(str(self.path), id="replace-path")
            yield Label("y replaces it · n or esc keeps it", classes="hint")

    def action_answer(self, replace: bool) -> None:
        """Close with the answer."""
        self.dismiss(replace)

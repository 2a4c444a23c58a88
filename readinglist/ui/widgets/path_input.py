"""A file-name input whose ``tab`` completes the last path typed, as a shell does."""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input

MAX_LISTED = 6
"""Candidates named in the hint when a completion is ambiguous."""


def complete_path(text: str) -> tuple[str, list[str]]:
    """Complete the last word of ``text`` against the file system.

    Returns:
        The text with the last word completed as far as it is unambiguous (a
        folder gains a ``/``), and the names that still match when more than
        one does (empty when the completion is unique or nothing matches).
    """
    head, _, word = text.rpartition(" ")
    prefix = head + " " if _ else ""
    folder_part, _, stem = word.rpartition("/")
    folder_text = folder_part + "/" if _ else ""
    folder = Path(os.path.expanduser(folder_text or "."))
    try:
        names = sorted(
            entry.name + ("/" if entry.is_dir() else "")
            for entry in os.scandir(folder)
            if entry.name.startswith(stem) and (stem.startswith(".") or not entry.name.startswith("."))
        )
    except OSError:
        return text, []
    if not names:
        return text, []
    common = os.path.commonprefix(names)  # noqa: RUF071 - the common start of names, not a path
    completed = prefix + folder_text + common
    return completed, ([] if len(names) == 1 else names)


class PathInput(Input):
    """An Input for file names: ``tab`` completes; with nothing to complete it moves on."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "complete", "Complete", id="path-complete", tooltip="File name: complete the path"),
    ]

    def action_complete(self) -> None:
        """Complete the last path; list the candidates when ambiguous; else focus the next field."""
        completed, candidates = complete_path(self.value)
        if completed != self.value:
            self.value = completed
            self.cursor_position = len(completed)
        elif not candidates:
            self.screen.focus_next()
            return
        if candidates:
            shown = "  ".join(candidates[:MAX_LISTED]) + ("  …" if len(candidates) > MAX_LISTED else "")
            self.post_message(self.Candidates(shown))

    class Candidates(Message):
        """Several files match the word being completed."""

        def __init__(self, names: str) -> None:
            """``names``: the matching names, for a hint line."""
            super().__init__()
            self.names = names

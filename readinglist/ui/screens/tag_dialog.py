"""The tag dialog: shows a paper's tags and takes comma-separated changes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label

from readinglist.core.safe_text import pictured

TagChanges = tuple[list[str], list[str]]
"""Tags to add and tags to remove."""


def parse_tag_changes(text: str) -> TagChanges:
    """Split ``"a, b, -c"`` into tags to add (``a``, ``b``) and to remove (``c``)."""
    add: list[str] = []
    remove: list[str] = []
    for part in text.split(","):
        name = part.strip()
        if name.startswith("-"):
            if name[1:].strip():
                remove.append(name[1:].strip())
        elif name:
            add.append(name)
    return add, remove


class TagSuggester(Suggester):
    """Completes the last comma-separated part from the library's tags."""

    def __init__(self, tags: Sequence[str]) -> None:
        """Complete from ``tags`` (most used first)."""
        super().__init__(use_cache=False, case_sensitive=True)
        self._tags = list(tags)

    async def get_suggestion(self, value: str) -> str | None:
        """The input with its last part completed, or None."""
        head, _, last = value.rpartition(",")
        stripped = last.lstrip()
        sign = "-" if stripped.startswith("-") else ""
        word = stripped[len(sign) :].lstrip("#")
        if not word:
            return None
        for tag in self._tags:
            if tag.casefold().startswith(word.casefold()) and tag.casefold() != word.casefold():
                lead = last[: len(last) - len(stripped)]
                prefix = f"{head}," if head or value.startswith(",") else ""
                return f"{prefix}{lead}{sign}{tag}"
        return None


class TagDialog(ModalScreen[TagChanges | None]):
    """Edit the tags of one paper.

    Dismisses with the tags to add and to remove, or None when cancelled.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "cancel", "Cancel", id="dialog-cancel", tooltip="Tag dialog: close without changes"
        ),
        Binding("tab", "complete", "Complete", id="tag-complete", tooltip="Tag dialog: complete the tag"),
    ]

    def __init__(self, title: str, current: Sequence[str], known: Sequence[str]) -> None:
        """Build the dialog for a paper titled ``title`` with tags ``current``."""
        super().__init__()
        self._title = title
        self._current = list(current)
        self._known = list(known)

    def compose(self) -> ComposeResult:
        """A heading, the current tags, an input and a hint."""
        with Vertical(id="tag-box", classes="dialog"):
            title = pictured(self._title)
            yield Label(f"Tags of “{title}”", id="tag-heading", classes="dialog-title", markup=False)
            now = " ".join(f"#{t}" for t in self._current) or "(no tags yet)"
            yield Label(pictured(now), id="tag-current", markup=False)
            yield Input(
                placeholder="new, tags, -removed",
                suggester=TagSuggester(self._known),
                id="tag-input",
            )
            yield Label(
                "a, b adds · -name removes · tab completes · enter saves · esc cancels", classes="hint"
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Return the parsed changes."""
        event.stop()
        self.dismiss(parse_tag_changes(event.value))

    def action_complete(self) -> None:
        """Take the suggested completion of the tag being typed (as → at the end of the input does)."""
        field = self.query_one(Input)
        field.cursor_position = len(field.value)
        field.action_cursor_right()

    def action_cancel(self) -> None:
        """Close without changes."""
        self.dismiss(None)

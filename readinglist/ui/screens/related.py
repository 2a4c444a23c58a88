"""A list of papers found by meaning (Related to one paper, or Suggested): enter jumps, esc leaves."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from readinglist.core.models import Paper
from readinglist.core.safe_text import visible


class RelatedScreen(Screen[int | None]):
    """Papers found by meaning; dismissed with the chosen paper's id (or None on esc).

    Args:
        title: What the list is (``Related to "…"``, ``Suggested``).
        papers: The papers, best first.
        empty: What to say when there are none.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Back", id="related-back", tooltip="Leave the Related/Suggested view"),
    ]

    def __init__(self, title: str, papers: list[Paper], empty: str) -> None:
        """Show ``papers`` under ``title``."""
        super().__init__()
        self.heading = title
        self.papers = papers
        self.empty = empty

    def compose(self) -> ComposeResult:
        """A heading, the list and the footer; styles in ``styles/main.tcss``."""
        with Vertical(id="related-view"):
            yield Static(self.heading, id="related-title", markup=False)
            # Titles come from imported files: plain text, never markup.
            options = [Option(visible(p.title), id=str(p.id)) for p in self.papers]
            yield OptionList(*options, id="related-list", markup=False)
            if not self.papers:
                yield Static(self.empty, id="related-empty", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Focus the list."""
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#related-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0) or None)

    def action_leave(self) -> None:
        """Back to the list."""
        self.dismiss(None)

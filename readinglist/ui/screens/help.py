"""The help screen, generated from the bindings so it can never drift from them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from readinglist.ui.keys import KeyRow, display_keys

_WHERE = {
    "ReadingListApp": "anywhere",
    "MainScreen": "main screen",
    "PaperList": "paper list",
    "NotesEditor": "notes",
    "TagDialog": "tag dialog",
    "CopyMenu": "copy menu",
    "TextDialog": "text dialog",
    "HelpScreen": "help",
    "ImportDialog": "import dialog",
    "ExportDialog": "export dialog",
    "RelatedScreen": "related view",
}


def help_table(rows: Sequence[KeyRow]) -> Table:
    """A three-column table: key, what it does, where it works."""
    table = Table(box=None, expand=True, show_edge=False, pad_edge=False)
    table.add_column("key", style="bold", no_wrap=True)
    table.add_column("action")
    table.add_column("where", style="dim", no_wrap=True)
    for row in rows:
        # Text, not str: descriptions such as "[title](url)" are not Rich markup.
        where = _WHERE.get(row.where, row.where)
        table.add_row(Text(display_keys(row.keys)), Text(row.description), Text(where))
    return table


class HelpScreen(ModalScreen[None]):
    """Every key, as bound right now (the user's keymap applied)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close help", id="help-close", tooltip="Help: close"),
    ]

    def __init__(self, rows: Sequence[KeyRow]) -> None:
        """Show ``rows``."""
        super().__init__()
        self._rows = list(rows)

    def compose(self) -> ComposeResult:
        """A title and the scrollable table."""
        with Vertical(id="help-box", classes="dialog"):
            yield Label("Keys  (ctrl+p finds every action by name)", classes="dialog-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(help_table(self._rows), id="help-table")
            yield Label("esc closes", classes="hint")

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)

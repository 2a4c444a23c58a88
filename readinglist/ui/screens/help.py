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
    "ConfirmReplace": "replace dialog",
    "RelatedScreen": "related view",
}


SEARCH_SYNTAX: tuple[tuple[str, str], ...] = (
    ("retrieval augmented", "both words, in any of their forms (models finds model)"),
    ("chinchil", "the last word is a prefix while you type"),
    ("retreival", "typos: one edit from 5 letters, two from 9"),
    ('"chain of thought"', "the exact phrase"),
    ("-survey  !survey", "leave out papers with the word"),
    ("diffusion | gan", "either word"),
    ("title:  abstract:  author:  notes:", "one field only: author:hoffmann"),
    ("tag:survey  #survey", "papers with that tag"),
    ("is:starred  is:queued  is:reading  is:read  is:unread", "by star or reading status"),
    ("has:notes  has:code  has:link", "with a note, a code link, any link"),
    ("year:>=2022  year:2020..2023", "by publication year"),
    ("added:<7d  added:>=2024-05-01", "by when you added it (d, w, m, y)"),
    ("sort:added  sort:title  sort:year", "the order (relevance by default)"),
)
"""The short search syntax the help shows: what you type, what it finds (in full: docs/search.md)."""


def search_table() -> Table:
    """A two-column table of :data:`SEARCH_SYNTAX`."""
    table = Table(box=None, expand=True, show_edge=False, pad_edge=False)
    table.add_column("you type", style="bold")
    table.add_column("it finds")
    for example, meaning in SEARCH_SYNTAX:
        # Text, not str: "[", "#" and quotes in examples are not Rich markup.
        table.add_row(Text(example), Text(meaning))
    return table


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
    """Every key, as bound right now (the user's keymap applied), and the short search syntax."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close help", id="help-close", tooltip="Help: close"),
    ]

    def __init__(self, rows: Sequence[KeyRow]) -> None:
        """Show ``rows``."""
        super().__init__()
        self._rows = list(rows)

    def compose(self) -> ComposeResult:
        """A title, then the keys and the search syntax in one scrollable column."""
        with Vertical(id="help-box", classes="dialog"):
            yield Label(
                "Keys  (ctrl+p finds every action by name; search syntax below)", classes="dialog-title"
            )
            with VerticalScroll(id="help-scroll"):
                yield Static(help_table(self._rows), id="help-table")
                yield Label(
                    "Search  (every word must match; in full: docs/search.md)", classes="help-heading"
                )
                yield Static(search_table(), id="help-search")
            yield Label("esc closes", classes="hint")

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)

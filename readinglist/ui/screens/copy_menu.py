"""The copy menu (``Y``): pick what to copy about the highlighted paper."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from readinglist.core.models import Paper

CHOICES: dict[str, str] = {
    "link": "Link",
    "markdown": "Markdown link [title](url)",
    "title": "Title",
    "code": "Code link",
    "bibtex": "BibTeX entry",
}
"""Choice id -> label, in menu order."""


def choice_text(choice: str, paper: Paper) -> tuple[str, str] | None:
    """The text a menu choice copies and what to call it, or None if the paper has none."""
    # Imported when a choice is made: the BibTeX writer (bibtexparser, pylatexenc) is
    # a tenth of a second of the app's start-up otherwise (the app loads this module
    # at start-up for its key bindings).
    from readinglist.core import cite

    if choice == "link":
        return paper.primary_link, "link"
    if choice == "markdown":
        return cite.markdown_link(paper), "Markdown link"
    if choice == "title":
        return paper.title, "title"
    if choice == "code":
        code = cite.code_link(paper)
        return (code, "code link") if code else None
    if choice == "bibtex":
        return cite.bibtex_entry(paper), "BibTeX entry"
    return None


class CopyMenu(ModalScreen[str | None]):
    """A small menu of things to copy; dismisses with a choice id or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l", "pick('link')", "Copy link", id="copy-menu-link", tooltip="Copy menu: the link"),
        Binding(
            "m",
            "pick('markdown')",
            "Copy Markdown link",
            id="copy-menu-markdown",
            tooltip="Copy menu: a Markdown link [title](url)",
        ),
        Binding("t", "pick('title')", "Copy title", id="copy-menu-title", tooltip="Copy menu: the title"),
        Binding(
            "c", "pick('code')", "Copy code link", id="copy-menu-code", tooltip="Copy menu: the code link"
        ),
        Binding(
            "b",
            "pick('bibtex')",
            "Copy BibTeX entry",
            id="copy-menu-bibtex",
            tooltip="Copy menu: a BibTeX entry",
        ),
        Binding("escape", "pick('')", "Cancel", id="copy-menu-cancel", tooltip="Copy menu: close"),
    ]

    def __init__(self, has_code_link: bool) -> None:
        """Build the menu; the code-link entry is left out when there is none."""
        super().__init__()
        self._has_code_link = has_code_link

    def compose(self) -> ComposeResult:
        """A title and the options, each with its key."""
        keys = {"link": "l", "markdown": "m", "title": "t", "code": "c", "bibtex": "b"}
        # Only what the paper has: no "Code link" entry without a code link.
        options = [
            # Escaped: "[title](url)" would otherwise be read as markup and vanish.
            Option(escape(f"{keys[cid]}  {label}"), id=cid)
            for cid, label in CHOICES.items()
            if cid != "code" or self._has_code_link
        ]
        with Vertical(id="copy-box", classes="dialog"):
            yield Label("Copy…", classes="dialog-title")
            yield OptionList(*options, id="copy-options")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on an option picks it."""
        event.stop()
        self.dismiss(event.option.id)

    def action_pick(self, choice: str) -> None:
        """Pick ``choice`` ('' cancels)."""
        if choice == "code" and not self._has_code_link:
            self.notify("This paper has no code link.", severity="warning")
            return
        self.dismiss(choice or None)

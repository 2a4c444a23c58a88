"""The tag manager (``#``): every tag with its count as a tree, filtered as you type; rename, merge, delete.

Enter shows the highlighted tag's papers (a tag's view includes the tags
under it). Changes go through :mod:`readinglist.core.tag_admin`, one
transaction each; a failure is a notification and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from readinglist.core import tag_admin
from readinglist.core.errors import ReadingListError
from readinglist.core.safe_text import pictured
from readinglist.core.store import Library
from readinglist.core.wording import count_of


class TagManager(ModalScreen[str | None]):
    """Lists tags with counts; dismisses with the tag whose papers to show, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="tag-manager-close", tooltip="Tag manager: close"),
        Binding(
            "down", "to_list", "List", id="tag-manager-list", tooltip="Tag manager: from the filter down"
        ),
        Binding("r", "rename", "Rename", id="tag-manager-rename", tooltip="Tag manager: rename the tag"),
        Binding("m", "merge", "Merge", id="tag-manager-merge", tooltip="Tag manager: merge into another tag"),
        Binding("d", "delete", "Delete", id="tag-manager-delete", tooltip="Tag manager: delete the tag"),
    ]

    def __init__(self, library: Library) -> None:
        """Manage the tags of ``library``."""
        super().__init__()
        self.library = library
        self.nodes: list[tag_admin.TagNode] = []
        self.changed = False
        """Whether a tag was renamed, merged or deleted (the main list must reload)."""

    def compose(self) -> ComposeResult:
        """A filter, the list and a hint."""
        with Vertical(id="tag-manager-box", classes="dialog"):
            yield Label("Tags", classes="dialog-title")
            yield Input(placeholder="filter tags", id="tag-manager-filter")
            yield OptionList(id="tag-manager-list")
            yield Label(
                "type to filter · ↓ list · enter: its papers · r rename · m merge · d delete",
                classes="hint",
            )

    def on_mount(self) -> None:
        """Read the tags and focus the filter."""
        self.load()
        self.query_one(Input).focus()

    def load(self) -> None:
        """Read the tags again and show those the filter keeps."""
        try:
            self.nodes = tag_admin.tree(self.library.all_tags())
        except ReadingListError as exc:
            self.notify(str(exc), severity="error", markup=False)
            self.nodes = []
        self.show(self.query_one(Input).value)

    def show(self, text: str) -> None:
        """Fill the list: the tree, or with a filter every tag whose name holds it (full names)."""
        wanted = text.strip().lstrip("#").casefold()
        options = []
        for node in self.nodes:
            if wanted and wanted not in node.name.casefold():
                continue
            leaf = node.name if wanted else "  " * node.depth + node.name.rpartition("/")[2]
            # Tag names are imported text: shown as plain text, never markup.
            options.append(Option(Text(f"{pictured(leaf)}  ({node.papers})"), id=node.name))
        listing = self.query_one(OptionList)
        listing.set_options(options)
        if options:
            listing.highlighted = 0

    @on(Input.Changed, "#tag-manager-filter")
    def _filter(self, event: Input.Changed) -> None:
        self.show(event.value)

    @on(Input.Submitted, "#tag-manager-filter")
    def _submitted(self) -> None:
        if (name := self.highlighted()) is not None:
            self.dismiss(name)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def highlighted(self) -> str | None:
        """The highlighted tag's full name."""
        listing = self.query_one(OptionList)
        if listing.highlighted is None:
            return None
        return listing.get_option_at_index(listing.highlighted).id

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """r, m and d act on the list; in the filter they are letters."""
        if action in ("rename", "merge", "delete", "to_list"):
            on_filter = isinstance(self.focused, Input)
            return on_filter if action == "to_list" else not on_filter
        return True

    def action_to_list(self) -> None:
        """Move from the filter to the list."""
        self.query_one(OptionList).focus()

    def action_close(self) -> None:
        """Close without showing a tag."""
        self.dismiss(None)

    def _run(self, action: str, call: Callable[[], int]) -> None:
        try:
            count = call()
        except ReadingListError as exc:
            self.notify(str(exc), title="Not changed", severity="error", markup=False)
            return
        self.changed = True
        self.notify(f"{action} ({count_of(count)}).", markup=False)
        self.load()

    def action_rename(self) -> None:
        """Rename the highlighted tag (and the tags under it)."""
        from readinglist.ui.screens.tag_name_dialog import TagNameDialog

        if (name := self.highlighted()) is None:
            return

        def answered(new: str | None) -> None:
            if new and new != name:
                self._run(f"Renamed #{name} to #{new}", lambda: tag_admin.rename(self.library, name, new))

        self.app.push_screen(TagNameDialog(f"Rename #{name} to:", name, self._known()), answered)

    def action_merge(self) -> None:
        """Merge the highlighted tag into another."""
        from readinglist.ui.screens.tag_name_dialog import TagNameDialog

        if (name := self.highlighted()) is None:
            return

        def answered(into: str | None) -> None:
            if into and into != name:
                self._run(f"Merged #{name} into #{into}", lambda: tag_admin.merge(self.library, [name], into))

        self.app.push_screen(TagNameDialog(f"Merge #{name} into:", "", self._known()), answered)

    def action_delete(self) -> None:
        """Delete the highlighted tag, after asking."""
        from readinglist.ui.screens.confirm_delete import ConfirmDelete

        if (name := self.highlighted()) is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._run(f"Deleted #{name}", lambda: tag_admin.delete(self.library, name))

        self.app.push_screen(ConfirmDelete([f"#{name}"], "Papers keep their other tags."), answered)

    def _known(self) -> list[str]:
        return [n.name for n in self.nodes if n.papers]

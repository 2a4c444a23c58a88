"""The search bar: an Input that announces each new query at once."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widgets import Input


class SearchBar(Input):
    """Search as you type; ``QueryChanged`` carries each new query once.

    There is no debounce: the screen searches at once when no search is
    running, and otherwise searches the newest text as soon as the running
    search lands (see ``readinglist.ui.screens.listing``), so a burst of keys
    costs at most one search beyond the one already running.
    """

    # Shown in the footer while the bar has focus (see AppFooter): the keys that
    # leave the search, instead of the list's keys, which type letters here.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "To the list", id="search-submit", tooltip="Search box: go to the list"),
        Binding(
            "escape",
            "screen.clear_search",
            "Clear",
            id="search-clear",
            tooltip="Search box: clear the search",
        ),
        Binding(
            "down", "results", "Results", id="search-results", tooltip="Search box: move into the results"
        ),
    ]
    FOOTER_OWN_KEYS = True
    """The footer shows only this widget's keys (and help, quit) while it has focus."""

    # Input sets its virtual width to the text's on every key, and the base reactive
    # asks for a layout pass each time: 5 ms per key, and the reflow re-dirties the
    # paper list's scrollbar, which cost another frame in the middle of the key's
    # search. The bar's size never depends on its text (styles/main.tcss gives it a
    # fixed height and the full width), so a repaint is enough.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    class QueryChanged(Message):
        """The query to show results for changed."""

        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    def __init__(self, *, id: str | None = None) -> None:
        """An empty search bar."""
        super().__init__(placeholder="/ search titles, abstracts, authors, tags, notes", id=id)
        self._announced = ""

    def on_input_changed(self, event: Input.Changed) -> None:
        """Announce the new query (the screen hears ``QueryChanged``)."""
        event.stop()
        self.flush()

    def flush(self) -> None:
        """Announce the current query now, unless it was already announced."""
        if self.value != self._announced:
            self._announced = self.value
            self.post_message(self.QueryChanged(self.value))

    async def action_results(self) -> None:
        """Move into the results: what enter does (the screen focuses the list)."""
        await self.action_submit()

    def clear_query(self) -> None:
        """Empty the bar and announce that at once."""
        self.value = ""
        self.flush()

"""The search bar: an Input that announces its query once typing pauses."""

from __future__ import annotations

from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input

DEBOUNCE_S = 0.15
"""Typing faster than this runs one search, after the last key (TECH-NOTES §5)."""


class SearchBar(Input):
    """Search as you type, debounced; ``QueryChanged`` carries each new query once."""

    class QueryChanged(Message):
        """The query to show results for changed."""

        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    def __init__(self, *, id: str | None = None) -> None:
        """An empty search bar."""
        super().__init__(placeholder="/ search titles, abstracts, authors, tags, notes", id=id)
        self._timer: Timer | None = None
        self._announced = ""

    def on_input_changed(self, event: Input.Changed) -> None:
        """Restart the countdown on each edit; the screen hears only ``QueryChanged``."""
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_S, self.flush)

    def flush(self) -> None:
        """Announce the current query now, unless it was already announced."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.value != self._announced:
            self._announced = self.value
            self.post_message(self.QueryChanged(self.value))

    def clear_query(self) -> None:
        """Empty the bar and announce that at once."""
        self.value = ""
        self.flush()

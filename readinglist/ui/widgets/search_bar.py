"""The search bar: an Input that announces its query once typing pauses."""

from __future__ import annotations

from time import monotonic

from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input

DEBOUNCE_S = 0.15
"""Keys typed faster than this after the first one run one search, after the last key.

The first key after a pause searches at once (a stale search still running is
interrupted by the screen), so a single edit never waits for the countdown.
"""


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
        self._last_flush = 0.0

    def on_input_changed(self, event: Input.Changed) -> None:
        """Search at once after a pause, else restart the countdown (the screen hears ``QueryChanged``)."""
        event.stop()
        if self._timer is None and monotonic() - self._last_flush >= DEBOUNCE_S:
            self.flush()
            return
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_S, self.flush)

    def flush(self) -> None:
        """Announce the current query now, unless it was already announced."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._last_flush = monotonic()
        if self.value != self._announced:
            self._announced = self.value
            self.post_message(self.QueryChanged(self.value))

    def clear_query(self) -> None:
        """Empty the bar and announce that at once."""
        self.value = ""
        self.flush()

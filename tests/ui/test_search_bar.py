"""The search bar's debounce: a first key searches at once, a burst waits for the last key."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.message import Message

from readinglist.ui.widgets import search_bar
from readinglist.ui.widgets.search_bar import SearchBar


class _Host(App[None]):
    def compose(self) -> ComposeResult:
        yield SearchBar(id="q")


async def test_first_key_searches_at_once_and_a_burst_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    # A long window makes "inside the burst" independent of how fast this machine is.
    monkeypatch.setattr(search_bar, "DEBOUNCE_S", 60.0)
    messages: list[Message] = []
    app = _Host()
    async with app.run_test(message_hook=messages.append) as pilot:
        bar = app.query_one(SearchBar)

        def queries() -> list[str]:
            # The hook sees a bubbling message once per node it reaches: count each once.
            unique = {id(m): m for m in messages if isinstance(m, SearchBar.QueryChanged)}
            return [m.query for m in unique.values()]

        bar.value = "r"
        await pilot.pause()
        assert queries() == ["r"]
        bar.value = "re"
        bar.value = "ret"
        await pilot.pause()
        assert queries() == ["r"]  # still typing: nothing new announced yet
        bar.flush()  # what the countdown does when it runs out
        await pilot.pause()
        assert queries() == ["r", "ret"]
        bar.flush()
        await pilot.pause()
        assert queries() == ["r", "ret"]  # an unchanged query is not announced twice

"""The search bar announces every new query at once, and each distinct query once."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.message import Message

from readinglist.ui.widgets.search_bar import SearchBar


class _Host(App[None]):
    def compose(self) -> ComposeResult:
        yield SearchBar(id="q")


async def test_every_key_is_announced_at_once_and_only_once() -> None:
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
        # No debounce (the screen decides what to search); each change announces
        # the bar's text as it is when handled, so two changes in one go announce once.
        assert queries() == ["r", "ret"]
        bar.flush()
        await pilot.pause()
        assert queries() == ["r", "ret"]  # an unchanged query is not announced twice
        bar.clear_query()
        await pilot.pause()
        assert queries() == ["r", "ret", ""]

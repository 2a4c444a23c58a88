"""The command palette (#16): one Quit, one help, and "1 paper" in the tag views."""

from __future__ import annotations

from textual.command import CommandList
from textual.widgets import Input

from .conftest import AppFactory, paper_list, settle


async def _palette_prompts(pilot, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    app = pilot.app
    app.screen.query_one(Input).value = query
    await pilot.pause(0.5)
    results = app.screen.query_one(CommandList)
    return [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]


async def test_the_palette_has_one_quit_and_one_help(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        prompts = await _palette_prompts(pilot, "quit")
        assert len([p for p in prompts if p.lower().startswith("quit")]) == 1, prompts
        prompts = await _palette_prompts(pilot, "keys")
        assert not any(p.startswith("Keys") for p in prompts), prompts
        prompts = await _palette_prompts(pilot, "show every key")
        assert any("Show every key" in p for p in prompts), prompts


async def test_a_tag_with_one_paper_reads_1_paper(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.library.tag(paper_list(app).ids[0], ["solo"])
        await pilot.press("ctrl+p")
        await pilot.pause()
        app.screen.query_one(Input).value = "Tag view: #solo"
        await pilot.pause(0.5)
        text = " ".join(str(o.prompt) for o in app.screen.query_one(CommandList).options)
        assert "1 paper" in text and "1 papers" not in text

"""The details pane (``DetailPane``) alone in a bare app."""

from __future__ import annotations

from textual.app import App, ComposeResult

from readinglist.core.store import Library


async def test_details_pane_leaves_an_unchanged_paper_as_it_is(sample_library: Library) -> None:
    from readinglist.ui.widgets.detail_pane import DetailPane

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield DetailPane(id="details")

    paper = sample_library.get(sample_library.ids()[0])
    spans = {"title": [(0, 3)]}
    app = Host()
    async with app.run_test(size=(60, 10)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show(paper, spans)
        await pilot.pause()
        pane.scroll_to(y=3, animate=False)
        await pilot.pause()
        pane.show(paper, {"title": [(0, 3)]})  # the same paper and highlights: no new layout
        await pilot.pause()
        assert pane.scroll_y == 3
        pane.show(paper._replace(starred=not paper.starred), spans)  # changed: shown from the top
        await pilot.pause()
        assert pane.scroll_y == 0
        body = str(pane.query_one("#detail-body").render())
        assert ("★ starred" in body) is (not paper.starred)

"""The virtual paper list (``PaperList``) alone in a bare app: what it fetches, draws and frees."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import App, ComposeResult
from textual.strip import Strip

from readinglist.core.models import Paper
from readinglist.core.store import Library
from readinglist.ui.widgets.paper_list import PaperList


class ListApp(App[None]):
    """A bare app around one PaperList, to watch what it fetches."""

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.fetched: list[int] = []

    def fetch(self, ids: Sequence[int]) -> list[Paper]:
        self.fetched.extend(ids)
        return self.library.get_many(list(ids))

    def compose(self) -> ComposeResult:
        yield PaperList(self.fetch, id="papers")


async def test_virtual_list_fetches_only_what_it_shows(sample_library: Library) -> None:
    # Scale bound: 100k row ids, but only a screenful (plus margin) of papers is fetched.
    real = sample_library.ids()
    ids = [real[i % len(real)] for i in range(100_000)]
    app = ListApp(sample_library)
    async with app.run_test(size=(80, 24)) as pilot:
        papers = app.query_one(PaperList)
        papers.set_rows(ids)
        await pilot.pause()
        assert papers.row_count == 100_000
        assert 0 < len(app.fetched) <= 24 + 2 * 20
        app.fetched.clear()
        papers.focus()
        await pilot.press("end")
        assert papers.cursor == 99_999 and papers.current_id == ids[-1]
        assert int(papers.scroll_y) > 99_900
        assert 0 < len(app.fetched) <= 24 + 2 * 20
        app.fetched.clear()
        papers.set_rows(ids[:10], keep_id=ids[99_999])  # ids[99_999] == ids[9] (it cycles every 220)
        assert papers.cursor == 9


async def test_list_scrollbar_follows_the_rows(sample_library: Library) -> None:
    real = sample_library.ids()
    app = ListApp(sample_library)
    async with app.run_test(size=(80, 24)) as pilot:
        papers = app.query_one(PaperList)
        papers.set_rows(real)
        await pilot.pause()
        bar = papers.vertical_scrollbar
        assert papers.show_vertical_scrollbar and bar.window_virtual_size == len(real)
        papers.set_rows(real[:150])  # still more than a screen: the bar is told, no layout
        await pilot.pause()
        assert papers.show_vertical_scrollbar and bar.window_virtual_size == 150
        assert bar.window_size == papers.scrollable_content_region.height
        papers.set_rows(real[:5])  # fits: the bar goes and the rows take its column
        await pilot.pause()
        assert not papers.show_vertical_scrollbar
        assert papers.scrollable_content_region.width == papers.content_region.width
        papers.set_rows(real[:150])  # and comes back
        await pilot.pause()
        assert papers.show_vertical_scrollbar and bar.window_virtual_size == 150


async def test_new_rows_redraw_only_the_lines_that_changed(sample_library: Library) -> None:
    real = sample_library.ids()[:40]
    titles = {p.id: p.title for p in sample_library.get_many(real)}
    app = ListApp(sample_library)

    def on_screen(papers: PaperList) -> list[str]:
        # What the terminal would show: the composed lines, cached ones included.
        strips = app.screen._compositor.render_strips()
        top = papers.content_region.y
        return ["".join(seg.text for seg in strip) for strip in strips[top : top + 5]]

    async with app.run_test(size=(80, 24)) as pilot:
        papers = app.query_one(PaperList)
        drawn: list[int] = []
        render_line = papers.render_line

        def traced(y: int) -> Strip:
            drawn.append(y)
            return render_line(y)

        papers.render_line = traced  # type: ignore[method-assign]
        papers.focus()
        papers.set_rows(real)
        await pilot.pause()
        assert len(drawn) >= 20
        await pilot.pause()  # the scrollbar came: the first frames are full redraws
        drawn.clear()
        swapped = [real[0], real[2], real[1], *real[3:]]
        # As the app's worker does: the first screen's papers come with the ids.
        papers.set_rows(swapped, papers=sample_library.get_many(swapped))
        await pilot.pause()
        assert sorted(set(drawn)) == [0, 1, 2]  # the two swapped rows and the cursor's
        lines = on_screen(papers)
        for line, pid in zip(lines, swapped[:5], strict=True):
            assert titles[pid][:20] in line
        drawn.clear()
        # The same rows again: only the cursor's row.
        papers.set_rows(list(swapped), papers=sample_library.get_many(swapped))
        await pilot.pause()
        assert set(drawn) == {0}
        drawn.clear()
        # Fewer rows: the lines below are blanked.
        papers.set_rows(swapped[:3], papers=sample_library.get_many(swapped[:3]))
        await pilot.pause()
        assert on_screen(papers)[3].strip() == ""
        assert titles[swapped[2]][:20] in on_screen(papers)[2]


async def test_callbacks_run_after_the_frame_that_draws_the_rows(sample_library: Library) -> None:
    app = ListApp(sample_library)
    async with app.run_test(size=(80, 24)) as pilot:
        papers = app.query_one(PaperList)
        await pilot.pause()
        calls: list[int] = []
        papers.set_rows(sample_library.ids()[:5])
        papers.after_drawn(lambda: calls.append(papers.row_count))
        assert calls == []  # not before the rows are drawn
        await pilot.pause()
        assert calls == [5]
        papers.refresh()
        await pilot.pause()
        assert calls == [5]  # once


async def test_replaced_rows_are_freed_after_the_frame(sample_library: Library) -> None:
    import gc
    import weakref

    class Ids(list[int]):  # a list that can be watched
        pass

    app = ListApp(sample_library)
    async with app.run_test(size=(80, 24)) as pilot:
        papers = app.query_one(PaperList)
        old = Ids(sample_library.ids())
        papers.set_rows(old)
        await pilot.pause()
        gone = weakref.ref(old)
        del old
        papers.set_rows(sample_library.ids()[:5])
        gc.collect()
        assert gone() is not None  # still held while the new rows wait for their frame
        await pilot.pause()
        gc.collect()
        assert gone() is None

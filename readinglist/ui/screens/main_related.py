"""The main screen's discovery: Related, Suggested, related papers under the details, indexing.

``m`` shows the papers most like the highlighted one, ``6`` suggests unread
papers like the starred ones, the list marks where meaning results start,
and new papers are embedded in a worker.

A mixin, so :mod:`readinglist.ui.screens.main` gains only a few lines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.worker import get_current_worker

from readinglist.core.errors import ReadingListError
from readinglist.core.models import Paper, View
from readinglist.ui.screens.related import RelatedScreen
from readinglist.ui.semantic import failure
from readinglist.ui.widgets.paper_list import PaperList
from readinglist.ui.widgets.related_pane import RelatedPane
from readinglist.ui.widgets.rows_loader import RowsLoader
from readinglist.ui.widgets.search_bar import SearchBar

if TYPE_CHECKING:
    from readinglist.core.semantic.index import IndexProgress
    from readinglist.ui.screens.listing import ListingScreen

    _Base = ListingScreen
else:
    _Base = object

RELATED_SHOWN = 20
"""Papers in the Related and Suggested views."""


class DiscoveryActions(_Base):
    """Related papers, suggestions and indexing for a screen with a ``PaperList``."""

    _jump_to: int | None = None

    # -- indexing ----------------------------------------------------------------------

    def start_indexing(self) -> None:
        """Embed new and changed papers in a worker, if the app does that (not in tests by default)."""
        if self.rl_app.index_in_background and self.rl_app.library.read_only is None:
            self._index()

    @work(
        thread=True,
        exclusive=True,
        group="index",
        description="Indexing for search by meaning",
        exit_on_error=False,
    )
    def _index(self) -> None:
        from readinglist.core.semantic.model import ModelMissing

        worker = get_current_worker()
        semantic = self.rl_app.semantic
        said = False

        def progress(p: IndexProgress) -> None:
            nonlocal said
            if p.done == 0 and p.total > 0 and not worker.is_cancelled:
                said = True
                note = f"Indexing {p.total:,} papers for search by meaning (in the background)…"
                self.app.call_from_thread(self.notify, note, timeout=4)

        try:
            done = semantic.index(progress, lambda: worker.is_cancelled, self._keys_busy)
        except ModelMissing:
            return  # word search as before; `m` says how to get the model
        except ReadingListError as exc:
            if not worker.is_cancelled:
                self.app.call_from_thread(self.notify, str(exc), severity="warning", markup=False)
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._model_ready)
            self.query_one(RowsLoader).session.warm_meaning()
        if said and done and not worker.is_cancelled:
            self.app.call_from_thread(self.notify, f"{done:,} papers can now be found by meaning.", timeout=4)

    def _model_ready(self) -> None:
        """Show the related pane for the highlighted paper now that the model has loaded."""
        paper_id = self.query_one(PaperList).current_id
        try:
            paper = self.rl_app.library.get(paper_id) if paper_id is not None else None
        except ReadingListError:
            paper = None
        self.query_one(RelatedPane).for_paper = None  # asked while indexing ran: ask again
        self.show_related(paper)

    def _keys_busy(self) -> bool:
        import time

        return time.monotonic() - self.rl_app.last_key_at < 0.25

    # -- the Related and Suggested views ---------------------------------------------------

    def action_related(self) -> None:
        """Show the papers most like the highlighted one."""
        paper_id = self.query_one(PaperList).current_id
        if paper_id is not None:
            self._open_related(paper_id)

    def action_suggested(self) -> None:
        """Show unread papers like the starred ones (read next)."""
        self._open_related(None)

    @work(
        thread=True,
        exclusive=True,
        group="related",
        description="Finding related papers",
        exit_on_error=False,
    )
    def _open_related(self, paper_id: int | None) -> None:
        semantic = self.rl_app.semantic
        try:
            ids = (
                semantic.related(paper_id, RELATED_SHOWN)
                if paper_id is not None
                else semantic.suggested(RELATED_SHOWN)
            )
        except Exception as exc:  # a missing model or library error: one line, never a crash
            self.app.call_from_thread(self.notify, failure(exc), severity="warning", markup=False)
            return
        self.app.call_from_thread(self._push_related, paper_id, ids)

    def _push_related(self, paper_id: int | None, ids: list[int]) -> None:
        try:
            papers = self.rl_app.library.get_many(ids)
            title = self.rl_app.library.get(paper_id).title if paper_id is not None else ""
        except ReadingListError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if paper_id is None:
            screen = RelatedScreen(
                "Suggested: unread papers like your starred ones",
                papers,
                "Nothing to suggest yet: star papers you liked (s), and let them be indexed.",
            )
        else:
            screen = RelatedScreen(
                f"Related to: {title}",
                papers,
                "Not indexed yet: the app indexes papers in the background (or run `readinglist index`).",
            )
        self.app.push_screen(screen, self.jump_to)

    # -- related papers under the details -------------------------------------------------

    def show_related(self, paper: Paper | None) -> None:
        """Fill the related pane for ``paper`` (in a worker, once the model is loaded)."""
        pane = self.query_one(RelatedPane)
        # Hidden until the model has loaded (never, without it): the notes keep the room.
        pane.display = self.rl_app.semantic.ready
        if paper is None or not self.rl_app.semantic.ready:
            pane.show(None, [])
            return
        if pane.for_paper != paper.id:
            self._pane_related(paper.id)

    @work(
        thread=True, exclusive=True, group="related-pane", description="Related papers", exit_on_error=False
    )
    def _pane_related(self, paper_id: int) -> None:
        try:
            ids = self.rl_app.semantic.related(paper_id, 3)
        except Exception:  # the pane stays empty; `m` reports what is wrong
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._fill_pane, paper_id, ids)

    def _fill_pane(self, paper_id: int, ids: list[int]) -> None:
        if self.query_one(PaperList).current_id != paper_id:
            return
        try:
            papers = self.rl_app.library.get_many(ids)
        except ReadingListError:
            return
        self.query_one(RelatedPane).show(paper_id, papers, "not indexed yet")

    # A named handler, not @on: a mixin's decorated handlers are not collected by Textual.
    def on_related_pane_jump(self, event: RelatedPane.Jump) -> None:
        """Enter on a related paper under the details jumps to it."""
        self.jump_to(event.paper_id)

    # -- jumping to a paper, and marking meaning results -----------------------------------------

    def jump_to(self, paper_id: int | None) -> None:
        """Put the cursor on ``paper_id``: in the list if it is there, else in All with no search."""
        if paper_id is None:
            return
        papers = self.query_one(PaperList)
        papers.focus()
        if paper_id in papers.ids:
            papers.cursor = papers.ids.index(paper_id)
            return
        self._jump_to = paper_id
        self.view, self.tag = View.ALL, None
        bar = self.query_one(SearchBar)
        if bar.value:
            bar.clear_query()  # reloads
        else:
            self.reload()

    def after_rows(self) -> None:
        """New rows are in the list: finish a jump, and say where meaning results start."""
        papers = self.query_one(PaperList)
        if self._jump_to is not None and self._jump_to in papers.ids:
            papers.cursor = papers.ids.index(self._jump_to)
            self._jump_to = None
        rows = self.rows
        words = rows.words if rows is not None else None
        if rows is not None and words is not None and words < len(rows.ids):
            papers.border_subtitle = f"─ related by meaning from #{words + 1} ─"
        else:
            papers.border_subtitle = ""

"""The main screen: search bar, paper list, details and notes, status line and footer."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Input, Static

from readinglist.core.errors import ReadingListError
from readinglist.core.models import Paper, Status, View
from readinglist.core.store import Library
from readinglist.ui.screens.main_keys import MAIN_BINDINGS
from readinglist.ui.screens.main_related import DiscoveryActions
from readinglist.ui.screens.main_transfer import TransferActions
from readinglist.ui.screens.marking import MarkingScreen
from readinglist.ui.screens.status_keys import NEXT_STATUS, status_toast, wrong_view_hint
from readinglist.ui.toast import toast
from readinglist.ui.widgets.app_footer import AppFooter
from readinglist.ui.widgets.detail_pane import DetailPane
from readinglist.ui.widgets.notes_editor import NotesEditor
from readinglist.ui.widgets.paper_list import PaperList
from readinglist.ui.widgets.related_pane import RelatedPane
from readinglist.ui.widgets.rows_loader import RowsLoader
from readinglist.ui.widgets.search_bar import SearchBar

DETAILS_DELAY_S = 0.06


class MainScreen(TransferActions, DiscoveryActions, MarkingScreen):
    """Browsing the library: every paper action lives here."""

    BINDINGS: ClassVar[list[BindingType]] = MAIN_BINDINGS

    def __init__(self) -> None:
        """An empty screen; rows load in a worker after the first frame."""
        super().__init__()
        self._details_timer: Timer | None = None
        self._details_at = 0.0
        self._details_queued = False
        self._select_after: int | None = None  # a paper to highlight once the reloading rows land

    def compose(self) -> ComposeResult:
        """Lay out the panes; sizes and colours are in ``styles/main.tcss``."""
        yield SearchBar(id="search")
        # The search's hints ("year:soon … ignored"): a line of its own, wrapped, shown only with one.
        yield Static("", id="search-hint", markup=False)
        with Horizontal(id="body"):
            yield PaperList(self._fetch, id="papers")
            with Vertical(id="side"):
                yield DetailPane(id="details")
                yield RelatedPane(id="related")
                yield NotesEditor(lambda: self.rl_app.library, id="notes")
        yield Static("Loading…", id="status", markup=False)  # it shows queries and tag names
        yield AppFooter(compact=True)
        yield self.rows_loader()

    def on_mount(self) -> None:
        """Start loading after the first frame: nothing here grows with the library."""
        self.query_one(PaperList).border_title = "Papers"
        self.query_one(DetailPane).border_title = "Details"
        self.query_one(NotesEditor).border_title = "Notes"
        self.query_one(RelatedPane).border_title = "Related"
        self.query_one(PaperList).focus()
        self.query_one(NotesEditor).load_note(None, "")
        # After the first frame: the first paint never competes with loading for the GIL.
        self.call_after_refresh(self.reload, seed=True)
        self.call_after_refresh(self.start_indexing)

    # -- the highlighted paper -----------------------------------------------------

    def current(self) -> Paper | None:
        """The highlighted paper, read fresh from the library."""
        paper_id = self.query_one(PaperList).current_id
        if paper_id is None:
            return None
        try:
            return self.rl_app.library.get(paper_id)
        except ReadingListError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return None

    @property
    def _details_behind(self) -> bool:
        """Whether the details (and notes) still wait to follow the highlighted paper."""
        return self._details_timer is not None or self._details_queued

    def rows_shown(self) -> None:
        """Show the details once the new rows are on screen: the list is what the user waits for."""
        if self._select_after is not None and self.rows is not None:
            papers = self.query_one(PaperList)
            if self._select_after in (ids := papers.ids):
                papers.cursor, self._select_after = ids.index(self._select_after), None
            elif not self.rows.partial:
                self._select_after = None  # not in this view after all: leave the cursor be
        self.after_rows()  # a jump to a related paper; where meaning results start
        # Every landing queues its own call: an earlier one may have been skipped.
        self._details_queued = True
        self.call_after_refresh(self._queued_details)

    def _queued_details(self) -> None:
        # While a newer search runs (the user typed on), its rows queue the details
        # again: rendering them now would only hold up that search and its frame.
        if self._details_queued and not self.query_one(RowsLoader).searching:
            self.show_current()

    @on(PaperList.Highlighted)
    def _highlighted(self) -> None:
        if self._details_queued:
            return  # new rows: the details follow their first frame
        # A lone key press updates the panes at once; under key repeat they follow
        # once the cursor rests, because re-laying out the details costs a frame.
        if self._details_timer is None and time.monotonic() - self._details_at > DETAILS_DELAY_S:
            self.show_current()
            return
        if self._details_timer is not None:
            self._details_timer.stop()
        self._details_timer = self.set_timer(DETAILS_DELAY_S, self.show_current)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The notes must belong to the highlighted paper before the user types in them."""
        if isinstance(event.widget, NotesEditor) and self._details_behind:
            self.show_current()

    def show_current(self) -> None:
        """Show the highlighted paper's details and note (saving the previous note)."""
        if self._details_timer is not None:
            self._details_timer.stop()
            self._details_timer = None
        self._details_queued = False
        self._details_at = time.monotonic()
        notes = self.query_one(NotesEditor)
        notes.flush()
        paper = self.current()
        spans = self.rows.spans.get(paper.id) if paper and self.rows else None
        self.query_one(DetailPane).show(paper, spans)
        self.show_related(paper)
        if paper is None:
            notes.load_note(None, "")
        elif notes.paper_id != paper.id:
            notes.load_note(paper.id, paper.notes)
        if self.rl_app.library.read_only is not None:
            notes.read_only = True  # nothing typed there could be saved

    def _write(self, change: Callable[[], object]) -> bool:
        """Run one library write; a failure becomes a notification, never a crash."""
        try:
            change()
        except ReadingListError as exc:
            # The message holds paths and paper text: never read as markup.
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
            return False
        return True

    def _changed(self, paper_id: int, *views: View) -> None:
        """Redraw after a write; reload when the current view's members may have changed."""
        # A queue change renumbers other papers too: every row's position mark is redrawn.
        self.query_one(PaperList).invalidate(None if View.QUEUE in views else paper_id)
        self.show_current()
        if self.view in views or self.tag is not None:
            self.reload(keep_cursor=True)

    # -- actions -------------------------------------------------------------------

    def action_focus_search(self) -> None:
        """Focus the search bar."""
        self.query_one(SearchBar).focus()

    def action_clear_search(self) -> None:
        """Clear the marks; with none, clear the search and go back to the list."""
        if self.clear_marks():
            return
        papers, bar = self.query_one(PaperList), self.query_one(SearchBar)
        papers.focus()
        if bar.value:
            # The paper the user was on stays highlighted in the whole view (rows_shown).
            self._select_after = papers.current_id
        bar.clear_query()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.query_one(SearchBar).flush()
        self.query_one(PaperList).focus()

    def _apply(self, change: Callable[[Library, Paper], object], *views: View) -> Paper | None:
        """Write ``change`` for the highlighted paper and redraw; the paper, or None on failure."""
        paper = self.current()
        if paper is None or not self._write(partial(change, self.rl_app.library, paper)):
            return None
        self._changed(paper.id, *views)
        return paper

    def action_star(self) -> None:
        """Star or unstar the highlighted paper (every marked paper, with marks)."""
        if self.marks:
            return self.batch_star()
        paper = self._apply(lambda lib, p: lib.set_starred(p.id, not p.starred), View.STARRED)
        if paper is not None:
            toast(self.app, "Unstarred" if paper.starred else "Starred", undo=True)

    def action_tags(self) -> None:
        """Edit the highlighted paper's tags in a dialog (every marked paper's, with marks)."""
        if self.marks:
            return self.batch_tags()
        from readinglist.ui.screens.tag_dialog import TagChanges, TagDialog

        paper = self.current()
        if paper is None:
            return
        try:
            known = [name for name, _ in self.rl_app.library.all_tags()]
        except ReadingListError:
            known = []

        def apply(changes: TagChanges | None) -> None:
            if changes and (changes[0] or changes[1]):
                add, remove = changes
                if self._write(lambda: self.rl_app.library.tag(paper.id, add, remove)):
                    self._changed(paper.id)

        self.app.push_screen(TagDialog(paper.title, paper.tags, known), apply)

    def action_queue(self) -> None:
        """Add the highlighted paper to the queue, or take it out (every marked paper, with marks)."""
        if self.marks:
            return self.batch_queue()

        def toggle(lib: Library, paper: Paper) -> None:
            if paper.in_queue:
                lib.queue_remove(paper.id)
            else:
                lib.queue_add(paper.id)

        paper = self._apply(toggle, View.QUEUE, View.UNREAD, View.READ)
        if paper is not None:
            toast(self.app, "Removed from the queue" if paper.in_queue else "Added to the queue", undo=True)

    def action_toggle_read(self) -> None:
        """Mark the highlighted paper read, or unread again (every marked paper, with marks)."""
        if self.marks:
            return self.batch_read()

        def toggle(lib: Library, paper: Paper) -> None:
            lib.set_status(paper.id, Status.UNREAD if paper.status is Status.READ else Status.READ)

        if (paper := self._apply(toggle, View.QUEUE, View.UNREAD, View.READ)) is not None:
            toast(
                self.app,
                status_toast(Status.UNREAD if paper.status is Status.READ else Status.READ),
                undo=True,
            )

    def action_cycle_status(self) -> None:
        """Move the highlighted paper's status on: unread, reading, read, unread again."""

        def cycle(lib: Library, paper: Paper) -> None:
            lib.set_status(paper.id, NEXT_STATUS[paper.status])

        if (paper := self._apply(cycle, View.QUEUE, View.UNREAD, View.READ)) is not None:
            toast(self.app, status_toast(NEXT_STATUS[paper.status]), undo=True)

    def on_key(self, event: events.Key) -> None:
        """A queue key outside the queue view does nothing: say why instead of staying silent."""
        if self.view is not View.QUEUE and (hint := wrong_view_hint(self.rl_app, event.key)):
            event.stop()
            self.notify(hint, severity="warning", timeout=4)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Queue reordering only applies in the Queue view (hidden elsewhere)."""
        if action in ("queue_move", "queue_top"):
            return self.view is View.QUEUE
        return True

    def action_queue_move(self, offset: int) -> None:
        """Move the highlighted paper up (-1) or down (+1) the queue."""
        self._apply(lambda lib, p: lib.queue_move(p.id, offset), View.QUEUE)

    def action_queue_top(self) -> None:
        """Send the highlighted paper to the top of the queue."""
        self._apply(lambda lib, p: lib.queue_to_top(p.id), View.QUEUE)

    def action_notes(self) -> None:
        """Focus the note of the highlighted paper."""
        if self.query_one(PaperList).current_id is not None:
            if self._details_behind:
                self.show_current()
            self.query_one(NotesEditor).focus()

    def action_edit_note(self) -> None:
        """Edit the note in ``$EDITOR``; the in-app editor where that is impossible."""
        if (read_only := self.rl_app.library.read_only) is not None:
            # Refused before the editor opens: nothing typed there could be saved.
            self.notify(read_only, title="Not saved", severity="error", markup=False)
            return
        if self._details_behind:
            self.show_current()
        notes = self.query_one(NotesEditor)
        if notes.flush() and (paper := self.current()) is not None:
            notes.edit_externally(paper.id, paper.notes)

    def action_edit_paper(self) -> None:
        """Edit the highlighted paper's fields in ``$EDITOR`` (see :mod:`readinglist.ui.paper_actions`)."""
        from readinglist.ui.paper_actions import edit_paper

        if paper := self.current():
            edit_paper(self, paper)

    def action_delete_paper(self) -> None:
        """Delete the highlighted paper (every marked paper, with marks), after a confirmation."""
        from readinglist.ui.paper_actions import delete_papers

        if self.marks:
            delete_papers(self, self.rl_app.library.get_many(self.marked_ids()))
        elif paper := self.current():
            delete_papers(self, [paper])

    def action_tag_manager(self) -> None:
        """List the tags with counts to filter, rename, merge or delete; enter shows a tag's papers."""
        from readinglist.ui.screens.tag_manager import TagManager

        manager = TagManager(self.rl_app.library)

        def closed(tag: str | None) -> None:
            if tag is not None:
                self.show_view(View.ALL, tag)
            elif manager.changed:
                self.reload(keep_cursor=True)

        self.app.push_screen(manager, closed)

    def action_copy_link(self) -> None:
        """Copy the primary link of the highlighted paper (every marked paper's, joined)."""
        if self.marks:
            return self.batch_copy("link")
        if paper := self.current():
            self.rl_app.copy(paper.primary_link, "link")

    def action_copy_menu(self) -> None:
        """Choose what to copy: link, Markdown link, title, code link or BibTeX (of every marked paper)."""
        if self.marks:
            return self.batch_copy(None)
        from readinglist.core import cite
        from readinglist.ui.screens.copy_menu import CopyMenu, choice_text

        paper = self.current()
        if paper is None:
            return

        def chosen(choice: str | None, paper: Paper = paper) -> None:
            if choice and (picked := choice_text(choice, paper)):
                self.rl_app.copy(*picked)

        self.app.push_screen(CopyMenu(cite.code_link(paper) is not None), chosen)

    def action_open_link(self) -> None:
        """Open the primary link in the web browser."""
        from readinglist.ui import browser  # webbrowser: only when a link is opened

        if paper := self.current():
            message, ok = browser.open_link(self.app, paper.primary_link)
            # The link is untrusted text: never read as markup.
            self.notify(message, severity="information" if ok else "warning", markup=False)

    def action_view(self, name: str) -> None:
        """Show one of the views: all, queue, starred, unread, read."""
        self.show_view(View(name), None)

    def show_view(self, view: View, tag: str | None) -> None:
        """Switch the list to ``view`` (narrowed to ``tag``), keeping the search."""
        self.view, self.tag = view, tag
        self.refresh_bindings()
        self.reload()

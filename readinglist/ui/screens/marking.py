"""Marks, batch actions and undo: the part of the main screen that acts on many papers at once.

``space`` marks the highlighted paper, ``V`` marks a range as the cursor
moves, ``*`` marks every paper the list shows; the main screen's ``s t a r y
Y x`` then act on every marked paper as one undoable action (see
:mod:`readinglist.core.batch`). A screen action that deletes (``D``) finds the
marked papers with :meth:`MarkingScreen.marked_ids` and should delete them in
one ``library.action(...)``. ``u`` and ``ctrl+r`` undo and redo the
library's last change, whichever program made it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on, work
from textual.binding import Binding, BindingType
from textual.widgets import Static

from readinglist.core import batch
from readinglist.core.errors import ReadingListError
from readinglist.core.models import Status
from readinglist.core.safe_text import visible
from readinglist.core.saved_views import SavedView
from readinglist.core.store import Library
from readinglist.core.wording import count_of
from readinglist.ui.rows import status_text, view_label
from readinglist.ui.screens.listing import ListingScreen
from readinglist.ui.widgets.notes_editor import NotesEditor
from readinglist.ui.widgets.paper_list import PaperList

# key, action, footer label, binding id (the keymap's name), long description; none in the footer
_TABLE: list[tuple[str, str, str, str, str]] = [
    ("space", "mark", "Mark", "mark", "Mark or unmark the paper (then s t a r y Y x act on all)"),
    ("V", "mark_range", "Mark range", "mark-range", "Mark a range as the cursor moves (V ends)"),
    ("asterisk", "mark_all", "Mark all", "mark-all", "Mark every paper the list shows"),
    ("u", "undo", "Undo", "undo", "Undo the last change (app or command line)"),
    ("ctrl+r", "redo", "Redo", "redo", "Redo the last undone change"),
    ("ctrl+s", "save_view", "Save view", "save-view", "Save this search (view, tag) as a view"),
    *(
        (str(n + 6), f"saved_view({n})", f"Saved {n + 1}", f"saved-view-{n + 1}", f"Open saved view {n + 1}")
        for n in range(4)
    ),
]
MARK_BINDINGS: list[BindingType] = [
    Binding(key, action, label, id=binding_id, tooltip=long, show=False)
    for key, action, label, binding_id, long in _TABLE
]
BACKGROUND_MIN = 5000
"""Marked papers from which a batch change runs in a thread (see ``MarkingScreen._batch``)."""


class MarkingScreen(ListingScreen):
    """A listing screen with marks, batch actions over them, and undo/redo."""

    BINDINGS: ClassVar[list[BindingType]] = MARK_BINDINGS

    def __init__(self) -> None:
        """No marks yet."""
        super().__init__()
        self._range_anchor: int | None = None
        self._range_base: set[int] = set()

    # -- marks -----------------------------------------------------------------------

    @property
    def marks(self) -> set[int]:
        """The marked paper ids (kept by the list, which draws them)."""
        return self.query_one(PaperList).marks

    def marked_ids(self) -> list[int]:
        """The marked papers, in the list's order (marked papers no longer listed last)."""
        marks = self.marks
        listed = [i for i in self.query_one(PaperList).ids if i in marks]
        if len(listed) < len(marks):
            seen = set(listed)
            listed.extend(sorted(i for i in marks if i not in seen))
        return listed

    def _marks_changed(self) -> None:
        self.query_one(PaperList).refresh()
        self._update_status()

    def action_mark(self) -> None:
        """Mark or unmark the highlighted paper and move to the next."""
        papers = self.query_one(PaperList)
        paper_id = papers.current_id
        if paper_id is None:
            return
        self.marks.symmetric_difference_update({paper_id})
        papers.action_cursor_down()
        self._marks_changed()

    def action_mark_range(self) -> None:
        """Start marking a range at the cursor (every paper the cursor passes), or stop."""
        papers = self.query_one(PaperList)
        if self._range_anchor is not None or papers.current_id is None:
            self._range_anchor = None
            self._update_status()
            return
        self._range_anchor = papers.cursor
        self._range_base = set(self.marks)
        self.marks.add(papers.current_id)
        self._marks_changed()

    @on(PaperList.Highlighted)
    def _extend_range(self) -> None:
        if self._range_anchor is None:
            return
        papers = self.query_one(PaperList)
        low, high = sorted((self._range_anchor, papers.cursor))
        marks = self.marks
        marks.clear()
        marks.update(self._range_base)
        marks.update(papers.ids[low : high + 1])
        self._marks_changed()

    def action_mark_all(self) -> None:
        """Mark every paper the list shows (the view, the tag and the search)."""
        ids = self.query_one(PaperList).ids
        if self.rows is not None and self.rows.partial:
            # Only the view's first page is listed while the rest loads: * means the whole view
            # (marking 200 of 100k papers and tagging them would be a surprise).
            try:
                ids = self.rl_app.library.ids(self.view, self.tag)
            except ReadingListError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
        self.marks.update(ids)
        self._marks_changed()

    def clear_marks(self) -> bool:
        """Drop every mark (and stop a range); whether there was anything to clear."""
        had = bool(self.marks) or self._range_anchor is not None
        self.marks.clear()
        self._range_anchor = None
        if had:
            self._marks_changed()
        return had

    def _update_status(self) -> None:
        if self.rows is None:
            return
        text = status_text(view_label(self.view, self.tag), self.rows)
        if self.marks:
            text += f" · {len(self.marks):,} marked"
        if self._range_anchor is not None:
            text += " · marking a range (V ends)"
        self.query_one("#status", Static).update(text, layout=False)

    # -- batch actions ---------------------------------------------------------------

    def _batch(self, change: Callable[[Library, list[int]], object]) -> bool:
        """Run one change over the marked papers and redraw; a failure is a notification (and False).

        Many papers are changed in a thread on a connection of its own: tagging
        100k papers re-indexes each one (a minute on a busy machine), and the
        app must keep drawing meanwhile.
        """
        ids = self.marked_ids()
        if len(ids) >= BACKGROUND_MIN:
            self.notify(f"Changing {count_of(len(ids))}…")
            self._batch_in_thread(change, ids)
            return True
        try:
            change(self.rl_app.library, ids)
        except ReadingListError as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
            return False
        self._after_change()
        return True

    @work(thread=True, group="batch", description="Changing the marked papers", exit_on_error=False)
    def _batch_in_thread(self, change: Callable[[Library, list[int]], object], ids: list[int]) -> None:
        try:
            with Library(self.rl_app.library.path, create=False) as library:
                change(library, ids)
        except ReadingListError as exc:
            self.app.call_from_thread(
                self.notify, str(exc), title="Not saved", severity="error", markup=False
            )
            return
        self.app.call_from_thread(self._batch_done, len(ids))

    def _batch_done(self, count: int) -> None:
        self.notify(f"Changed {count_of(count)}.")
        self._after_change()

    def _after_change(self) -> None:
        self.query_one(PaperList).invalidate()
        self.reload(keep_cursor=True)
        self._reload_note()

    def _reload_note(self) -> None:
        """Show the highlighted paper's note as the library has it now (after an undo, say)."""
        notes = self.query_one(NotesEditor)
        paper_id = self.query_one(PaperList).current_id
        if paper_id is None or notes.paper_id != paper_id:
            return
        try:
            text = self.rl_app.library.note(paper_id)
        except ReadingListError:
            return
        notes.paper_id = None  # what it shows is stale: load without saving it back
        notes.load_note(paper_id, text)

    def _all(self, condition: str) -> bool | None:
        """Whether every marked paper meets ``condition``; None (said in a notification) on an error."""
        try:
            return batch.count_where(self.rl_app.library, self.marked_ids(), condition) == len(self.marks)
        except ReadingListError as exc:  # read-only, or busy: nothing is changed
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
            return None

    def batch_star(self) -> None:
        """Star every marked paper (unstar them all if all are starred)."""
        if (all_starred := self._all("starred = 1")) is None:
            return
        self._batch(lambda lib, ids: batch.set_starred(lib, ids, not all_starred))

    def batch_read(self) -> None:
        """Mark every marked paper read (unread if all are read)."""
        if (all_read := self._all("status = 'read'")) is None:
            return
        status = Status.UNREAD if all_read else Status.READ
        self._batch(lambda lib, ids: batch.set_status(lib, ids, status))

    def batch_queue(self) -> None:
        """Queue every marked paper, in list order (take them all out if all are queued)."""
        if (all_queued := self._all("queue_position IS NOT NULL")) is None:
            return
        add = not all_queued
        if self._batch(lambda lib, ids: batch.queue(lib, ids, add)):
            self.notify(f"{'Added to' if add else 'Removed from'} the queue: {count_of(len(self.marks))}.")

    def batch_tags(self) -> None:
        """One tag dialog for every marked paper: ``+a -b`` applies to all."""
        from readinglist.ui.screens.tag_dialog import TagChanges, TagDialog

        try:
            known = [name for name, _ in self.rl_app.library.all_tags()]
        except ReadingListError:
            known = []

        def apply(changes: TagChanges | None) -> None:
            if changes and (changes[0] or changes[1]):
                add, remove = changes
                self._batch(lambda lib, ids: batch.tag(lib, ids, add, remove))

        title = f"{count_of(len(self.marks))} (marked)"
        self.app.push_screen(TagDialog(title, (), known), apply)

    def batch_copy(self, choice: str | None) -> None:
        """Copy ``choice`` (link, BibTeX…) of every marked paper, joined; None asks which."""
        from readinglist.core import cite
        from readinglist.ui.screens.copy_menu import CHOICES, CopyMenu, choice_text

        try:
            papers = self.rl_app.library.get_many(self.marked_ids())
        except ReadingListError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return

        def chosen(picked: str | None) -> None:
            if not picked:
                return
            texts = [t for p in papers if (t := choice_text(picked, p)) is not None]
            if texts:
                what = f"{CHOICES[picked].split(' [')[0].lower()}s of {count_of(len(texts))}"
                if picked == "bibtex":  # entries end with a line end: one blank line between them
                    joined = "\n\n".join(t.rstrip("\n") for t, _ in texts) + "\n"
                else:
                    joined = "\n".join(t for t, _ in texts)
                self.rl_app.copy(joined, what)

        if choice is not None:
            chosen(choice)
            return
        has_code = any(cite.code_link(p) is not None for p in papers)
        self.app.push_screen(CopyMenu(has_code), chosen)

    # -- saved views -----------------------------------------------------------------

    def action_save_view(self) -> None:
        """Name the current search (with its view and tag) as a saved view."""
        from textual.widgets import Input

        from readinglist.core import saved_views
        from readinglist.ui.screens.name_dialog import NameDialog

        query = self.query_one("#search", Input).value.strip()
        what = view_label(self.view, self.tag) + (f' · "{query}"' if query else "")

        def named(name: str | None) -> None:
            if name is None:
                return
            try:
                saved = saved_views.save(self.rl_app.library, name, query, self.view, self.tag)
            except ReadingListError as exc:
                self.notify(str(exc), title="Not saved", severity="error", markup=False)
                return
            self.notify(f"Saved the view {saved.name}.", markup=False)

        self.app.push_screen(NameDialog(what), named)

    def action_saved_view(self, index: int) -> None:
        """Open the ``index``-th saved view (keys 6-9)."""
        from readinglist.core import saved_views

        try:
            views = saved_views.all_views(self.rl_app.library)
        except ReadingListError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if index >= len(views):
            self.notify(f"No saved view {index + 1} (ctrl+s saves the current search).", severity="warning")
            return
        self.show_saved(views[index])

    def show_saved(self, saved: SavedView) -> None:
        """Show a saved view: its view, tag and search."""
        from textual.widgets import Input

        self.view, self.tag = saved.view, saved.tag
        self.refresh_bindings()
        self.query_one("#search", Input).value = saved.query  # the search bar reloads the list
        self.reload()

    # -- undo and redo ---------------------------------------------------------------

    def action_undo(self) -> None:
        """Undo the library's last change and say what it was."""
        self._history_step(redo=False)

    def action_redo(self) -> None:
        """Redo the last undone change and say what it was."""
        self._history_step(redo=True)

    def _history_step(self, *, redo: bool) -> None:
        # What is typed in the note is the newest change: store it first.
        self.query_one(NotesEditor).flush()
        library = self.rl_app.library
        try:
            done = library.redo() if redo else library.undo()
        except ReadingListError as exc:
            self.notify(str(exc), title="Redo" if redo else "Undo", severity="warning", markup=False)
            return
        # Descriptions quote paper titles (imported text): never read as markup.
        self.notify(f"{'Redid' if redo else 'Undid'}: {visible(done[0])}", markup=False)
        self._after_change()

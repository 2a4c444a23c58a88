"""The Markdown note of the highlighted paper, saved as the user types.

Saved at most about a second after the first unsaved key, however long the
typing goes on (a maximum wait, not a pause detector: steady typing never
pauses), and on leaving the pane, on switching paper and on quit. A killed app
loses at most the last second of typing.

Every save is a compare-and-swap against the text the pane loaded (see
:mod:`readinglist.core.notes`): a note changed elsewhere meanwhile (``readinglist
note``, a second app) is never overwritten. The pane reloads such a change when
it holds no unsaved text, and otherwise keeps both texts. The border subtitle
says whether the note is ``saved``, ``unsaved`` or ``saving…``.

A TextArea draws its text raw, so control characters of an imported note are
shown as pictures (:func:`~readinglist.core.safe_text.pictured`); the stored
note keeps them until the user edits it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import ClassVar

from textual import events
from textual.app import SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widgets import TextArea

from readinglist.core.errors import ReadingListError
from readinglist.core.notes import NoteWrite
from readinglist.core.safe_text import pictured
from readinglist.core.store import Library
from readinglist.ui.toast import toast

NOTE_PLACEHOLDER = "No note yet: n writes one"
"""Shown in the (folded) pane while the note is empty."""
AUTOSAVE_DELAY_S = 1.0
"""The longest an unsaved key waits for its save, counted from the first unsaved key."""
RETRY_DELAY_S = 5.0
"""After a failed save (a locked or read-only library), when to try again unasked."""
CHECK_ELSEWHERE_S = 1.0
"""How often the pane asks whether another connection wrote to the library."""


class NotesEditor(TextArea):
    """A TextArea bound to one paper at a time, which autosaves its note."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "leave", "Leave notes", id="leave-notes", tooltip="Notes: save and go back to the list"
        ),
    ]

    def __init__(self, library: Callable[[], Library], *, id: str | None = None) -> None:
        """Build an empty editor.

        Args:
            library: Gives the library the notes are read from and saved to
                (on the UI thread).
            id: The widget id.
        """
        super().__init__(
            "",
            id=id,
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
            placeholder=NOTE_PLACEHOLDER,
        )
        # Markdown highlighting needs Textual's optional tree-sitter extras; plain text without them.
        if "markdown" in self.available_languages:
            self.language = "markdown"
        self._library = library
        self.paper_id: int | None = None
        self._saved_text = ""  # the stored note as last loaded or saved: the base of the next save
        self._timer: Timer | None = None
        self._saving = False
        self._failing = False  # a save failed and was reported; the next failures stay quiet
        self._version: int | None = None
        self._told_reload = False
        # Unsaved texts of papers the pane moved away from because their save failed:
        # paper id -> (the base they were typed over, the text). Retried, shown again on return.
        self._pending: dict[int, tuple[str, str]] = {}
        self._pending_tried = 0.0

    @property
    def dirty(self) -> bool:
        """Whether the text differs from what was last stored."""
        return self.paper_id is not None and self.text != pictured(self._saved_text, multiline=True)

    @property
    def state(self) -> str:
        """``saved``, ``unsaved`` or ``saving…``, as the border subtitle shows it."""
        if not self.dirty:
            return "saved"
        return "saving…" if self._saving else "unsaved"

    def on_mount(self) -> None:
        """Show the state and start watching for changes made elsewhere."""
        self._show_state()
        self.set_interval(CHECK_ELSEWHERE_S, self.check_elsewhere)

    def load_note(self, paper_id: int | None, text: str) -> None:
        """Save the current note if needed, then show ``paper_id``'s note.

        A note whose save fails is kept (and retried) rather than dropped with the pane's text.
        """
        if not self.flush() and self.paper_id is not None:
            self._pending[self.paper_id] = (self._saved_text, self.text)
        pending = self._pending.pop(paper_id, None) if paper_id is not None else None
        self.paper_id = paper_id
        self._saved_text = text if pending is None else pending[0]
        self._told_reload = False
        # Unknown: the first check reads the note once, in case it changed between the
        # caller's read and now (a version taken here could already include that change).
        self._version = None
        self.read_only = paper_id is None
        self.load_text(pictured(text, multiline=True) if pending is None else pending[1])
        self._show_state()

    def save_all(self) -> bool:
        """Store the shown note and any note kept unsaved (on quit); False if a write failed."""
        current = self.flush()
        return self._flush_pending() and current

    def _flush_pending(self) -> bool:
        """Try again to store the notes kept unsaved when the pane moved on."""
        self._pending_tried = time.monotonic()
        for paper_id, (base, text) in list(self._pending.items()):
            if (saved := self._store(paper_id, text, base)) is None:
                return False
            del self._pending[paper_id]
            self._tell(saved)
        return True

    def flush(self) -> bool:
        """Store the shown note now if it changed; return False if the write failed."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._saving = False
        if not self.dirty or self.paper_id is None:
            self._show_state()
            return True
        text = self.text
        saved = self._store(self.paper_id, text, self._saved_text)
        if saved is not None:
            self._stored(text, saved)
        self._show_state()
        return saved is not None

    def _store(self, paper_id: int, text: str, base: str) -> NoteWrite | None:
        """Save ``text`` over ``base``; None (and one notification per run of failures) if it failed."""
        try:
            saved = self._library().set_note(paper_id, text, base=base)
        except ReadingListError as exc:
            if not self._failing:
                message = f"{exc}. The note stays here, unsaved; saving it is retried."
                self.notify(message, title="Not saved", severity="error")
            self._failing = True
            return None
        self._failing = False
        return saved

    def _stored(self, text: str, saved: NoteWrite) -> None:
        """Make the pane show what the library now holds after saving ``text``."""
        self._saved_text = saved.text
        if saved.text.startswith(text):
            # The conflict block goes after the user's text: add it without moving the cursor.
            if saved.text != text:
                selection = self.selection  # a cursor at the very end would move along otherwise
                self.insert(pictured(saved.text[len(text) :], multiline=True), self.document.end)
                self.selection = selection
        else:
            self._replace_text(saved.text)
        self._tell(saved)

    def _tell(self, saved: NoteWrite) -> None:
        """Say so when a save found the note changed elsewhere."""
        if saved.elsewhere:
            self.notify(
                "This note was changed elsewhere meanwhile. Both texts are kept: "
                "the other one is in the block marked <<<<<<< at the end.",
                title="Note changed elsewhere",
                severity="warning",
                timeout=10,
            )
        elif saved.conflict:
            self.notify("This note was emptied elsewhere meanwhile; your text is kept.", severity="warning")

    def check_elsewhere(self) -> None:
        """Reload the note if another connection changed it and nothing here is unsaved.

        Unsaved text is left alone: its save keeps both texts.
        """
        if self._pending and time.monotonic() - self._pending_tried > RETRY_DELAY_S:
            self._flush_pending()
        if self.paper_id is None:
            return
        version = self._data_version()
        if version is None or version == self._version:
            return
        self._version = version
        try:
            stored = self._library().note(self.paper_id)
        except ReadingListError:
            return  # deleted or unreadable: the next save says so
        if stored == self._saved_text or self.dirty:
            return
        self._saved_text = stored
        self._replace_text(stored)
        self._show_state()
        if not self._told_reload:
            # Once per paper: another window typing would otherwise bring one every second.
            self._told_reload = True
            self.notify("This note was changed elsewhere; showing the new text.")

    def _data_version(self) -> int | None:
        try:
            return self._library().data_version()
        except ReadingListError:
            return None

    def _replace_text(self, text: str) -> None:
        """Show ``text`` instead of the current text, keeping the cursor near where it was."""
        row, column = self.cursor_location
        self.load_text(pictured(text, multiline=True))
        row = min(row, self.document.line_count - 1)
        self.move_cursor((row, min(column, len(self.document.get_line(row)))))

    def _show_state(self) -> None:
        self._fold()
        subtitle = "Markdown" if self.paper_id is None else f"Markdown · {self.state}"
        if self.border_subtitle != subtitle:
            self.border_subtitle = subtitle

    def edit_externally(self, paper_id: int, text: str) -> None:
        """Edit ``text`` (the stored note) in ``$EDITOR`` with the app suspended, then store it.

        Where the terminal cannot be handed over (tests, the web), the note is
        edited here instead.
        """
        from readinglist.editor import edit_text

        try:
            with self.app.suspend():
                edited = edit_text(text, suffix=f"-{paper_id}.md")
        except SuspendNotSupported:
            self.focus()
            self.notify("This terminal cannot hand over to $EDITOR: edit the note here.", severity="warning")
            return
        except ReadingListError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if edited is None:
            self.check_elsewhere()  # the editor had the stored note: so should the pane
            toast(self.app, "Note unchanged")
            return
        self._failing = False  # an editor's text that cannot be stored is always reported
        saved = self._store(paper_id, edited, text)
        if saved is None:
            # Keep the edited text here, unsaved: the autosave tries again and nothing is lost.
            self.paper_id = None
            self.load_note(paper_id, text)
            self._replace_text(edited)
            return
        self.paper_id = None  # what is shown is stale: load without saving it back
        self.load_note(paper_id, saved.text)
        self._tell(saved)
        if not saved.conflict and saved.text != text:  # the same text again is no save to report
            toast(self.app, "Note saved")

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        """Start the autosave countdown at the first unsaved key; later keys do not restart it."""
        self._show_state()
        if self.dirty and self._timer is None:
            self._timer = self.set_timer(AUTOSAVE_DELAY_S, self._autosave)

    def _autosave(self) -> None:
        self._timer = None
        if not self.dirty:
            return
        # Let "saving…" reach the screen before the write (which may wait for a lock).
        self._saving = True
        self._show_state()
        self.call_after_refresh(self._autosave_now)

    def _autosave_now(self) -> None:
        if not self._saving:
            return  # saved meanwhile (paper switched, pane left)
        if not self.flush() and self._timer is None:
            self._timer = self.set_timer(RETRY_DELAY_S, self._autosave)

    def _fold(self, focused: bool | None = None) -> None:
        """Shrink the pane to one line while its note is empty and it is not focused.

        An empty pane took half the side at 80x24, hiding the abstract above it
        (``styles/main.tcss`` sizes ``NotesEditor.-empty``). ``focused`` is given
        by the focus handlers: ``has_focus`` changes only after them.
        """
        focused = self.has_focus if focused is None else focused
        self.set_class(not self.text and not focused, "-empty")

    def on_focus(self, event: events.Focus) -> None:
        """Catch up with a change made elsewhere before the user types; unfold the pane."""
        self.check_elsewhere()
        self._fold(focused=True)

    def on_blur(self, event: events.Blur) -> None:
        """Save on leaving the pane; fold it if the note is empty."""
        self.flush()
        self._fold(focused=False)

    def action_leave(self) -> None:
        """Save and give the focus back to the paper list."""
        self.flush()
        self.screen.query_one("#papers").focus()

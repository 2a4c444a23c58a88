"""The add dialog: paste references or a BibTeX entry; look-ups run in a worker with progress.

The dialog closes as soon as the first paper is stored (the list then shows
and highlights it); the rest arrive as notifications. The worker belongs to
the app, not the dialog, so closing the dialog stops nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, ProgressBar, TextArea
from textual.worker import get_current_worker

from readinglist.core.capture.refs import is_bibtex, looks_like_ref
from readinglist.core.capture.settings import CaptureSettings
from readinglist.core.errors import ReadingListError
from readinglist.core.store import Library
from readinglist.core.wording import count_of
from readinglist.ui.clipboard import Paste, system_paste

if TYPE_CHECKING:  # the capture machinery (and urllib) loads when the user adds, not at start
    from readinglist.core.capture.add import Outcome


class AddDialog(ModalScreen[None]):
    """Add papers by arXiv id, DOI or URL (one a line), or a pasted BibTeX entry.

    Args:
        library_path: The library file; the worker opens its own connection to it.
        settings: Endpoints and limits for the look-ups.
        stored: Called on the UI thread with each paper stored or found, and
            whether it is the first (the main screen highlights that one).
        paste: Reads the system clipboard (in a thread: it may shell out).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s", "submit", "Add", id="add-submit", tooltip="Add dialog: look the papers up and add them"
        ),
        Binding("escape", "cancel", "Close", id="add-close", tooltip="Add dialog: close (look-ups go on)"),
    ]

    def __init__(
        self,
        library_path: Path,
        settings: CaptureSettings,
        stored: Callable[[int, bool], None],
        paste: Paste = system_paste,
    ) -> None:
        """An empty dialog; the clipboard is read after it shows."""
        super().__init__()
        self.library_path = library_path
        self.settings = settings
        self.stored = stored
        self.paste = paste
        self.running = False
        self.total = 0
        self.settled = 0
        self.first_shown = False
        self.closed = False
        """Dismissed: later results go to notifications only (its widgets may be gone already)."""

    def compose(self) -> ComposeResult:
        """References, tags, queue and star, a progress bar and a status line."""
        with Vertical(id="add-box", classes="dialog"):
            yield Label("Add papers", classes="dialog-title")
            yield TextArea(id="add-refs", soft_wrap=True, show_line_numbers=False)
            yield Input(placeholder="tags (optional): thesis, rag", id="add-tags", compact=True)
            with Horizontal(id="add-options"):
                yield Checkbox("Add to the queue", id="add-queue", compact=True)
                yield Checkbox("Star", id="add-star", compact=True)
            yield ProgressBar(total=1, show_eta=False, id="add-progress")
            yield Label(
                "arXiv ids, DOIs, URLs (one a line) or BibTeX · ctrl+s adds · esc closes",
                id="add-status",
                markup=False,  # it shows references and titles
            )

    def on_mount(self) -> None:
        """Start in the references; fill them from the clipboard if it holds references."""
        self.query_one("#add-progress", ProgressBar).display = False
        self.query_one("#add-refs", TextArea).focus()
        self.app.run_worker(self._read_clipboard, thread=True, group="clipboard", exit_on_error=False)

    def _read_clipboard(self) -> None:
        text = self.paste().strip()
        if text and looks_like_ref(text):
            self.app.call_from_thread(self._prefill, text)

    def _prefill(self, text: str) -> None:
        if self.closed:
            return  # closed before the clipboard answered
        area = self.query_one("#add-refs", TextArea)
        if not area.text.strip():
            area.load_text(text)
            self._status("From the clipboard · ctrl+s adds · esc closes")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the tags field adds, as ctrl+s does."""
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        """Look the references up and store them in a worker (one run at a time)."""
        from readinglist.core.capture.add import Options, add_bibtex, add_refs

        if self.running:
            return
        text = self.query_one("#add-refs", TextArea).text.strip()
        if not text:
            self._status("Paste an arXiv id, a DOI, a URL or a BibTeX entry first.")
            return
        tags = [t.strip() for t in self.query_one("#add-tags", Input).value.split(",") if t.strip()]
        options = Options(
            tags, self.query_one("#add-queue", Checkbox).value, self.query_one("#add-star", Checkbox).value
        )
        refs = [] if is_bibtex(text) else [line.strip() for line in text.splitlines() if line.strip()]
        self.running = True
        self.total = len(refs) or 1
        bar = self.query_one("#add-progress", ProgressBar)
        bar.update(total=self.total, progress=0)
        bar.display = True  # shown only while a look-up runs: an idle bar looked stuck
        self._status(f"Looking up {count_of(self.total, 'reference')}…")
        app = self.app

        def work() -> None:
            worker = get_current_worker()

            def report(outcome: Outcome) -> None:
                if not worker.is_cancelled:
                    app.call_from_thread(self._settled, outcome)

            try:
                with Library(self.library_path) as library:
                    if refs:
                        add_refs(library, refs, options, self.settings, report=report)
                    else:
                        for outcome in add_bibtex(library, text, options, where="the pasted BibTeX"):
                            report(outcome)
            except ReadingListError as exc:
                if not worker.is_cancelled:
                    app.call_from_thread(self._failed, str(exc))
            if not worker.is_cancelled:
                app.call_from_thread(self._finished)

        app.run_worker(work, thread=True, group="capture", description="Adding papers", exit_on_error=False)

    def _settled(self, outcome: Outcome) -> None:
        from readinglist.core.capture.add import ERROR, PENDING

        self.settled += 1
        for note in outcome.notes:  # near-duplicate titles, papers sharing an id: both kept
            self.app.notify(note, title="Kept both", severity="warning", timeout=10, markup=False)
        if outcome.kind == ERROR:
            self.app.notify(outcome.line, title="Not added", severity="error", timeout=10, markup=False)
        elif outcome.paper is not None:
            first = not self.first_shown
            self.first_shown = True
            if not first or outcome.kind == PENDING:
                self.app.notify(outcome.line, title="Added", markup=False)
            self.stored(outcome.paper.id, first)
            if first and not self.closed:
                self._close()
                return
        if not self.closed:
            self.query_one("#add-progress", ProgressBar).update(progress=self.settled)
            self._status(f"{self.settled} of {self.total} done…")

    def _failed(self, message: str) -> None:
        self.app.notify(message, title="Nothing added", severity="error", timeout=10, markup=False)

    def _finished(self) -> None:
        self.running = False
        if not self.closed:
            self._status("Nothing was added; fix the references or esc to close.")

    def _status(self, text: str) -> None:
        self.query_one("#add-status", Label).update(text)

    def action_cancel(self) -> None:
        """Close the dialog; look-ups already started go on and report as notifications."""
        self._close()

    def _close(self) -> None:
        if not self.closed:
            self.closed = True
            self.dismiss(None)

"""The import dialog: files, tags and skip-bad in; a progress bar while it runs; a summary out."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, ProgressBar
from textual.worker import get_current_worker

from readinglist.core.errors import ReadingListError
from readinglist.core.models import ImportReport
from readinglist.core.store import Library
from readinglist.ui.widgets.path_input import PathInput

if TYPE_CHECKING:
    from readinglist.core.importing import ImportProgress


def parse_paths(text: str) -> list[Path]:
    """Paths typed into the dialog: shell-style, so quotes keep spaces in a name."""
    try:
        parts = shlex.split(text)
    except ValueError:  # an unclosed quote: take the text as one name
        parts = [text.strip()] if text.strip() else []
    return [Path(p).expanduser() for p in parts]


IDLE_HINT = "BibTeX, RIS, arXiv JSONL or Atom, our JSON, CSV\ntab completes · enter imports · esc closes"


class ImportDialog(ModalScreen[ImportReport | None]):
    """Import papers from files into the library.

    The import runs in a thread worker on its own connection to the library
    file (a connection belongs to one thread), in one transaction: a bad entry
    leaves the library as it was. Dismisses with the report, or None.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", id="import-close", tooltip="Import dialog: close (when idle)"),
        # Priority: enter imports from any field, the skip-bad switch included (space toggles it).
        Binding(
            "enter",
            "start",
            "Import",
            id="import-run",
            tooltip="Import dialog: import the files",
            priority=True,
        ),
    ]

    def __init__(self, library_path: Path) -> None:
        """Import into the library file at ``library_path``."""
        super().__init__()
        self.library_path = library_path
        self.running = False

    def compose(self) -> ComposeResult:
        """Path, tags, the skip-bad switch, a progress bar and a status line."""
        with Vertical(id="import-box", classes="dialog"):
            yield Label("Import papers", classes="dialog-title")
            yield PathInput(placeholder="files: refs.bib ~/Downloads/arxiv.jsonl …", id="import-paths")
            yield Input(placeholder="tags for every paper (optional): thesis, rag", id="import-tags")
            yield Checkbox("Skip bad entries (and list them)", id="import-skip-bad")
            yield ProgressBar(total=100, show_eta=False, id="import-progress")
            yield Label(
                IDLE_HINT,
                id="import-status",
                markup=False,  # it shows file names
            )

    def on_mount(self) -> None:
        """Start in the path field; the progress bar appears when an import starts."""
        self.query_one("#import-progress", ProgressBar).display = False
        self.query_one("#import-paths", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in either field starts the import (when the priority key did not)."""
        event.stop()
        self.action_start()

    def on_path_input_candidates(self, event: PathInput.Candidates) -> None:
        """Tab found several files: name them in the status line."""
        self._status(event.names)

    def action_start(self) -> None:
        """Start the import of the typed files (nothing while one runs)."""
        if self.running:
            return
        paths = parse_paths(self.query_one("#import-paths", Input).value)
        if not paths:
            self._status("Type the path of at least one file.")
            self.query_one("#import-paths", Input).focus()
            return
        tags = [t.strip() for t in self.query_one("#import-tags", Input).value.split(",") if t.strip()]
        skip_bad = self.query_one("#import-skip-bad", Checkbox).value
        self.running = True
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(progress=0)
        bar.display = True  # shown only while an import runs: an idle 0% bar looked stuck
        self._status("Importing…")
        self._import(paths, tags, skip_bad)

    @work(thread=True, exclusive=True, group="import", description="Importing", exit_on_error=False)
    def _import(self, paths: list[Path], tags: list[str], skip_bad: bool) -> None:
        # Imported in the worker: the import pipeline and every reader are a tenth of a
        # second of the app's start-up otherwise (it loads this module for its key bindings).
        from readinglist.core.importing import import_files

        worker = get_current_worker()

        def progress(p: ImportProgress) -> None:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._progress, p)

        try:
            with Library(self.library_path) as library:
                report = import_files(library, paths, tags=tags, skip_bad=skip_bad, on_progress=progress)
        except ReadingListError as exc:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._failed, str(exc))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._done, report)

    def _progress(self, progress: ImportProgress) -> None:
        bar = self.query_one("#import-progress", ProgressBar)
        if progress.fraction is not None:
            bar.update(progress=round(progress.fraction * 100, 1))
        self._status(f"{progress.path.name}: {progress.done:,} entries read…")

    def _failed(self, message: str) -> None:
        self.running = False
        self.query_one("#import-progress", ProgressBar).display = False
        # The reason stays here, under the fields to fix, not only in a toast that fades.
        self._status(f"Nothing was imported: {message}")
        self.notify(message, title="Import failed", severity="error", timeout=10, markup=False)

    def _done(self, report: ImportReport) -> None:
        self.running = False
        self.query_one("#import-progress", ProgressBar).update(progress=100)
        problems = [*report.notices, *report.skipped, *report.near_duplicates]
        if problems:
            shown = "\n".join(problems[:5]) + (
                f"\n… and {len(problems) - 5} more" if len(problems) > 5 else ""
            )
            # The messages quote titles from the file: never markup.
            self.notify(shown, title="Import notes", severity="warning", timeout=15, markup=False)
        self.notify(report.summary(), title="Imported")
        self.dismiss(report)

    def _status(self, text: str) -> None:
        self.query_one("#import-status", Label).update(text)

    def action_cancel(self) -> None:
        """Close the dialog, unless an import is running (it cannot stop half way)."""
        if self.running:
            self.notify("An import is running; it finishes (or fails) as a whole.", severity="warning")
            return
        self.dismiss(None)

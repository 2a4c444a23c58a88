"""The export dialog: the current view (and search) to a JSON, BibTeX, Markdown or CSV file."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, RadioButton, RadioSet

from readinglist.core.errors import ReadingListError
from readinglist.core.models import View
from readinglist.core.safe_text import pictured
from readinglist.core.store import Library
from readinglist.core.wording import count_of
from readinglist.state import load_state, remember
from readinglist.ui.screens.confirm_replace import ConfirmReplace

EXTENSIONS = {
    "json": "json",
    "bibtex": "bib",
    "markdown": "md",
    "csv": "csv",
    "csl-json": "csl.json",
    "ris": "ris",
}


def default_path(view: View, tag: str | None, fmt: str, folder: Path | None = None) -> Path:
    """``<folder>/readinglist-<view or tag>.<ext>``, in ``~`` unless another folder is given."""
    name = tag.replace("/", "-").replace(" ", "-") if tag else view.value
    return (folder or Path("~")) / f"readinglist-{name}.{EXTENSIONS[fmt]}"


def format_of(name: str) -> str | None:
    """The export format a file name's extension stands for (``x.csl.json`` is CSL JSON), or None."""
    lower = name.strip().lower()
    # Longest extension first: ".csl.json" also ends in ".json".
    for fmt, ext in sorted(EXTENSIONS.items(), key=lambda item: -len(item[1])):
        if lower.endswith("." + ext):
            return fmt
    return None


def with_format(name: str, fmt: str) -> str:
    """``name`` with the extension of ``fmt``: a known extension is swapped, none is added."""
    if (old := format_of(name)) is not None:
        return name.rstrip()[: -len(EXTENSIONS[old])] + EXTENSIONS[fmt]
    if name.strip() and not Path(name.strip()).suffix:
        return name.rstrip() + "." + EXTENSIONS[fmt]
    return name  # an extension of the user's own (.txt): theirs to keep


class ExportDialog(ModalScreen[Path | None]):
    """Export what the list shows: the view, narrowed to the tag and the search if any.

    The export runs in a thread worker on its own connection to the library
    file. Dismisses with the written path, or None.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", id="export-close", tooltip="Export dialog: close"),
    ]

    def __init__(
        self, library_path: Path, view: View, tag: str | None, query: str | None, ids: list[int] | None = None
    ) -> None:
        """Export ``view`` (narrowed to ``tag`` and ``query``), or the papers ``ids`` (the marked ones)."""
        super().__init__()
        self.library_path = library_path
        self.view, self.tag, self.query_text = view, tag, query
        self.ids = ids
        remembered = load_state()
        fmt = remembered.get("export_format", "json")
        self.format = fmt if fmt in EXTENSIONS else "json"
        folder = Path(remembered.get("export_folder", "~"))
        self.folder = folder if folder.expanduser().is_dir() else Path("~")

    def compose(self) -> ComposeResult:
        """What is exported, the format, the file and a hint."""
        # Imported when the dialog opens: every format's writer loads with it, which the
        # app's start-up (it loads this module for its key bindings) need not wait for.
        from readinglist.core import exporter

        what = f"#{self.tag}" if self.tag else self.view.value
        if self.query_text:
            what += f' matching "{self.query_text}"'
        if self.ids is not None:
            what = f"the {count_of(len(self.ids), 'marked paper')}"
        with Vertical(id="export-box", classes="dialog"):
            yield Label(pictured(f"Export {what}"), classes="dialog-title", markup=False)
            with RadioSet(id="export-format"):
                for fmt in exporter.EXPORT_FORMATS:
                    yield RadioButton(fmt, value=fmt == self.format, name=fmt)
            yield Input(str(default_path(self.view, self.tag, self.format, self.folder)), id="export-path")
            yield Label(
                "shift+tab, ↑↓, enter: format · enter in the file name exports · esc closes",
                id="export-status",
            )

    def on_mount(self) -> None:
        """Start in the file name."""
        self.query_one("#export-path", Input).focus()

    @on(RadioSet.Changed)
    def _format_changed(self, event: RadioSet.Changed) -> None:
        self.format = event.pressed.name or "json"
        path_input = self.query_one("#export-path", Input)
        # The extension follows the format (a Markdown file is never written as JSON by mistake).
        if format_of(path_input.value) != self.format:
            path_input.value = with_format(path_input.value, self.format)

    @on(Input.Changed, "#export-path")
    def _name_changed(self, event: Input.Changed) -> None:
        # The format follows a typed extension.
        fmt = format_of(event.value)
        if fmt is not None and fmt != self.format:
            for button in self.query_one("#export-format", RadioSet).query(RadioButton):
                if button.name == fmt:
                    button.value = True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the file name exports."""
        event.stop()
        text = event.value.strip()
        if not text:
            self.query_one("#export-status", Label).update("Type a file name.")
            return
        path = Path(text).expanduser()
        if path.is_file():
            self.app.push_screen(
                ConfirmReplace(path, f"with a {self.format} export"),
                lambda replace: self._confirmed(path, replace),
            )
            return
        self._start(path)

    def _confirmed(self, path: Path, replace: bool | None) -> None:
        if replace:
            self._start(path)
        else:
            self.query_one("#export-status", Label).update("Not replaced; choose another name.")
            self.query_one("#export-path", Input).focus()

    def _start(self, path: Path) -> None:
        self.query_one("#export-status", Label).update("Exporting…")
        self._export(path, self.format)

    @work(thread=True, exclusive=True, group="export", description="Exporting", exit_on_error=False)
    def _export(self, path: Path, fmt: str) -> None:
        from readinglist.core import exporter

        try:
            with Library(self.library_path, create=False) as library:
                count = exporter.export_to_file(
                    library, fmt, path, query=self.query_text, view=self.view, tag=self.tag, ids=self.ids
                )
        except ReadingListError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        remember({"export_format": fmt, "export_folder": str(path.parent)})
        self.app.call_from_thread(self._done, path, count)

    def _failed(self, message: str) -> None:
        self.query_one("#export-status", Label).update("Nothing was written.")
        self.notify(message, title="Export failed", severity="error", timeout=10, markup=False)

    def _done(self, path: Path, count: int) -> None:
        self.notify(f"Exported {count_of(count)} to {path}.", title="Exported", markup=False)
        self.dismiss(path)

    def action_cancel(self) -> None:
        """Close without exporting."""
        self.dismiss(None)

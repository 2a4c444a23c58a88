"""The Textual app: lifecycle, global keys, theme, keymap and the clipboard; no paper logic."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.dom import DOMNode
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import Worker, WorkerState

from readinglist import paths
from readinglist.config import Settings, load_settings, save_theme
from readinglist.core.errors import ReadingListError
from readinglist.core.store import Library
from readinglist.ui.capture_start import refresh_pending_at_start
from readinglist.ui.clipboard import (
    CopyOutcome,
    Paste,
    SystemCopy,
    _system_copy,
    osc52_is_the_channel,
    system_copy_outcome,
    system_paste,
)
from readinglist.ui.commands import ActionCommands, TagViewCommands
from readinglist.ui.gc_pacing import GcPacer
from readinglist.ui.keys import key_rows
from readinglist.ui.screens.main import MainScreen
from readinglist.ui.screens.marking import MarkingScreen
from readinglist.ui.semantic import SemanticModel
from readinglist.ui.toast import toast
from readinglist.ui.widgets.detail_pane import DetailPane
from readinglist.ui.widgets.notes_editor import NotesEditor
from readinglist.ui.widgets.paper_list import PaperList
from readinglist.ui.widgets.search_bar import SearchBar

STYLESHEETS = ("app.tcss", "main.tcss", "dialogs.tcss")
PALETTE_DUPLICATES = frozenset({"Quit", "Keys"})
"""Textual's own palette commands that duplicate the app's ``q`` and ``?`` (listed by ActionCommands)."""


class ReadingListApp(App[int]):
    """The reading list. Build it with :func:`make_app`."""

    TITLE = "readinglist"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", id="help", tooltip="Show every key"),
        Binding(
            "ctrl+p",
            "command_palette",
            "Commands",
            id="command-palette",
            tooltip="Open the command palette: every action by name",
            show=False,
        ),
        Binding("q", "quit", "Quit", id="quit", tooltip="Quit (saving the note first)"),
        Binding(
            "ctrl+q",
            "quit_now",
            "Quit without saving the note",
            id="quit-now",
            tooltip="Quit at once, even if the note cannot be saved",
            show=False,
            priority=True,
        ),
    ]
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = App.COMMANDS | {
        ActionCommands,
        TagViewCommands,
    }
    # Below 100 columns the side pane narrows (styles/main.tcss targets -narrow); from 160 the
    # list widens again so its rows have room for tags (-xwide).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide"), (160, "-xwide")]  # noqa: RUF012 - App declares it so
    # Under 30 rows dialogs drop their spacing (styles/dialogs.tcss targets -short).
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]  # noqa: RUF012 - App declares it so

    def __init__(
        self,
        library: Library,
        settings: Settings,
        *,
        system_copy: SystemCopy = _system_copy,
        refresh_pending: bool = False,
        paste: Paste = system_paste,
    ) -> None:
        """Use ``library`` on the UI thread; workers open their own connection to it.

        ``refresh_pending`` looks papers added offline up in the background at start
        (:func:`run` turns it on; tests leave it off: no network in tests).
        """
        styles = paths.styles_dir()
        super().__init__(css_path=[styles / name for name in STYLESHEETS])
        self.library = library
        self.semantic = SemanticModel(library.path)
        """The embedding model for meaning search, loaded in a worker (searches use it once loaded)."""
        self.index_in_background = False
        """Embed new and changed papers in a worker after start-up (``run`` turns it on; tests may)."""
        self.settings = settings
        self.keymap: dict[str, str] = dict(settings.keymap)
        self._system_copy = system_copy
        self._saved_theme = settings.theme
        self.gc_pacer = GcPacer()
        self.refresh_pending = refresh_pending and settings.capture.get("refresh_at_start", True) is True
        self.system_paste = paste

    @staticmethod
    def binding_sources() -> list[type[DOMNode]]:
        """Every class that declares key bindings, in the order help lists them."""
        # The dialogs load here, not with the app: the first frame needs none of them.
        from readinglist.ui.screens.add_dialog import AddDialog
        from readinglist.ui.screens.confirm_delete import ConfirmDelete
        from readinglist.ui.screens.confirm_replace import ConfirmReplace
        from readinglist.ui.screens.copy_menu import CopyMenu
        from readinglist.ui.screens.export_dialog import ExportDialog
        from readinglist.ui.screens.help import HelpScreen
        from readinglist.ui.screens.import_dialog import ImportDialog
        from readinglist.ui.screens.name_dialog import NameDialog
        from readinglist.ui.screens.related import RelatedScreen
        from readinglist.ui.screens.tag_dialog import TagDialog
        from readinglist.ui.screens.tag_manager import TagManager
        from readinglist.ui.screens.tag_name_dialog import TagNameDialog
        from readinglist.ui.screens.text_dialog import TextDialog
        from readinglist.ui.widgets.path_input import PathInput

        return [
            ReadingListApp,
            MainScreen,
            MarkingScreen,
            PaperList,
            DetailPane,
            NotesEditor,
            SearchBar,
            TagDialog,
            CopyMenu,
            TextDialog,
            ImportDialog,
            PathInput,
            ExportDialog,
            AddDialog,
            NameDialog,
            ConfirmReplace,
            ConfirmDelete,
            TagManager,
            TagNameDialog,
            HelpScreen,
            RelatedScreen,
        ]

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's palette commands, less those the app has its own key for (one Quit, one help)."""
        for command in super().get_system_commands(screen):
            if command.title not in PALETTE_DUPLICATES:
                yield command

    def get_default_screen(self) -> Screen[None]:
        """The main screen."""
        return MainScreen()

    def on_mount(self) -> None:
        """Apply the theme and keymap from the config."""
        if self.settings.theme:
            if self.settings.theme in self.available_themes:
                self.theme = self.settings.theme
            else:
                self.notify(f"Unknown theme {self.settings.theme!r} in the config; using the default.")
        self.set_keymap(self.keymap)
        # Checked after the first frame: it loads every dialog (for their bindings).
        self.call_after_refresh(self._check_keymap)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        # After the first frame, so what start-up built is frozen with the rest.
        self.call_after_refresh(self.gc_pacer.start, self, self._searching)
        if self.refresh_pending and self.library.read_only is None:
            self.call_after_refresh(refresh_pending_at_start, self)
        if self.library.read_only is not None:
            self.sub_title = "read-only"
            # The reason holds a path: never read it as markup.
            self.notify(
                f"{self.library.read_only}. Browsing, search and export work; changes are refused.",
                title="Read-only",
                severity="warning",
                timeout=15,
                markup=False,
            )

    def _check_keymap(self) -> None:
        """Warn about keymap entries that name no binding (a typo in the config)."""
        known_ids = {row.binding_id for row in key_rows(self.binding_sources())}
        unknown = sorted(set(self.keymap) - known_ids)
        if unknown:
            self.notify(f"Keymap: no binding with id {', '.join(unknown)}", severity="warning")

    def _searching(self) -> bool:
        """Whether a worker is loading rows (the pacer holds collections back meanwhile)."""
        return any(worker.group == "rows" and not worker.is_finished for worker in self.workers)

    @property
    def last_key_at(self) -> float:
        """When the last key arrived (``time.monotonic``): work that can wait waits for a quiet keyboard."""
        return self.gc_pacer.last_key_at

    async def on_event(self, event: events.Event) -> None:
        """Note each key (for the garbage-collector pacer and the reading ahead) before it is handled."""
        if isinstance(event, events.Key):
            self.gc_pacer.key_pressed()
        await super().on_event(event)

    def _theme_changed(self, theme: Theme) -> None:
        # Remember a theme picked from the palette in config.toml.
        if theme.name == self._saved_theme or self.settings.path is None:
            return
        try:
            save_theme(self.settings.path, theme.name)
        except ReadingListError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self._saved_theme = theme.name

    def copy(self, text: str, what: str) -> None:
        """Copy ``text``: OSC 52 at once, then the system clipboard in a thread, then say where it went."""
        # OSC 52 always: free, and the only route that works over SSH and in tmux.
        self.copy_to_clipboard(text)
        self._copy_to_system(text, what)

    @work(thread=True, group="clipboard", description="Copying", exit_on_error=False)
    def _copy_to_system(self, text: str, what: str) -> None:
        outcome = system_copy_outcome(text, self._system_copy)
        self.call_from_thread(self._report_copy, text, what, outcome)

    def _report_copy(self, text: str, what: str, outcome: CopyOutcome) -> None:
        if outcome is CopyOutcome.SYSTEM:
            toast(self, f"Copied the {what}")
            return
        if osc52_is_the_channel() or not self.settings.copy_select_dialog:
            # In tmux or over SSH the terminal escape is the one channel: no dialog to dismiss.
            toast(self, f"Sent the {what} to the terminal clipboard (OSC 52)")
            return
        toast(
            self, f"Sent the {what} to the terminal clipboard (OSC 52); select it below if it did not arrive"
        )
        from readinglist.ui.screens.text_dialog import TextDialog

        self.push_screen(TextDialog(f"Copy the {what}", text))

    def action_help(self) -> None:
        """Show every key."""
        from readinglist.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(key_rows(self.binding_sources(), self.keymap)))

    async def action_quit(self) -> None:
        """Save the note being edited, then quit (stay if it cannot be saved)."""
        for notes in self.query(NotesEditor):
            if not notes.save_all():
                self.notify("The note could not be saved; ctrl+q quits anyway.", severity="error")
                return
        self.exit(0)

    def action_quit_now(self) -> None:
        """Quit at once: the note is saved if it can be, but a failure does not keep the app open."""
        for notes in self.query(NotesEditor):
            notes.save_all()
        self.exit(0)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Report a worker that failed instead of crashing the app."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            message = f"{event.worker.description} failed: {event.worker.error}"
            self.notify(message, severity="error", markup=False)

    def on_unmount(self) -> None:
        """Close the library and give the garbage collector back (the rows loader closes its own)."""
        self.gc_pacer.stop()
        self.semantic.close()
        self.library.close()


def make_app(
    library_path: Path,
    settings: Settings,
    *,
    system_copy: SystemCopy = _system_copy,
    refresh_pending: bool = False,
) -> ReadingListApp:
    """Open the library and build the app; used by :func:`run` and the tests.

    Raises:
        LibraryError: if the library cannot be opened.
    """
    library = Library(library_path, keep_backups=settings.backups_keep)
    return ReadingListApp(library, settings, system_copy=system_copy, refresh_pending=refresh_pending)


def run(db_path: Path) -> int:
    """Run the full-screen app on ``db_path`` and return the exit status."""
    try:
        settings = load_settings(paths.config_path())
        app = make_app(db_path, settings, refresh_pending=True)
    except ReadingListError as exc:
        print(f"readinglist: {exc}", file=sys.stderr)
        return 1
    app.index_in_background = True
    app.run()
    return app.return_code or 0

"""The main screen's ways papers come in and go out: import, add by reference, export.

A mixin of :class:`~readinglist.ui.screens.main.MainScreen`, kept apart so that
each module stays small; it only uses what a marking list screen has.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Input

from readinglist.core.models import ImportReport, View
from readinglist.ui.widgets.search_bar import SearchBar

if TYPE_CHECKING:
    from readinglist.ui.screens.marking import MarkingScreen

    _Base = MarkingScreen
else:
    _Base = object


class TransferActions(_Base):
    """Import, add and export for the main screen; new papers are shown and highlighted."""

    _select_after: int | None = None
    """A paper to highlight once the reloading rows land (see ``MainScreen.rows_shown``)."""

    def action_import_papers(self) -> None:
        """Import papers from files, with a progress bar; the list reloads afterwards."""
        from readinglist.ui.screens.import_dialog import ImportDialog

        def imported(report: ImportReport | None) -> None:
            if report is not None and report.added_ids:
                self.show_new_papers(report.added_ids)
            elif report is not None:
                self.reload(keep_cursor=True)

        self.app.push_screen(ImportDialog(self.rl_app.library.path), imported)

    def action_add_papers(self) -> None:
        """Add papers by reference in a dialog; the first one stored is highlighted."""
        from readinglist.ui.capture_start import app_capture_settings
        from readinglist.ui.screens.add_dialog import AddDialog

        app = self.rl_app
        settings = app_capture_settings(app)
        self.app.push_screen(AddDialog(app.library.path, settings, self.paper_stored, app.system_paste))

    def paper_stored(self, paper_id: int, first: bool) -> None:
        """Show a paper just added: the first one highlighted in the All view, later ones listed."""
        if first:
            self.show_new_papers([paper_id])
        else:
            self.reload(keep_cursor=True)

    def show_new_papers(self, ids: list[int]) -> None:
        """Show all papers, unsearched, with the cursor on the first of ``ids`` (just imported)."""
        self._select_after = ids[0]
        self.view, self.tag = View.ALL, None
        self.refresh_bindings()
        search = self.query_one(SearchBar)
        if search.value.strip():
            search.clear_query()  # its change reloads the list
        else:
            self.reload()

    def action_export_view(self) -> None:
        """Export the papers this view (and search) shows to a file."""
        from readinglist.ui.screens.export_dialog import ExportDialog

        query = self.query_one("#search", Input).value.strip() or None
        ids = self.marked_ids() if self.marks else None  # with marks: the marked papers
        self.app.push_screen(ExportDialog(self.rl_app.library.path, self.view, self.tag, query, ids))

"""Editing (``E``) and deleting (``D``) the highlighted paper, kept out of the main screen's module."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import SuspendNotSupported

from readinglist.core.errors import ReadingListError
from readinglist.core.models import Paper
from readinglist.core.wording import count_of
from readinglist.ui.widgets.paper_list import PaperList

if TYPE_CHECKING:
    from readinglist.ui.screens.main import MainScreen


def edit_paper(screen: MainScreen, paper: Paper) -> None:
    """Edit ``paper``'s fields in ``$VISUAL``/``$EDITOR`` as a TOML document, with the app suspended.

    A value that does not parse reopens the editor with the error on top;
    quitting without saving changes nothing. Where the terminal cannot be
    handed over (the web), it says so and changes nothing.
    """
    from readinglist.paper_editor import edit_fields

    library = screen.rl_app.library
    if (read_only := library.read_only) is not None:
        # Refused before the editor opens: nothing typed there could be saved.
        screen.notify(read_only, title="Not saved", severity="error", markup=False)
        return
    try:
        with screen.app.suspend():
            changed = edit_fields(paper)
    except SuspendNotSupported:
        screen.notify(
            "This terminal cannot hand over to $EDITOR: use `readinglist edit`.", severity="warning"
        )
        return
    except ReadingListError as exc:
        screen.notify(str(exc), title="Not saved", severity="error", markup=False)
        return
    if not changed:
        screen.notify("Paper unchanged.")
        return
    try:
        library.edit(paper.id, changed, base=paper)
    except ReadingListError as exc:
        screen.notify(str(exc), title="Not saved", severity="error", markup=False)
        return
    screen.query_one(PaperList).invalidate(paper.id)
    screen.reload(keep_cursor=True)  # the title or year may move it in the list
    screen.notify(f"Saved: {', '.join(changed)}.")


def delete_papers(screen: MainScreen, papers: list[Paper]) -> None:
    """Ask, naming the paper (or the count), then delete ``papers`` in one transaction."""
    from readinglist.ui.screens.confirm_delete import ConfirmDelete

    def answered(yes: bool | None) -> None:
        if not yes:
            return
        try:
            screen.rl_app.library.delete_many([p.id for p in papers])
        except ReadingListError as exc:
            screen.notify(str(exc), title="Not deleted", severity="error", markup=False)
            return
        for paper in papers:
            screen.query_one(PaperList).invalidate(paper.id)
        screen.clear_marks()
        screen.reload(keep_cursor=True)
        count = len(papers)
        screen.notify(f"Deleted {count_of(count)}.", markup=False)

    screen.app.push_screen(ConfirmDelete([p.title for p in papers]), answered)

"""The three papers most like the highlighted one, under its details: enter jumps to one."""

from __future__ import annotations

from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from readinglist.core.models import Paper
from readinglist.core.safe_text import visible

SHOWN = 3


class RelatedPane(OptionList):
    """A short list of related papers (filled by the screen's worker)."""

    class Jump(Message):
        """The user chose a related paper."""

        def __init__(self, paper_id: int) -> None:
            super().__init__()
            self.paper_id = paper_id

    def __init__(self, *, id: str | None = None) -> None:
        """Empty until :meth:`show` is called."""
        super().__init__(id=id, markup=False)
        self.for_paper: int | None = None

    def show(self, for_paper: int | None, papers: list[Paper], note: str = "") -> None:
        """List ``papers`` as related to ``for_paper`` (or ``note`` when there are none)."""
        self.for_paper = for_paper
        self.clear_options()
        if papers:
            self.add_options([Option(visible(p.title), id=str(p.id)) for p in papers[:SHOWN]])
        elif note:
            self.add_option(Option(note, disabled=True))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a related paper jumps to it."""
        event.stop()
        if event.option.id:
            self.post_message(self.Jump(int(event.option.id)))

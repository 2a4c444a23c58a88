"""The details of the highlighted paper: metadata, numbered links and the abstract."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from readinglist.core import links
from readinglist.core.models import Paper
from readinglist.core.safe_text import linkable, pictured
from readinglist.core.search.results import Span

_MATCH = "bold reverse"


def paper_links(paper: Paper) -> list[str]:
    """The paper's links for the details pane: primary first, then code, then the rest."""
    rest = [u for u in paper.links if u != paper.primary_link]
    code = [u for u in rest if links.is_code_link(u)]
    return [paper.primary_link, *code, *(u for u in rest if u not in code)]


TITLE_SEARCH_LABEL = "arXiv title search"
"""Shown instead of the long search URL of a paper without an arXiv id, DOI or URL."""


def link_label(paper: Paper, url: str) -> str:
    """How a link reads in the pane: the URL, or a short label for the built title search.

    The title search URL repeats the whole title, escaped: four lines at 80
    columns that pushed the abstract out of sight. ``o`` and ``y`` still use the URL.
    """
    if url == links.title_search_url(paper.title):
        return TITLE_SEARCH_LABEL
    return pictured(url)


def detail_text(paper: Paper, spans: dict[str, list[Span]] | None = None) -> Text:
    """The rich text shown for ``paper``, with matched ranges highlighted.

    Every field comes from an imported file: it is added as plain text, never
    as markup or a style string, and its control characters are pictured
    (:func:`~readinglist.core.safe_text.pictured`) so none reaches the terminal.
    """
    spans = spans or {}
    text = Text()
    title = Text(pictured(paper.title), style="bold")
    for s, e in spans.get("title", ()):
        title.stylize(_MATCH, s, e)
    text.append_text(title)
    text.append("\n")
    if paper.authors:
        text.append(pictured(", ".join(paper.authors)), style="italic")
        text.append("\n")
    if paper.venue:
        text.append(pictured(paper.venue) + "\n")
    facts: list[str] = []
    if paper.date or paper.year:
        facts.append(pictured(str(paper.date or paper.year)))
    state = paper.status.value
    if paper.queue_position is not None:
        state += f" · queue #{paper.queue_position}"
    facts.append(state)
    if paper.starred:
        facts.append("★ starred")
    if paper.pending is not None:
        facts.append("⋯ pending: not looked up yet (readinglist refresh)")
    text.append(" · ".join(facts), style="dim")
    text.append("\n")
    if paper.tags:
        text.append("Tags: ")
        text.append(pictured(" ".join(f"#{t}" for t in paper.tags)), style="bold")
        text.append("\n")
    ids = [f"arXiv:{paper.arxiv_id}" if paper.arxiv_id else "", f"doi:{paper.doi}" if paper.doi else ""]
    ids.append(f"key:{paper.key}" if paper.key else "")
    if any(ids):
        text.append(pictured("Ids: " + "  ".join(i for i in ids if i)) + "\n", style="dim")
    for number, url in enumerate(paper_links(paper), start=1):
        text.append(f"[{number}] ", style="dim")
        # A Style object: a style *string* parsed the URL as style words, and one
        # with a space in it crashed every start. A URL that could break out of
        # the terminal's hyperlink sequence is shown without the link.
        text.append(link_label(paper, url), style=Style(underline=True, link=url if linkable(url) else None))
        text.append("\n")
    if paper.abstract:
        abstract = Text(pictured(paper.abstract, multiline=True))
        for s, e in spans.get("abstract", ()):
            abstract.stylize(_MATCH, s, e)
        text.append("\n")
        text.append_text(abstract)
    return text


class DetailPane(VerticalScroll, can_focus=True):
    """A scrollable read-only view of one paper."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "j", "scroll_down", "Scroll down", id="details-down", tooltip="Details: scroll down", show=False
        ),
        Binding("k", "scroll_up", "Scroll up", id="details-up", tooltip="Details: scroll up", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        """An empty pane."""
        super().__init__(id=id)
        self._shown: tuple[Paper | None, dict[str, list[Span]] | None] | None = None

    def compose(self) -> ComposeResult:
        """One Static holds the whole text; scrolling is the container's."""
        yield Static("", id="detail-body")

    def show(self, paper: Paper | None, spans: dict[str, list[Span]] | None = None) -> None:
        """Show ``paper`` (or a hint when nothing is highlighted) and scroll to its top.

        The same paper with the same highlights is left as it is: typing on
        often keeps the best hit, and laying out its abstract again costs a
        frame's worth of work that the next key would wait for.
        """
        if self._shown == (paper, spans):
            return
        self._shown = (paper, spans)
        body = self.query_one("#detail-body", Static)
        if paper is None:
            body.update(Text("No paper selected.", style="dim"))
        else:
            body.update(detail_text(paper, spans))
        self.scroll_home(animate=False)

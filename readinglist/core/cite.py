"""Ways to cite one paper: the texts the TUI's copy menu offers."""

from __future__ import annotations

from readinglist.core import links
from readinglist.core.formats import bibtex
from readinglist.core.models import Paper


def markdown_link(paper: Paper) -> str:
    """``[title](primary link)``, with the brackets in the title escaped."""
    title = paper.title.replace("[", r"\[").replace("]", r"\]")
    return f"[{title}]({paper.primary_link})"


def code_link(paper: Paper) -> str | None:
    """The first code or model link found in the abstract, if any."""
    return next((url for url in paper.links if links.is_code_link(url)), None)


def bibtex_entry(paper: Paper) -> str:
    """One BibTeX entry for the paper, written exactly as ``export --format bibtex`` does."""
    return bibtex.entry_for(paper)

"""What the command modules share: the usage error, how papers are printed, ``--view``.

Kept apart from :mod:`readinglist.cli` (the dispatch), which imports the
command modules: they import these from here, not from it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from readinglist.core.models import Paper, View, paper_to_dict
from readinglist.core.safe_text import json_visible, visible
from readinglist.core.tag_admin import shown

if TYPE_CHECKING:
    from readinglist.core.store import Library


class UsageError(Exception):
    """A mistake in how a command was called (exit status 2)."""


def line(paper: Paper) -> str:
    """A paper as one line of plain output: id, star, queue place or status, title and tags."""
    star = "*" if paper.starred else " "
    if paper.queue_position is not None:
        mark = f"q{paper.queue_position}"
    else:
        mark = {"unread": "", "reading": "reading", "read": "read"}.get(paper.status.value, "")
    # A tag with a space is quoted (#"machine learning"): its words stay one tag.
    tags = "  " + " ".join(f"#{shown(t)}" for t in paper.tags) if paper.tags else ""
    # Imported text reaches the terminal: no control character goes out raw.
    return visible(f"{paper.id:>6} {star} {mark:<7} {paper.title}{tags}")


def print_papers(papers: Sequence[Paper], as_json: bool) -> None:
    """Print papers one :func:`line` each, or as a JSON list (``--json``)."""
    if as_json:
        print(json_visible(json.dumps([paper_to_dict(p) for p in papers], ensure_ascii=False, indent=2)))
        return
    for paper in papers:
        print(line(paper))


def detail(paper: Paper) -> str:
    """A paper in full, as ``readinglist show`` prints it."""
    # Imported text reaches the terminal: no control character goes out raw, and
    # only the abstract and the note may span lines.
    lines = [f"[{paper.id}] {visible(paper.title)}"]
    if paper.authors:
        lines.append("Authors: " + visible(", ".join(paper.authors)))
    if paper.venue:
        lines.append("Venue:   " + visible(paper.venue))
    if paper.year or paper.date:
        lines.append(f"Date:    {visible(str(paper.date or paper.year))}")
    state = paper.status.value + (f" (queue #{paper.queue_position})" if paper.in_queue else "")
    lines.append(f"Status:  {state}{'  starred' if paper.starred else ''}")
    if paper.tags:
        lines.append("Tags:    " + visible(", ".join(paper.tags)))
    ids = [f"arXiv:{paper.arxiv_id}" if paper.arxiv_id else "", f"doi:{paper.doi}" if paper.doi else ""]
    ids.append(f"key:{paper.key}" if paper.key else "")
    if any(ids):
        lines.append("Ids:     " + visible("  ".join(i for i in ids if i)))
    if paper.pending is not None:
        lines.append(f'Pending: not looked up yet ({visible(paper.pending)}); see "readinglist refresh"')
    lines.append(f"Link:    {visible(paper.primary_link)}")
    lines.extend(f"  [{n}] {visible(url)}" for n, url in enumerate(paper.links, start=1))
    lines += ["", visible(paper.abstract, multiline=True)]
    if paper.notes:
        lines += ["", "Notes:", visible(paper.notes, multiline=True)]
    return "\n".join(lines)


def view_arg(name: str, library: Library) -> tuple[View, str | None, str | None]:
    """A ``--view`` value: a built-in view, or a saved search's view, query and tag."""
    from readinglist.core.saved_views import resolve

    return resolve(library, name)

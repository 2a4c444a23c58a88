"""A Markdown reading list: grouped by status, the queue in order, with links, tags and notes.

Export only: it is written for people (a lab wiki, a message to a colleague),
not to be read back; use the JSON export for that.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from readinglist.core.formats import Format, register
from readinglist.core.models import Paper, Status

# Section order: what to read next first, what is done last.
_SECTIONS = (
    ("queue", "Reading queue"),
    (Status.READING.value, "Reading"),
    (Status.UNREAD.value, "To read"),
    (Status.QUEUED.value, "Queued"),
    (Status.READ.value, "Read"),
)


def _escape(text: str) -> str:
    """Keep a title from being read as Markdown (brackets would break the link)."""
    for ch in "\\[]*_`<>":
        text = text.replace(ch, "\\" + ch)
    return text


def _item(paper: Paper, numbered: int | None) -> str:
    bullet = f"{numbered}." if numbered is not None else "-"
    parts = [f"{bullet} [{_escape(paper.title)}]({paper.primary_link})"]
    meta = []
    if paper.authors:
        shown = ", ".join(paper.authors[:3]) + (" et al." if len(paper.authors) > 3 else "")
        meta.append(_escape(shown))
    if paper.year:
        meta.append(str(paper.year))
    if meta:
        parts.append(" — " + ", ".join(meta))
    if paper.starred:
        parts.append(" ★")
    if paper.tags:
        parts.append("  " + " ".join(f"`#{t}`" for t in paper.tags))
    lines = ["".join(parts)]
    if paper.notes.strip():
        indent = "   " if numbered is not None else "  "
        lines.append("")
        lines.extend(f"{indent}> {ln}".rstrip() for ln in paper.notes.strip().splitlines())
        lines.append("")
    return "\n".join(lines)


def _section(paper: Paper) -> str:
    return "queue" if paper.queue_position is not None else paper.status.value


def write(papers: Iterable[Paper], stream: TextIO) -> None:
    """Write ``papers`` as a Markdown reading list.

    The papers are grouped into sections (queue, reading, to read, read); the
    queue is numbered in queue order, other sections keep the order given.
    """
    groups: dict[str, list[Paper]] = {key: [] for key, _ in _SECTIONS}
    total = 0
    for paper in papers:
        groups[_section(paper)].append(paper)
        total += 1
    groups["queue"].sort(key=lambda p: p.queue_position or 0)
    stream.write(f"# Reading list\n\n{total} paper{'s' if total != 1 else ''}.\n")
    for key, heading in _SECTIONS:
        items = groups[key]
        if not items:
            continue
        stream.write(f"\n## {heading} ({len(items)})\n\n")
        for n, paper in enumerate(items, start=1):
            stream.write(_item(paper, n if key == "queue" else None) + "\n")


def sniff(head: str, path: Path) -> bool:
    """Markdown is never detected on import: it cannot be read back."""
    return False


FORMAT = register(
    Format(
        name="markdown",
        description="Markdown reading list grouped by status (export only)",
        sniff=sniff,
        write=write,
        extensions=(".md",),
    )
)

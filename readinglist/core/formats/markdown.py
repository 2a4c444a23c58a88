"""A Markdown reading list: grouped by status, the queue in order, with links, tags and notes.

Export only: it is written for people (a lab wiki, a message to a colleague),
not to be read back; use the JSON export for that.

The file is safe to render whatever the papers hold: links point only at
``http(s)``, ``doi:`` and ``arxiv:`` targets (any other link is written as
plain text), titles and names are escaped so they cannot open a link, an
image or HTML, and tags sit in code spans they cannot close. Notes stay
Markdown, but a link, reference or HTML tag in them that points anywhere
else is escaped and shows as text, and an image becomes a link to it (so
opening the file loads nothing).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from readinglist.core.formats import Format, register
from readinglist.core.models import Paper, Status
from readinglist.core.wording import count_of

# Section order: what to read next first, what is done last.
_SECTIONS = (
    ("queue", "Reading queue"),
    (Status.READING.value, "Reading"),
    (Status.UNREAD.value, "To read"),
    (Status.QUEUED.value, "Queued"),
    (Status.READ.value, "Read"),
)


# Control characters (ESC would reach the terminal of whoever runs `cat` on the file).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPECIALS = re.compile(r"[\\`*_{}\[\]()<>#+!|~&]")
_SAFE_TARGET = re.compile(r"(?:https?://|doi:|arxiv:)\S", re.IGNORECASE)
# In notes: the target after "](" of an inline link or image, a reference
# definition ("[x]: target") and anything that opens an autolink or HTML ("<a", "</", "<!").
_INLINE_TARGET = re.compile(r"\]\(\s*<?([^\s)>]*)")
_REFERENCE = re.compile(r"^(\s{0,3})\[([^\]]*)\]:\s*<?(\S*)")
_ANGLE = re.compile(r"<(?=[A-Za-z/!?])([^>\s]*)")


def _escape(text: str) -> str:
    """Plain text as Markdown: on one line, without control characters, markup characters escaped."""
    return _SPECIALS.sub(lambda m: "\\" + m.group(0), " ".join(_CONTROL.sub(" ", text).split()))


def safe_target(url: str) -> str | None:
    """``url`` ready for a link target, or None if it is not an http(s), doi: or arxiv: link.

    Characters that would end the target early (spaces, parentheses, angle
    brackets, controls) are percent-encoded.
    """
    url = url.strip()
    if not _SAFE_TARGET.match(url):
        return None
    return "".join(_percent(ch) if _breaks_target(ch) else ch for ch in url)


def _breaks_target(ch: str) -> bool:
    return ch in '()<>[]`"\\' or ch.isspace() or unicodedata.category(ch)[0] == "C"


def _percent(ch: str) -> str:
    return "".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass"))


def _code(text: str) -> str:
    """``text`` as a code span, fenced with more backticks than it holds in a row."""
    text = " ".join(_CONTROL.sub(" ", text).split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text[:1] == "`" or text[-1:] == "`" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _note_line(line: str) -> str:
    """A line of a note with every link, image, reference or HTML tag to an unsafe target escaped."""
    line = _CONTROL.sub(" ", line)
    ref = _REFERENCE.match(line)
    if ref and safe_target(ref.group(3)) is None:
        line = f"{ref.group(1)}\\[{line[ref.end(1) + 1 :]}"
    # An image would load as the page opens (a tracking pixel): keep it a plain link.
    line = line.replace("![", "!\\[")
    line = _INLINE_TARGET.sub(
        lambda m: m.group(0) if safe_target(m.group(1)) else "]\\(" + m.group(0)[2:], line
    )
    return _ANGLE.sub(lambda m: m.group(0) if safe_target(m.group(1)) else "\\" + m.group(0), line)


def _item(paper: Paper, numbered: int | None) -> str:
    bullet = f"{numbered}." if numbered is not None else "-"
    target = safe_target(paper.primary_link)
    if target is not None:
        parts = [f"{bullet} [{_escape(paper.title)}]({target})"]
    else:
        parts = [f"{bullet} {_escape(paper.title)} ({_escape(paper.primary_link)})"]
    meta = []
    if paper.authors:
        shown = ", ".join(paper.authors[:3]) + (" et al." if len(paper.authors) > 3 else "")
        meta.append(_escape(shown))
    if paper.venue:
        meta.append(f"*{_escape(paper.venue)}*")
    if paper.year:
        meta.append(str(paper.year))
    if meta:
        parts.append(" — " + ", ".join(meta))
    if paper.starred:
        parts.append(" ★")
    if paper.tags:
        parts.append("  " + " ".join(_code(f"#{t}") for t in paper.tags))
    lines = ["".join(parts)]
    if paper.notes.strip():
        indent = "   " if numbered is not None else "  "
        lines.append("")
        lines.extend(f"{indent}> {_note_line(ln)}".rstrip() for ln in paper.notes.strip().splitlines())
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
    stream.write(f"# Reading list\n\n{count_of(total)}.\n")
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

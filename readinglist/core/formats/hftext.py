"""The Hugging Face "trending papers" text layout the bundled sample uses.

Header lines (``Get trending papers…``), then one title line and one abstract
line per paper. The first title is glued to the word ``Subscribe``. Blank
lines, trailing spaces, CRLF and a byte-order mark are tolerated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from readinglist.core.errors import FormatError
from readinglist.core.formats import Format, register
from readinglist.core.formats.textio import iter_lines
from readinglist.core.models import PaperDraft

HEADER_PREFIX = "Get trending papers"
GLUE = "Subscribe"
# Titles in real listings are short; a "title" this long is an abstract that
# slid into the title slot because a paper above it lost its abstract.
MAX_TITLE_CHARS = 400


def sniff(head: str, path: Path) -> bool:
    """Whether ``head`` looks like the trending-papers layout."""
    first = [ln.strip() for ln in head.splitlines() if ln.strip()][:4]
    if not first:
        return False
    return first[0].startswith(HEADER_PREFIX) or first[0].startswith(GLUE)


def read(path: Path) -> Iterator[PaperDraft]:
    """Yield one draft per title/abstract pair in ``path``.

    Raises:
        FormatError: for a title with no abstract, an over-long title, or
            unreadable input; the message names the file and line.
    """
    title: tuple[int, str] | None = None
    seen_body = False
    for number, raw in iter_lines(path):
        line = raw.strip()
        if not line:
            continue
        if not seen_body and line.startswith(HEADER_PREFIX):
            continue
        if not seen_body and line.startswith(GLUE):
            line = line[len(GLUE) :].strip()
        seen_body = True
        if title is None:
            if len(line) > MAX_TITLE_CHARS:
                raise FormatError(
                    str(path), number, "expected a title, found a paragraph (missing abstract above?)"
                )
            title = (number, _squash(line))
            continue
        yield PaperDraft(title=title[1], abstract=line, line=title[0])
        title = None
    if title is not None:
        raise FormatError(str(path), title[0], f"title with no abstract: {title[1][:60]!r}")
    if not seen_body:
        raise FormatError(str(path), 1, "no papers found")


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


FORMAT = register(
    Format(
        name="hf-text",
        description="trending-papers text: a title line then an abstract line per paper",
        sniff=sniff,
        read=read,
        extensions=(".txt",),
    )
)

"""Where a BibTeX file may be cut into parts read by two processes, and the ``@string`` macros a part leaves.

The reader (:func:`~readinglist.core.formats.bibtex.read`) parses a file in
chunks that start at every ``CHUNK_ENTRIES``-th line that starts an entry;
``@string`` macros carry over from chunk to chunk. Parts cut at those same
lines are chunked exactly as the whole file is, so reading the parts one after
the other (and the process that skips a part taking in its macros) gives what
reading the file gives. These functions find those lines in text the way the
reader does: by lines (ending at LF, CRLF or CR) that match its
entry-start pattern.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

ENTRY_START = re.compile(r"\s*@\s*[A-Za-z]+\s*[{(]")
"""A line that starts an entry, as the reader sees it (matched at the line's start)."""
_STRING_HEAD = re.compile(r"\s*@\s*string\s*[{(]", re.IGNORECASE)
_STRING_ANYWHERE = re.compile(r"@\s*string\s*[{(]", re.IGNORECASE)


def entry_starts(text: str, entry_start: re.Pattern[str] = ENTRY_START) -> Iterator[int]:
    """The offsets of the lines of ``text`` (whole lines) that start an entry, as the reader sees them.

    Only lines holding an ``@`` can, and most lines hold none: the search goes
    from ``@`` to ``@`` at C speed. Lines end at LF, CRLF or CR.
    """
    # The searches stay within the line: one to the end of the text for each "@" made this quadratic.
    cr = "\r" in text
    at = text.find("@")
    while at >= 0:
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        if end < 0:
            end = len(text)
        if cr:
            start = max(start, text.rfind("\r", start, at) + 1)
            if (ret := text.find("\r", at, end)) >= 0:
                end = ret
        if entry_start.match(text, start, end):
            yield start
        at = text.find("@", end)


def cut(text: str, before: int, chunk: int) -> tuple[int, int]:
    """The last offset in ``text`` where the reader starts a chunk, and how many entries start before it.

    ``before`` entries came before ``text`` in the file; a chunk starts at
    every entry whose index (from 0) is a multiple of ``chunk``. Returns
    ``(0, 0)`` when no chunk starts in ``text`` after its first character.
    """
    found = (0, 0)
    for count, start in enumerate(entry_starts(text)):
        index = before + count
        # Not at the first entry: the first chunk also holds what comes before it.
        if index and index % chunk == 0 and start > 0:
            found = (start, count)
    return found


def string_runs(text: str, chunk: int) -> list[str]:
    """The ``@string`` definitions of ``text`` (a part that starts a chunk), one text per chunk holding any.

    Each definition runs from its line to the next entry's; parsed a chunk at
    a time, in order, they define the macros the reader would have.
    """
    if not _STRING_ANYWHERE.search(text):  # most parts define no macro
        return []
    starts = list(entry_starts(text))
    runs: dict[int, list[str]] = {}
    for count, start in enumerate(starts):
        if _STRING_HEAD.match(text, start):
            end = starts[count + 1] if count + 1 < len(starts) else len(text)
            runs.setdefault(count // chunk, []).append(text[start:end])
    return ["".join(parts) for _, parts in sorted(runs.items())]

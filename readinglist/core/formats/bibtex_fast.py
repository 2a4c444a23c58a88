"""Splitting plain BibTeX entries without bibtexparser: the shape reference managers and generators write.

bibtexparser's splitter walks a file mark by mark in Python, about 70% of a
BibTeX import once LaTeX decoding stopped dominating. Most files are a run of
entries such as::

    @article{key,
      title = {{A Title}},
      year = {2015},
    }

:func:`entries` reads a chunk of such entries with a few regular expressions
and returns what bibtexparser (with the reader's middlewares) would: the same
entry types, keys, field names and values, and start lines. Anything else in
the chunk (a comment or ``@string``, a quoted or macro value, ``#``, a month,
a repeated key or field, a brace that does not close) makes it return None,
and the chunk goes to bibtexparser as before. A differential test compares the
two on the fixtures and on generated files.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bibtexparser.model import Entry, Field

# ``@type{key,`` then the end of the line; a lowercase type as bibtexparser reports it.
_ENTRY = re.compile(r"@([a-z]+)\{([^\s,{}()=\"#%'~\\@]+),[ \t]*\n")
# ``name = {`` or ``name = 123``; names are lowercased, as the reader's key middleware does.
_FIELD = re.compile(r"[ \t]*([A-Za-z][A-Za-z0-9_]*)[ \t]*=[ \t]*(?:(\{)|(\d+))")
_AFTER_VALUE = re.compile(r"[ \t]*(,?)[ \t]*\n")
_ENTRY_END = re.compile(r"[ \t]*\}[ \t]*(?:\n|$)")
_BLANK = re.compile(r"\s*")
# Braces as bibtexparser's splitter counts them: one after a backslash does not count.
_BRACE = re.compile(r"(?<!\\)[{}]")
# What bibtexparser takes for the start of a block, even inside a value.
_BLOCK_START = re.compile(r"@\w*[ \t]*[{(]")
_SKIP = frozenset(("comment", "preamble", "string"))


def entries(text: str) -> list[Entry] | None:
    """The entries of ``text`` as bibtexparser would give them, or None if it holds anything else.

    Args:
        text: A chunk of a BibTeX file, after the reader's keyless-entry fix.

    Returns:
        The entries in order, each with its ``start_line`` (0-based, in ``text``).
    """
    out: list[Entry] = []
    keys: set[str] = set()
    at = _BLANK.match(text).end()  # type: ignore[union-attr]
    line = text.count("\n", 0, at)
    end = len(text)
    while at < end:
        head = _ENTRY.match(text, at)
        if head is None:
            return None
        entry_type, key = head.groups()
        if entry_type in _SKIP or key in keys:
            return None
        keys.add(key)
        start_line = line
        fields: list[Field] = []
        names: set[str] = set()
        at = head.end()
        while True:
            closing = _ENTRY_END.match(text, at)
            if closing is not None:
                at = closing.end()
                break
            field = _FIELD.match(text, at)
            if field is None:
                return None
            name, brace, number = field.groups()
            name = name.lower()
            if name in names or name == "month":
                return None
            names.add(name)
            if brace is None:
                value, at = number, field.end()
            else:
                close = _closing_brace(text, field.end())
                if close < 0:
                    return None
                value, at = text[field.end() : close], close + 1
                if "@" in value and _BLOCK_START.search(value):
                    return None
            fields.append(Field(name, value))
            after = _AFTER_VALUE.match(text, at)
            if after is None:
                closing = _ENTRY_END.match(text, at)
                if closing is None:
                    return None
                at = closing.end()
                break
            at = after.end()
            if not after.group(1):  # no comma: the entry must end here
                closing = _ENTRY_END.match(text, at)
                if closing is None:
                    return None
                at = closing.end()
                break
        out.append(Entry(entry_type, key, fields, start_line=start_line))
        blank = _BLANK.match(text, at)
        assert blank is not None
        line += text.count("\n", head.start(), blank.end())
        at = blank.end()
    return out


def _closing_brace(text: str, start: int) -> int:
    """Where the brace opened just before ``start`` closes (braces counted as in bibtexparser), or -1."""
    depth = 1
    for brace in _BRACE.finditer(text, start):
        depth += 1 if brace.group() == "{" else -1
        if depth == 0:
            return brace.start()
    return -1


def blocks(
    text: str, entry_start: re.Pattern[str], parse: Callable[[str], list[Any]]
) -> list[tuple[int, Any]] | None:
    """The blocks of a chunk: plain entries read here, the runs of other entries by ``parse``.

    The chunk is cut where a line starts an entry (as the reader cuts a file
    into chunks); each piece that :func:`entries` cannot read joins a run that
    ``parse`` (bibtexparser) reads whole, so a broken entry is read with what
    follows it up to the next plain entry, as in the whole chunk.

    Args:
        text: A chunk of a BibTeX file, after the reader's keyless-entry fix.
        entry_start: Matches a line that starts an entry.
        parse: Reads a run of text with bibtexparser: its entries and failed blocks, in order.

    Returns:
        Every block in order with its start line (0-based, in ``text``); None when a citation
        key repeats (bibtexparser reports repeats only within one text: the
        caller then parses the chunk whole).
    """
    out: list[tuple[int, Any]] = []
    run: list[str] = []
    run_line = 0

    def flush() -> None:
        if run:
            out.extend(((block.start_line or 0) + run_line, block) for block in parse("\n".join(run)))
            run.clear()

    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if entry_start.match(line)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    for n, first in enumerate(starts):
        last = starts[n + 1] if n + 1 < len(starts) else len(lines)
        piece = "\n".join(lines[first:last])
        found = entries(piece)
        if found is None:
            if not run:
                run_line = first
            run.append(piece)
            continue
        flush()
        out.extend(((entry.start_line or 0) + first, entry) for entry in found)
    flush()
    keys = [b.key for _, b in out if isinstance(b, Entry)]
    return out if len(keys) == len(set(keys)) else None

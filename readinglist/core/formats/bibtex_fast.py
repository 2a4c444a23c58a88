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
from collections.abc import Callable, Collection
from functools import lru_cache
from typing import Any

from bibtexparser import middlewares
from bibtexparser.model import Block, Entry, Field, String

from readinglist.core.formats import bibtex_shards

# ``@type{key,`` then the end of the line; a lowercase type as bibtexparser reports it.
_ENTRY = re.compile(r"@([a-z]+)\{([^\s,{}()=\"#%'~\\@]+),[ \t]*\n")
# ``name = {``, ``name = 123`` or ``name = jan``; names are lowercased, as the reader's key
# middleware does. A bare word (a macro) is read here only as a ``month``.
_FIELD = re.compile(r"[ \t]*([A-Za-z][A-Za-z0-9_]*)[ \t]*=[ \t]*(?:(\{)|(\d+)|([A-Za-z]+))")
# A value's text, braces counted as bibtexparser counts them (not after a backslash),
# nesting three deep at most: a brace deeper than that fails the match.
_FLAT = r"[^{}\\]++|\\[{}]?"
_NESTED = _FLAT
for _ in range(3):
    _NESTED = _FLAT + r"|\{(?:" + _NESTED + r")*+\}"
# A whole ``name = {value},`` (or ``= 123`` or ``= jan``) line, the comma optional.
_FIELD_LINE = re.compile(
    r"[ \t]*([A-Za-z][A-Za-z0-9_]*)[ \t]*=[ \t]*(?:\{((?:" + _NESTED + r")*+)\}|(\d+)|([A-Za-z]+))"
    r"[ \t]*(,?)[ \t]*\n"
)
# The start of a ``name = {`` line: a value on the rest of the line without braces or
# backslashes (an abstract, a URL) is cut out with string methods, which scan a 1 kB
# abstract in under a microsecond where :data:`_FIELD_LINE` takes four.
_FIELD_OPEN = re.compile(r"[ \t]*([A-Za-z][A-Za-z0-9_]*)[ \t]*=[ \t]*\{")
_AFTER_VALUE = re.compile(r"[ \t]*(,?)[ \t]*\n")
_ENTRY_END = re.compile(r"[ \t]*\}[ \t]*(?:\n|$)")
_BLANK = re.compile(r"\s*")
# Braces as bibtexparser's splitter counts them: one after a backslash does not count.
_BRACE = re.compile(r"(?<!\\)[{}]")
# What bibtexparser takes for the start of a block, even inside a value.
_BLOCK_START = re.compile(r"@\w*[ \t]*[{(]")
_SKIP = frozenset(("comment", "preamble", "string"))


class MonthInt(middlewares.MonthIntMiddleware):
    """Months as numbers, leaving alone a "number" ``int`` refuses (thousands of digits, ``²``)."""

    def resolve_month_field_val(self, month_field: Field) -> tuple[str | int, str]:
        """The month as bibtexparser numbers it, or the value unchanged where ``int`` fails."""
        try:
            return super().resolve_month_field_val(month_field)  # type: ignore[no-any-return]
        except ValueError:
            return month_field.value, "month field unchanged"


_MONTH = MonthInt()


@lru_cache(maxsize=256)
def month_value(value: str) -> str | int:
    """A ``month`` value as the reader's month middleware leaves it (``jan``, ``1``, ``June`` give ints)."""
    # Cached: a file names the same dozen months over and over.
    return _MONTH.resolve_month_field_val(Field("month", value))[0]


class PlainEntry(Entry):
    """An entry read by :func:`entries`: its values by lower-case field name, in order.

    The reader wants the values only; bibtexparser's :class:`~bibtexparser.model.Field`
    objects (a microsecond each, ten an entry) are made the first time anything
    asks for them, through the ``_fields`` that :class:`Entry` reads.
    """

    def __init__(self, entry_type: str, key: str, values: dict[str, str | int], start_line: int) -> None:
        """An entry of ``values``; ``Entry.__init__`` is skipped, as it would set ``_fields``."""
        Block.__init__(self, start_line)
        self._entry_type = entry_type
        self._key = key
        self.values = values

    def __getattr__(self, name: str) -> Any:
        """``_fields``, made from :attr:`values` when first read."""
        if name != "_fields":
            raise AttributeError(name)
        fields = [Field(key, value) for key, value in self.values.items()]
        self._fields = fields
        return fields


def macro_names(strings: Collection[String]) -> frozenset[str]:
    """The names ``@string`` defines, lowercased as bibtexparser looks them up."""
    return frozenset(s.key.lower() for s in strings)


def entries(text: str, macros: Collection[str] = ()) -> list[PlainEntry] | None:
    """The entries of ``text`` as bibtexparser would give them, or None if it holds anything else.

    Args:
        text: A chunk of a BibTeX file, after the reader's keyless-entry fix.
        macros: The ``@string`` names defined before ``text`` (lowercase): a bare
            ``month = jun`` that one of them redefines is left to bibtexparser.

    Returns:
        The entries in order, each with its ``start_line`` (0-based, in ``text``).
    """
    out: list[PlainEntry] = []
    keys: set[str] = set()
    at = _BLANK.match(text).end()  # type: ignore[union-attr]
    line = text.count("\n", 0, at)
    end = len(text)
    value: str | int
    while at < end:
        head = _ENTRY.match(text, at)
        if head is None:
            return None
        entry_type, key = head.groups()
        if entry_type in _SKIP or key in keys:
            return None
        keys.add(key)
        values: dict[str, str | int] = {}
        at = head.end()
        while True:
            # A ``name = {`` line first (nearly every line): it cannot be the entry's end.
            opened = _FIELD_OPEN.match(text, at)
            plain = _plain_value(text, opened.end()) if opened is not None else None
            if plain is not None:
                name = opened.group(1).lower()  # type: ignore[union-attr]
                value, at, more = plain
                if name == "month":
                    value = month_value(value)
            else:
                closing = _ENTRY_END.match(text, at)
                if closing is not None:
                    at = closing.end()
                    break
                read = _field(text, at, macros)
                if read is None:
                    return None
                name, value, at, more = read
            if name in values:
                return None
            values[name] = value
            if not more:  # no comma after the value: the entry must end here
                closing = _ENTRY_END.match(text, at)
                if closing is None:
                    return None
                at = closing.end()
                break
        out.append(PlainEntry(entry_type, key, values, line))
        blank = _BLANK.match(text, at)
        assert blank is not None
        line += text.count("\n", head.start(), blank.end())
        at = blank.end()
    return out


def _plain_value(text: str, start: int) -> tuple[str, int, bool] | None:
    """The value of a ``name = {`` line opened just before ``start``, if plain; None if not.

    Plain: the rest of the line is the value, without braces or backslashes, then
    ``}``, spaces, an optional comma, spaces. Then :data:`_FIELD_LINE` would match
    the line with this value (its value runs to the first brace, this ``}``), and so
    would bibtexparser read it. Returns the value, where the next line starts and
    whether a comma followed.
    """
    stop = text.find("\n", start)
    if stop < 0:
        return None
    close = text.rfind("}", start, stop)
    if close < 0:
        return None
    value = text[start:close]
    if "{" in value or "}" in value or "\\" in value or ("@" in value and _BLOCK_START.search(value)):
        return None
    after = text[close + 1 : stop].strip(" \t")
    if after and after != ",":
        return None
    return value, stop + 1, bool(after)


def _field(text: str, at: int, macros: Collection[str]) -> tuple[str, str | int, int, bool] | None:
    """The field at ``at``: its name, value, where it ends and whether a comma follows; None if not plain.

    A line ``name = {value},`` whose braces nest three deep at most is matched
    whole by :data:`_FIELD_LINE`; anything else is read step by step.
    """
    value: str | int
    line = _FIELD_LINE.match(text, at)
    if line is not None:
        name, braced, number, word, comma = line.groups()
        at, more = line.end(), bool(comma)
        value = braced if braced is not None else number if number is not None else word
    else:
        field = _FIELD.match(text, at)
        if field is None:
            return None
        name, brace, number, word = field.groups()
        if brace is None:
            value, at = number or word, field.end()
        else:
            close = _closing_brace(text, field.end())
            if close < 0:
                return None
            value, at = text[field.end() : close], close + 1
        after = _AFTER_VALUE.match(text, at)
        more = after is not None and bool(after.group(1))
        if after is not None:
            at = after.end()
    name = name.lower()
    if word is not None:
        # An undefined macro stays its name in bibtexparser; the month middleware
        # then makes ``jan`` or ``june`` a number. Other bare words are left to it.
        if name != "month" or word.lower() in macros:
            return None
    elif "@" in value and _BLOCK_START.search(value):
        return None
    if name == "month":
        value = month_value(value)
    return name, value, at, more


def _closing_brace(text: str, start: int) -> int:
    """Where the brace opened just before ``start`` closes (braces counted as in bibtexparser), or -1."""
    depth = 1
    for brace in _BRACE.finditer(text, start):
        depth += 1 if brace.group() == "{" else -1
        if depth == 0:
            return brace.start()
    return -1


def blocks(
    text: str,
    entry_start: re.Pattern[str],
    parse: Callable[[str], list[Any]],
    strings: Collection[String] = (),
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
        strings: The ``@string`` macros known so far; ``parse`` adds those a run defines.

    Returns:
        Every block in order with its start line (0-based, in ``text``); None when a citation
        key repeats (bibtexparser reports repeats only within one text: the
        caller then parses the chunk whole).
    """
    macros = macro_names(strings)
    whole = entries(text, macros)
    # The chunk's lines end at LF only (the reader's text wrapper turned CR and CRLF into it).
    if whole is not None and len(whole) == sum(1 for _ in bibtex_shards.entry_starts(text, entry_start)):
        # Every line that starts an entry starts one of these (each head is such a line):
        # cut into pieces, each would read as the same entry. One pass is half the work.
        return [(entry.start_line or 0, entry) for entry in whole]
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if "@" in line and entry_start.match(line)]
    out: list[tuple[int, Any]] = []
    run: list[str] = []
    run_line = 0

    def flush() -> None:
        nonlocal macros
        if run:
            out.extend(((block.start_line or 0) + run_line, block) for block in parse("\n".join(run)))
            run.clear()
            macros = macro_names(strings)

    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    for n, first in enumerate(starts):
        last = starts[n + 1] if n + 1 < len(starts) else len(lines)
        piece = "\n".join(lines[first:last])
        found = entries(piece, macros)
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

"""Reading a JSON document of any layout as a stream, with the line of every value.

:class:`JsonStream` walks the top level of a document (an array, or an object's
members) itself and hands each value below it to the standard library's C
decoder (``raw_decode``) whole. Only a sliding buffer of the file is held: the
text not yet consumed, read in chunks, so memory is bounded by the largest
single value (one paper), not by the file. A one-line (minified) document
streams the same way as a pretty-printed one.

A value that does not decode is stepped over when its end can still be found
by balancing brackets, so a reader can report it and go on; anything else that
breaks the document's structure stops reading with a :class:`FormatError`.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from readinglist.core.errors import FormatError
from readinglist.core.formats import textio

CHUNK_CHARS = 1 << 16
MAX_VALUE_CHARS = 256 << 20
"""A value still open after this many characters is taken for a broken document."""

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_STRUCTURE = re.compile(r'["{}\[\]]')
# The rest of a string after its opening quote, up to and including the closing one.
_STRING_REST = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_SCALAR = re.compile(r"[^\s,\]}]+")
_decode = json.JSONDecoder().raw_decode


@dataclass(frozen=True)
class Value:
    """One decoded value and the line it starts on, or why it did not decode."""

    line: int
    value: Any = None
    error: str | None = None
    """``invalid JSON: …`` for a value that was stepped over; ``line`` is then the error's line."""


class JsonStream:
    r"""A cursor over a JSON document read from ``handle`` in chunks.

    Args:
        path: The file, for messages and progress.
        handle: The open text file (universal newlines, so lines end in ``\n``).
    """

    def __init__(self, path: Path, handle: TextIO) -> None:
        """Start at the beginning of the document."""
        self.path = path
        self.handle = handle
        self.buf = ""
        self.pos = 0
        self.eof = False
        self._line = 1
        """Line number of ``buf[_counted]``."""
        self._counted = 0
        self._col_base = 0
        """Column (0-based) of ``buf[0]`` in its line: the buffer need not start at a line start."""
        self._dropped = 0

    # -- positions --------------------------------------------------------------

    def line_at(self, index: int) -> int:
        """The line number of ``buf[index]``."""
        if index >= self._counted:
            self._line += self.buf.count("\n", self._counted, index)
        else:
            self._line -= self.buf.count("\n", index, self._counted)
        self._counted = index
        return self._line

    def column_at(self, index: int) -> int:
        """The column (1-based) of ``buf[index]``."""
        newline = self.buf.rfind("\n", 0, index)
        return index - newline if newline >= 0 else self._col_base + index + 1

    def error(self, message: str, index: int | None = None) -> FormatError:
        """A :class:`FormatError` for ``message`` at ``buf[index]`` (default: the cursor)."""
        where = self.pos if index is None else index
        return FormatError(str(self.path), self.line_at(where), message)

    # -- the buffer -------------------------------------------------------------

    def _fill(self) -> bool:
        """Drop the consumed text and read more; ``False`` at the end of the file.

        A read is at least as long as the text kept, so a value that straddles
        many chunks costs a number of re-decodes logarithmic in its size.
        """
        if self.eof:
            return False
        self._drop_consumed()
        chunk = self.handle.read(max(CHUNK_CHARS, len(self.buf)))
        if not chunk:
            self.eof = True
            textio.set_position(self.path, self._dropped + len(self.buf))
            return False
        if "\0" in chunk:
            self.buf += chunk[: chunk.index("\0")]
            raise self.error("binary data (NUL byte), not text", len(self.buf))
        self.buf += chunk
        return True

    def _drop_consumed(self) -> None:
        cut = self.pos
        if not cut:
            return
        self.line_at(cut)
        newline = self.buf.rfind("\n", 0, cut)
        self._col_base = cut - newline - 1 if newline >= 0 else self._col_base + cut
        self.buf = self.buf[cut:]
        self._dropped += cut
        self._counted -= cut
        self.pos = 0
        textio.set_position(self.path, self._dropped)

    def peek(self) -> str:
        """Skip whitespace; the next character, or ``""`` at the end of the file."""
        while True:
            match = _WHITESPACE.match(self.buf, self.pos)
            self.pos = match.end() if match else self.pos
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._fill():
                return ""

    def take(self, char: str, after: str) -> None:
        """Consume ``char``, the next character, or raise saying what was expected ``after`` what."""
        found = self.peek()
        if found != char:
            shown = repr(found) if found else "the end of the file"
            raise self.error(
                f"invalid JSON: expected {char!r} after {after}, found {shown} "
                f"(column {self.column_at(self.pos)})"
            )
        self.pos += 1

    # -- values -----------------------------------------------------------------

    def value(self, what: str = "value") -> Value:
        """Decode the value at the cursor (after whitespace) and move past it.

        Raises:
            FormatError: if the file ends inside the value (``what`` names it in
                the message), or the value runs on past :data:`MAX_VALUE_CHARS`.
        """
        if not self.peek():
            raise self.error(f"invalid JSON: the file ends where a {what} should start (truncated?)")
        while True:
            start = self.pos
            try:
                obj, end = _decode(self.buf, start)
            except (ValueError, RecursionError) as exc:
                stop = _value_end(self.buf, start)
                if stop is None:
                    if self._more(start, what):
                        continue
                    # _more moved the text to the start of the buffer: the cursor is the value's start.
                    message = f"invalid JSON: the file ends inside this {what} (truncated?)"
                    raise self.error(message) from None
                at = exc.pos if isinstance(exc, json.JSONDecodeError) else start
                bad = Value(self.line_at(at), error=failure(exc, self.column_at(at)))
                self.pos = stop
                return bad
            if end == len(self.buf) and not self.eof:
                # A number cut at the end of the buffer decodes, but too short: read
                # on, and decode again (from the cursor, which _more may have moved).
                self._more(start, what)
                continue
            self.pos = end
            return Value(self.line_at(start), obj)

    def _more(self, start: int, what: str) -> bool:
        """Read more for the value at ``start``; ``False`` at the end of the file."""
        if len(self.buf) - start > MAX_VALUE_CHARS:
            limit = MAX_VALUE_CHARS >> 20
            raise self.error(f"invalid JSON: this {what} does not end within {limit} MB", start)
        self.pos = start
        return self._fill()

    def items(self, what: str) -> Iterator[Value]:
        """The values of the array at the cursor, one at a time; the cursor ends after ``]``."""
        self.take("[", f"the start of the {what} list")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            yield self.value(what)
            found = self.peek()
            if found == "]":
                self.pos += 1
                return
            if not found:
                raise self.error(f"invalid JSON: the file ends inside the {what} list (truncated?)")
            self.take(",", f"a {what}")
            if self.peek() == "]":
                raise self.error(f"invalid JSON: ',' before ']' (column {self.column_at(self.pos)})")

    def members(self) -> Iterator[tuple[str, int]]:
        """The keys of the object at the cursor, with their lines.

        After each key the cursor is at its value, which the caller must read
        (:meth:`value` or :meth:`items`) before asking for the next key.
        """
        self.take("{", "the start of the object")
        if self.peek() == "}":
            self.pos += 1
            return
        while True:
            key = self.value("key")
            if key.error is not None or not isinstance(key.value, str):
                raise self.error(key.error or "invalid JSON: an object key must be a string")
            self.take(":", f"the key {key.value!r}")
            yield key.value, key.line
            if self.peek() == "}":
                self.pos += 1
                return
            self.take(",", f"the value of {key.value!r}")

    def at_end(self) -> bool:
        """Whether only whitespace is left."""
        return self.peek() == ""


def failure(exc: ValueError | RecursionError, column: int | None) -> str:
    """Why some JSON text did not decode, for a ``file:line: reason`` message.

    Besides malformed text (:class:`json.JSONDecodeError`), the decoder gives
    up on values nested deeper than Python's recursion limit
    (:class:`RecursionError`) and on integers longer than Python converts
    (a plain :class:`ValueError`): a reader must report those as bad entries
    too, not crash.

    Args:
        exc: What the decoder raised.
        column: The column (1-based) of the error, or of the value that failed, if known.
    """
    where = f" (column {column})" if column else ""
    if isinstance(exc, json.JSONDecodeError):
        return f"invalid JSON: {exc.msg}{where}"
    if isinstance(exc, RecursionError):
        return f"invalid JSON: nested too deeply{where}"
    return f"invalid JSON: a number longer than {sys.get_int_max_str_digits()} digits{where}"


def _value_end(text: str, start: int) -> int | None:
    """Where the value at ``text[start]`` ends, found by balancing brackets and quotes.

    ``None`` if ``text`` ends first. Used only after the decoder failed, to tell
    a value that is cut off by the end of the buffer (read more) from one that
    is malformed but complete (report it and go on after it).
    """
    first = text[start]
    if first not in '{["':
        match = _SCALAR.match(text, start)
        end = match.end() if match else start + 1
        return end if end < len(text) else None
    depth = 0
    index = start
    while True:
        found = _STRUCTURE.search(text, index)
        if found is None:
            return None
        index = found.end()
        char = found.group()
        if char == '"':
            rest = _STRING_REST.match(text, index)
            if rest is None:
                return None
            index = rest.end()
            if depth == 0:
                return index
        elif char in "{[":
            depth += 1
        else:
            depth -= 1
            if depth <= 0:
                return index

"""Helpers for reading text files line by line with honest line numbers."""

from __future__ import annotations

import codecs
from collections.abc import Generator, Iterable, Iterator
from pathlib import Path

from readinglist.core.errors import FormatError

# How far each file being read has got, in characters (close to bytes for
# mostly-ASCII text): written by the reading thread, read for progress bars.
_POSITIONS: dict[str, int] = {}
_REPORT_EVERY = 64


def position(path: Path) -> int:
    """Roughly how many bytes of ``path`` its reader has consumed so far (0 if unknown)."""
    return _POSITIONS.get(str(path), 0)


def set_position(path: Path, consumed: int) -> None:
    """Record how far a reader that does not use :func:`iter_lines` has got, for progress bars."""
    _POSITIONS[str(path)] = consumed


def counting(path: Path, lines: Iterable[str], already: int = 0) -> Iterator[str]:
    """Pass ``lines`` through, recording the characters consumed (for readers like ``csv``)."""
    consumed = already
    for n, line in enumerate(lines, start=1):
        consumed += len(line)
        if n % _REPORT_EVERY == 0:
            _POSITIONS[str(path)] = consumed
        yield line
    _POSITIONS[str(path)] = consumed


def iter_lines(path: Path) -> Generator[tuple[int, str], None, None]:
    """Yield ``(line_number, line)`` for a UTF-8 text file, streaming.

    A byte-order mark is dropped, CRLF and CR line ends are accepted and the
    line end is removed.

    Raises:
        FormatError: on a missing or unreadable file, a NUL byte or invalid UTF-8.
    """
    number = 0
    key = str(path)
    consumed = 0
    _POSITIONS[key] = 0
    try:
        with path.open(encoding="utf-8-sig", newline=None) as handle:
            for number, line in enumerate(handle, start=1):
                if "\0" in line:
                    raise FormatError(str(path), number, "binary data (NUL byte), not text")
                consumed += len(line)
                if number % _REPORT_EVERY == 0:
                    _POSITIONS[key] = consumed
                yield number, line.rstrip("\n")
    except FileNotFoundError:
        raise FormatError(str(path), 0, "no such file") from None
    except IsADirectoryError:
        raise FormatError(str(path), 0, "is a directory, not a file") from None
    except UnicodeDecodeError:
        raise FormatError(str(path), bad_utf8_line(path) or number + 1, "not UTF-8 text") from None
    except OSError as exc:
        raise FormatError(str(path), 0, exc.strerror or str(exc)) from None
    finally:
        # Kept after the end (one number per file) so the last report says 100%.
        _POSITIONS[key] = consumed


def bad_utf8_line(path: Path) -> int:
    """The line of the first byte of ``path`` that is not UTF-8 (0 if there is none or it cannot be read).

    A text file is decoded a block at a time, so the line a reader had got to
    when decoding failed can be well before the bad byte; this finds the line
    itself, reading the file again in blocks (memory stays bounded).
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    try:
        with path.open("rb") as handle:
            while block := handle.read(1 << 20):
                try:
                    line += decoder.decode(block).count("\n")
                except UnicodeDecodeError as exc:
                    # exc.object is the undecoded tail of the last block and this one;
                    # that tail is part of one character, so it holds no newline.
                    return line + exc.object[: exc.start].count(b"\n")
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return line
    except OSError:
        return 0
    return 0

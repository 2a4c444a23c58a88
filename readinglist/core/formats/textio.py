"""Helpers for reading text files line by line with honest line numbers."""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Callable, Generator, Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from readinglist.core.errors import FormatError

# How far each file being read has got, in characters (close to bytes for
# mostly-ASCII text): written by the reading thread, read for progress bars.
_POSITIONS: dict[str, int] = {}
_REPORT_EVERY = 64


# The encoding chosen for each file of an import run (:func:`choose_encoding`),
# by path; a file not in it is UTF-8, or UTF-16 if it starts with that BOM.
_ENCODINGS: dict[str, str] = {}
_CHECK_BLOCK = 1 << 16  # 64 KiB: five times faster to check than 1 MiB blocks (CPU cache)
# A character that only valid UTF-8 (not a replaced bad byte) decodes to.
_UTF8_CHARACTER = re.compile("[^\x00-\x7f\ufffd]")
_NAMES = {"utf-8-sig": "UTF-8", "utf-16": "UTF-16", "cp1252": "Windows-1252", "latin-1": "Latin-1"}


def encoding_of(path: Path) -> str:
    """The Python codec to read ``path`` with: the one chosen for it, else by its byte-order mark.

    Without a choice and a BOM, UTF-8 (``utf-8-sig``, which drops a UTF-8 BOM).
    """
    chosen = _ENCODINGS.get(str(path))
    if chosen is not None:
        return chosen
    try:
        with path.open("rb") as handle:
            start = handle.read(2)
    except OSError:
        return "utf-8-sig"
    return "utf-16" if start in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else "utf-8-sig"


def encodings() -> dict[str, str]:
    """Every encoding chosen so far, by path (sent to the import's reading process)."""
    return dict(_ENCODINGS)


def set_encodings(chosen: dict[str, str]) -> None:
    """Take over encodings chosen elsewhere (in the process that started this one)."""
    _ENCODINGS.update(chosen)


def check_encoding(name: str) -> str:
    """The codec called ``name`` (``latin1``, ``Windows-1252``...), by its Python name.

    Raises:
        LookupError: if Python knows no such text encoding.
    """
    info = codecs.lookup(name)
    if not getattr(info, "_is_text_encoding", True):
        raise LookupError(name)
    # A BOM at the start of a file said to be UTF-8 is still not text.
    return "utf-8-sig" if info.name == "utf-8" else info.name


def choose_encoding(path: Path, forced: str | None = None) -> str | None:
    """Decide how ``path`` is decoded for an import, and say so when it is a guess.

    ``forced`` (``import --encoding``) is used as given. Otherwise a UTF-16 or
    UTF-8 byte-order mark decides; then UTF-8 if the whole file is UTF-8. A
    file that is not, and holds no UTF-8 character at all (an old 8-bit file,
    not a UTF-8 file with one broken byte, which stays an error), is read as
    Windows-1252 (Latin-1 if it has bytes Windows-1252 leaves undefined).

    Returns:
        A one-line notice for a fallback (``refs.bib: not UTF-8; read as
        Windows-1252``), else None.
    """
    key = str(path)
    _ENCODINGS.pop(key, None)
    if forced:
        _ENCODINGS[key] = check_encoding(forced)
        return None
    guess = _guess_8bit(path)
    if guess is None:
        return None
    _ENCODINGS[key] = guess
    return f"{path}: not UTF-8; read as {_NAMES[guess]} (--encoding NAME to read it as another)"


def _guess_8bit(path: Path) -> str | None:
    """``cp1252`` or ``latin-1`` for a file in an old 8-bit encoding; None for UTF-8, UTF-16 or unreadable."""
    if encoding_of(path) == "utf-16":
        return None
    strict = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as handle:
            # Almost every file is UTF-8: one pass of C-speed decoding says so.
            try:
                while block := handle.read(_CHECK_BLOCK):
                    strict.decode(block)
                strict.decode(b"", final=True)
                return None
            except UnicodeDecodeError:
                pass
            handle.seek(0)
            loose = codecs.getincrementaldecoder("utf-8")("replace")
            cp1252 = codecs.getincrementaldecoder("cp1252")()
            guess = "cp1252"
            while block := handle.read(_CHECK_BLOCK):
                if _UTF8_CHARACTER.search(loose.decode(block)):
                    return None  # real UTF-8 with a broken byte: the reader reports where
                if guess == "cp1252":
                    try:
                        cp1252.decode(block)
                    except UnicodeDecodeError:
                        guess = "latin-1"
    except OSError:
        return None
    return guess


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
    """Yield ``(line_number, line)`` for a text file, streaming.

    The file is decoded as :func:`encoding_of` says (UTF-8 unless an import
    chose otherwise). A byte-order mark is dropped, CRLF and CR line ends are accepted and the
    line end is removed.

    Raises:
        FormatError: on a missing or unreadable file, a NUL byte or invalid UTF-8.
    """
    return _numbered(path, lambda: path.open(encoding=encoding_of(path), newline=None), 1, 0)


def iter_part(
    path: Path, data: bytes | None, start: int, first_line: int, first_char: int
) -> Generator[tuple[int, str], None, None]:
    """:func:`iter_lines` for the part of a UTF-8 file that starts at byte ``start``, just after a line end.

    ``data`` holds the part's bytes (None: the rest of the file, read from it).
    Lines are numbered from ``first_line`` and the progress position counts on
    from ``first_char`` (the characters :func:`iter_lines` counts before the
    part), so both are those of the whole file.

    Raises:
        FormatError: as :func:`iter_lines`, with the whole file's line numbers.
    """
    # Only the file's start may hold the byte-order mark.
    encoding = "utf-8-sig" if start == 0 else "utf-8"

    def opened() -> TextIO:
        if data is not None:
            return io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline=None)
        raw = _Aligned(path.open("rb", buffering=0), start)
        return io.TextIOWrapper(io.BufferedReader(raw, DECODE_BLOCK), encoding=encoding, newline=None)

    return _numbered(path, opened, first_line, first_char)


DECODE_BLOCK = 8192
"""How many bytes :func:`iter_lines` decodes at a time (its text wrapper's), from the file's start."""


class _Aligned(io.RawIOBase):
    """A file read from ``start`` in the blocks :func:`iter_lines` decodes it in (the first one shorter).

    Where a bad byte is, the whole block holding it fails to decode: the lines
    before that block are read, the others not. Read in these blocks, the rest
    of a file gives the lines and the error reading it from its start gives.
    """

    def __init__(self, raw: io.RawIOBase, start: int) -> None:
        self.raw = raw
        self.at = start
        raw.seek(start)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        size = min(len(buffer), DECODE_BLOCK - self.at % DECODE_BLOCK)
        got = self.raw.readinto(memoryview(buffer)[:size]) or 0
        self.at += got
        return got

    def close(self) -> None:
        self.raw.close()
        super().close()


def _numbered(
    path: Path, opened: Callable[[], TextIO], first_line: int, first_char: int
) -> Generator[tuple[int, str], None, None]:
    number = first_line - 1
    key = str(path)
    consumed = first_char
    _POSITIONS[key] = consumed
    try:
        with opened() as handle:
            for number, line in enumerate(handle, start=first_line):
                if number == 1:
                    line = line.removeprefix("\ufeff")  # a BOM a forced UTF-16-LE/BE keeps
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
        encoding = encoding_of(path)
        if encoding != "utf-8-sig":
            raise FormatError(str(path), number + 1, f"not {_NAMES.get(encoding, encoding)} text") from None
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

"""Import and export formats: one module per format behind a small registry.

A format module defines a :class:`Format` and registers it here. Readers stream:
they yield :class:`~readinglist.core.models.PaperDraft` objects one at a time so
a large file never has to fit in memory, and raise
:class:`~readinglist.core.errors.FormatError` naming the file and line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from readinglist.core.errors import FormatError
from readinglist.core.models import Paper, PaperDraft

SNIFF_BYTES = 8192


@dataclass(frozen=True)
class Format:
    """One file format the library can read and/or write."""

    name: str
    description: str
    sniff: Callable[[str, Path], bool]
    """Given the first few kB of text and the path, whether this is the format."""
    read: Callable[[Path], Iterator[PaperDraft]] | None = None
    write: Callable[[Iterable[Paper], TextIO], None] | None = None
    extensions: tuple[str, ...] = ()


_REGISTRY: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    """Add a format to the registry (the order of registration is the sniff order)."""
    _REGISTRY[fmt.name] = fmt
    return fmt


def formats() -> dict[str, Format]:
    """Every registered format, by name."""
    _load_builtin()
    return dict(_REGISTRY)


def get_format(name: str) -> Format:
    """The format called ``name``.

    Raises:
        FormatError: if no format has that name.
    """
    _load_builtin()
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise FormatError(name, 0, f"unknown format (known: {known})") from None


def read_head(path: Path) -> str:
    """The first few kB of ``path`` as text, for sniffing.

    Raises:
        FormatError: if the file is missing, unreadable or binary.
    """
    try:
        with path.open("rb") as handle:
            raw = handle.read(SNIFF_BYTES)
    except FileNotFoundError:
        raise FormatError(str(path), 0, "no such file") from None
    except IsADirectoryError:
        raise FormatError(str(path), 0, "is a directory, not a file") from None
    except OSError as exc:
        raise FormatError(str(path), 0, exc.strerror or str(exc)) from None
    if b"\0" in raw:
        raise FormatError(str(path), 0, "binary file, not text")
    # A multi-byte character may be cut at the end of the sample.
    text = raw.decode("utf-8-sig", errors="ignore")
    return text


def detect_format(path: Path) -> Format:
    """Pick the format of ``path`` from its content (and, as a tie-break, its name).

    Raises:
        FormatError: if the file cannot be read or no format recognises it.
    """
    head = read_head(path)
    if not head.strip():
        raise FormatError(str(path), 0, "empty file")
    for fmt in formats().values():
        if fmt.read is not None and fmt.sniff(head, path):
            return fmt
    raise FormatError(str(path), 1, "unrecognised format (try --format)")


def _load_builtin() -> None:
    # Imported here, not at module top, because the format modules import this one.
    from readinglist.core.formats import hftext  # noqa: F401

"""Import and export formats: one module per format behind a small registry.

A format module defines a :class:`Format` and registers it here. Readers stream:
they yield :class:`~readinglist.core.models.PaperDraft` objects one at a time so
a large file never has to fit in memory, and raise
:class:`~readinglist.core.errors.FormatError` naming the file and line.

A reader that can step over a bad entry (a bad JSON line, a BibTeX entry that
does not parse) yields a :class:`BadEntry` for it instead of raising, and goes
on. The importer turns the first one into an error, or lists them all under
``--skip-bad``. A reader raises only when it cannot go on at all.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from readinglist.core.errors import FormatError
from readinglist.core.models import Paper, PaperDraft

SNIFF_BYTES = 8192
# The built-in format modules, in sniff order: the most specific content checks
# first. CSL JSON first of all: an array of CSL items would pass for a bare array
# of our papers, and one CSL item on a line (a DOI's answer) for an arXiv
# snapshot line. Our JSON export before arXiv JSONL, whose lines it resembles.
# RIS before CSV and BibTeX: its first line is a TY tag, while an abstract it
# wraps could start a line with "@". A CSV header row before BibTeX, which a
# note in a CSV export may quote.
BUILTIN = (
    "csl_json",
    "json_export",
    "arxiv_jsonl",
    "arxiv_atom",
    "ris",
    "csv_format",
    "bibtex",
    "hftext",
    "markdown",
)


@dataclass(frozen=True)
class BadEntry:
    """An entry a reader could not turn into a draft, and why; the reader goes on after it."""

    path: str
    line: int
    reason: str

    def error(self) -> FormatError:
        """The error this entry stands for, with its ``file:line`` message."""
        return FormatError(self.path, self.line, self.reason)


Reader = Callable[[Path], Iterator[PaperDraft | BadEntry]]
"""A format's reader: streams drafts, and :class:`BadEntry` markers for entries it skipped."""


def _no_state() -> Any:
    return None


def _always(path: Path) -> bool:
    return True


@dataclass(frozen=True)
class Sharding:
    """How a format reads a large UTF-8 file in parts (shards), two processes at once.

    See :mod:`readinglist.core.importing.shards`. Each process reads every
    other part and only skips over the rest, keeping the state (``@string``
    macros...) the skipped parts would have left, so that the parts together
    give exactly what :attr:`Format.read` gives for the whole file.
    """

    read: Callable[[Path, Iterator[tuple[int, str]], Any], Iterator[PaperDraft | BadEntry]]
    """Reads one part's numbered lines with the state the parts before it left (and updates it).

    Unlike :attr:`Format.read` it raises no error for a part without entries:
    the whole file decides that (:attr:`empty`)."""
    cut: Callable[[str, int], tuple[int, int]]
    """Where a part may end in some text (whole lines), given how many entries came before it.

    Returns the offset of the last such place (0: none in this text) and how
    many entries start before that offset."""
    state: Callable[[], Any] = _no_state
    """The state at the start of a file (passed to ``read`` and ``skip``)."""
    skip: Callable[[str, Any], None] | None = None
    """Updates the state as reading a part's text (read by the other process) would (None: no state)."""
    splittable: Callable[[Path], bool] = _always
    """Whether this file may be read in parts at all (else one process reads it whole)."""
    empty: str = "no entries found"
    """The error when no part of the file held an entry."""


@dataclass(frozen=True)
class Format:
    """One file format the library can read and/or write."""

    name: str
    description: str
    sniff: Callable[[str, Path], bool]
    """Given the first few kB of text and the path, whether this is the format."""
    read: Reader | None = None
    write: Callable[[Iterable[Paper], TextIO], None] | None = None
    extensions: tuple[str, ...] = ()
    sharding: Sharding | None = None
    """How to read a large file in parts, in two processes (None: always whole, in one)."""


_REGISTRY: dict[str, Format] = {}
# Format names in the order of their modules in BUILTIN.
BUILTIN_FORMATS = (
    "csl-json",
    "json",
    "arxiv-jsonl",
    "arxiv-atom",
    "ris",
    "csv",
    "bibtex",
    "hf-text",
    "markdown",
)
KNOWN_EXTENSIONS = (
    ".csv",
    ".tsv",
    ".bib",
    ".bibtex",
    ".json",
    ".jsonl",
    ".xml",
    ".atom",
    ".csljson",
    ".csl.json",
    ".ris",
)
"""Extensions that name a format clearly enough to decide over a content sniff."""


def register(fmt: Format) -> Format:
    """Add a format to the registry (built-ins sniff in ``BUILTIN`` order, others after)."""
    _REGISTRY[fmt.name] = fmt
    return fmt


def formats() -> dict[str, Format]:
    """Every registered format, by name, in sniff order (built-ins first)."""
    _load_builtin()
    rank = {name: i for i, name in enumerate(BUILTIN_FORMATS)}
    ordered = sorted(_REGISTRY.values(), key=lambda f: rank.get(f.name, len(rank)))
    return {f.name: f for f in ordered}


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
    # Imported here, where a file is read: quick commands load this package but read no file.
    from readinglist.core.formats import textio

    encoding = textio.encoding_of(path)
    if b"\0" in raw and not encoding.startswith(("utf-16", "utf-32")):
        raise FormatError(str(path), 0, "binary file, not text")
    # A multi-byte character may be cut at the end of the sample.
    return raw.decode(encoding, errors="ignore").removeprefix("\ufeff")


def detect_format(path: Path) -> Format:
    """The format of ``path``: see :func:`detect` (which also says when the name was overruled).

    Raises:
        FormatError: if the file cannot be read or no format recognises it.
    """
    return detect(path)[0]


def detect(path: Path) -> tuple[Format, str | None]:
    """Pick the format of ``path`` from its extension and its content.

    A known extension (:data:`KNOWN_EXTENSIONS`) decides, so a CSV export whose
    notes quote a BibTeX entry is still read as CSV. Only content that clearly
    contradicts it (the extension's formats do not recognise it and another
    format does) wins, and then the second value is a one-line notice saying
    so. Other files are recognised by content alone.

    Raises:
        FormatError: if the file cannot be read or no format recognises it.
    """
    head = read_head(path)
    if not head.strip():
        raise FormatError(str(path), 0, "empty file")
    readable = [f for f in formats().values() if f.read is not None]
    # The content alone: a path without the extension, which some sniffs also consult.
    bare = path.with_name(path.stem) if path.suffix else path
    by_content = next((f for f in readable if f.sniff(head, bare)), None)
    suffix = path.suffix.lower()
    suffix = ".csl.json" if path.name.lower().endswith(".csl.json") else suffix
    if suffix in (".csl.json", ".csljson") and head.lstrip()[:1] in ("[", "{"):
        return get_format("csl-json"), None  # the name says CSL, and any JSON array or item may be
    if suffix in KNOWN_EXTENSIONS:
        named = [f for f in readable if suffix in f.extensions]
        if named:
            fitting = next((f for f in named if f.sniff(head, bare)), None)
            if fitting is not None:
                return fitting, None
            if by_content is None:
                # Nothing else fits either: the named format's reader says what is wrong.
                return named[0], None
            notice = (
                f"{path}: named {suffix} but the content looks like {by_content.description}; "
                f"reading it as {by_content.name} (--format {named[0].name} forces the other)"
            )
            return by_content, notice
    if by_content is not None:
        return by_content, None
    for fmt in readable:
        if fmt.sniff(head, path):
            return fmt, None
    raise FormatError(str(path), 1, "unrecognised format (try --format)")


def _load_builtin() -> None:
    # Imported here, not at module top, because the format modules import this one.
    for name in BUILTIN:
        importlib.import_module(f"readinglist.core.formats.{name}")

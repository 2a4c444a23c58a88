"""arXiv API results: an Atom feed (``export.arxiv.org/api/query?...``).

Parsed with expat as a stream, so every entry knows its line and a feed of any
size reads in bounded memory. A feed cut short (a truncated download) keeps
the entries that were complete and reports the break as a bad entry.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from collections.abc import Iterator
from pathlib import Path

from readinglist.core import venues
from readinglist.core.errors import FormatError
from readinglist.core.formats import BadEntry, Format, register, textio
from readinglist.core.latex_text import math_to_text
from readinglist.core.models import PaperDraft

ATOM = "http://www.w3.org/2005/Atom"
ARXIV = "http://arxiv.org/schemas/atom"
_SEP = "|"
_CHUNK = 1 << 16
_ERROR_ID = "arxiv.org/api/errors"
"""In the id of the entry arXiv's API sends instead of results when a query is malformed."""
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def sniff(head: str, path: Path) -> bool:
    """Whether ``head`` is an Atom feed."""
    text = head.lstrip()
    return (text.startswith("<?xml") or text.startswith("<feed")) and ATOM in text[:2048]


class _Entry:
    def __init__(self, line: int) -> None:
        self.line = line
        self.fields: dict[str, str] = {}
        self.authors: list[str] = []
        self.links: list[tuple[str, str, str]] = []


class _Handler:
    """Collects entries from expat callbacks; finished ones wait in ``done``."""

    def __init__(self, parser: xml.parsers.expat.XMLParserType) -> None:
        self.parser = parser
        self.done: list[_Entry] = []
        self.entry: _Entry | None = None
        self.text: list[str] = []
        self.depth = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == f"{ATOM}{_SEP}entry":
            self.entry = _Entry(self.parser.CurrentLineNumber)
        elif self.entry is not None and name == f"{ATOM}{_SEP}link":
            self.entry.links.append((attrs.get("rel", ""), attrs.get("title", ""), attrs.get("href", "")))
        elif self.entry is not None and name == f"{ARXIV}{_SEP}doi":
            self.text = []
        self.text = []

    def end(self, name: str) -> None:
        entry = self.entry
        if entry is None:
            return
        text = " ".join("".join(self.text).split())
        ns, _, local = name.partition(_SEP)
        if ns == ATOM and local == "entry":
            self.done.append(entry)
            self.entry = None
        elif ns == ATOM and local == "name":
            entry.authors.append(text)
        elif ns == ATOM and local in ("id", "title", "summary", "published", "updated"):
            entry.fields[local] = text
        elif ns == ARXIV and local in ("doi", "journal_ref"):
            entry.fields[local] = text
        self.text = []

    def chars(self, data: str) -> None:
        if self.entry is not None:
            self.text.append(data)


def read(path: Path) -> Iterator[PaperDraft | BadEntry]:
    """Yield a draft for every ``<entry>`` of the feed.

    Raises:
        FormatError: if the file cannot be opened, or is not XML at all.
    """
    parser = xml.parsers.expat.ParserCreate(namespace_separator=_SEP)
    handler = _Handler(parser)
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    parser.CharacterDataHandler = handler.chars
    count = 0
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise FormatError(str(path), 0, exc.strerror or str(exc)) from None
    consumed = 0
    with handle:
        while True:
            chunk = handle.read(_CHUNK)
            consumed += len(chunk)
            textio.set_position(path, consumed)
            try:
                parser.Parse(chunk, not chunk)
            except xml.parsers.expat.ExpatError as exc:
                for entry in handler.done:
                    count += 1
                    yield _draft(path, entry)
                reason = f"broken XML: {xml.parsers.expat.ErrorString(exc.code)}"
                if count == 0 and handler.entry is None:
                    raise FormatError(str(path), exc.lineno, reason) from None
                yield BadEntry(str(path), exc.lineno, reason + " (truncated feed?)")
                return
            for entry in handler.done:
                count += 1
                yield _draft(path, entry)
            handler.done.clear()
            if not chunk:
                break
    if count == 0:
        # What arXiv answers to a query that finds nothing; an empty file of any format fails too.
        raise FormatError(str(path), 0, "no papers in this feed")


def _squash(text: str) -> str:
    """Spaces squashed again where converted math left two together (``$x$ $y$`` read as ``x  y``)."""
    return " ".join(text.split()) if "  " in text else text.strip()


def _draft(path: Path, entry: _Entry) -> PaperDraft | BadEntry:
    fields = entry.fields
    if _ERROR_ID in fields.get("id", ""):
        # arXiv's answer to a bad query (HTTP 400): one entry titled "Error" whose
        # summary is the message. It is no paper, and no other entry comes with it.
        message = fields.get("summary") or fields.get("id", "")
        raise FormatError(str(path), 0, f"arXiv API error: {message}")
    # arXiv serves titles and abstracts as their authors typed them, LaTeX and all.
    title = _squash(math_to_text(fields.get("title", "")))
    if not title:
        return BadEntry(str(path), entry.line, "entry has no title")
    published = fields.get("published") or fields.get("updated") or ""
    match = _DATE.match(published)
    url = next((href for rel, _, href in entry.links if rel == "alternate"), None)
    # An arXiv API entry's id is its abs URL (with version); other Atom feeds use other ids.
    ident = fields.get("id", "")
    return PaperDraft(
        title=title,
        abstract=_squash(math_to_text(fields.get("summary", ""))),
        authors=tuple(entry.authors),
        year=int(match.group(1)) if match else None,
        date=match.group(0) if match else None,
        arxiv_id=ident if "arxiv.org/abs/" in ident else None,
        doi=fields.get("doi") or None,
        url=None if url and "arxiv.org/abs/" in url else url,
        line=entry.line,
        venue=venues.clean(fields.get("journal_ref")),
    )


FORMAT = register(
    Format(
        name="arxiv-atom",
        description="arXiv API results (Atom XML)",
        sniff=sniff,
        read=read,
        extensions=(".xml", ".atom"),
    )
)

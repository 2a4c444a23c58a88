"""Plain data types shared by the store, the formats, search and the UI.

Records are ``NamedTuple`` classes, not dataclasses: this module loads for
every ``readinglist search``, and ``dataclasses`` (with the ``inspect`` it
imports) plus one ``@dataclass`` per class cost that short process about a
fifth of its start-up (see docs/performance.md). For the same reason the
modules that define records on the search path leave out ``from __future__
import annotations``: given strings, ``NamedTuple`` compiles every field's
annotation (about 0.1 ms each, some 75 fields).
"""

import enum
from collections.abc import Iterable
from typing import NamedTuple

EXPORT_FORMATS = ("json", "bibtex", "markdown", "csv", "csl-json", "ris")
"""What ``readinglist export`` writes; here so the CLI can offer them without loading the writers."""


class Status(enum.StrEnum):
    """Where a paper stands in the user's reading."""

    UNREAD = "unread"
    QUEUED = "queued"
    READING = "reading"
    READ = "read"


class View(enum.StrEnum):
    """The named subsets of the library that lists and exports can show."""

    ALL = "all"
    QUEUE = "queue"
    STARRED = "starred"
    UNREAD = "unread"
    READ = "read"


class PaperDraft(NamedTuple):
    """A paper as it arrives from a file, before it is stored.

    Only ``title`` is required; every other field may be unknown. User data
    (``tags``, ``starred``, ``status``, ``notes``) is only set by formats that
    carry it, such as our own JSON export.
    """

    title: str
    abstract: str = ""
    authors: tuple[str, ...] = ()
    year: int | None = None
    date: str | None = None
    """Publication date as ISO ``YYYY-MM-DD`` (or ``YYYY-MM``) when known."""
    arxiv_id: str | None = None
    doi: str | None = None
    url: str | None = None
    source: str = ""
    """Where the draft came from, for example ``papers.bib:12``."""
    tags: tuple[str, ...] = ()
    starred: bool | None = None
    status: Status | None = None
    queue_position: int | None = None
    notes: str | None = None
    added_at: str | None = None
    notes_updated_at: str | None = None
    line: int = 0
    """Line (or entry) number in the source file, for error messages."""
    id: int | None = None
    """The paper's id in the library it was exported from (our JSON export only).

    Kept when it is higher than every id in the receiving library, so an export
    imported into an empty library gets its ids back.
    """
    venue: str | None = None
    """Where it was published: a journal, proceedings or arXiv journal reference."""
    key: str = ""
    """The citation key the file gave it (a BibTeX key, CSL ``id``, RIS ``ID``), if any."""


class Paper(NamedTuple):
    """A stored paper with the user's data attached."""

    id: int
    title: str
    abstract: str
    authors: tuple[str, ...]
    year: int | None
    date: str | None
    arxiv_id: str | None
    doi: str | None
    url: str | None
    links: tuple[str, ...]
    """The url field's URLs after the first (the ``url``), then every URL found in the abstract, in order."""
    source: str
    added_at: str
    starred: bool
    status: Status
    queue_position: int | None
    tags: tuple[str, ...]
    notes: str
    notes_updated_at: str | None
    primary_link: str = ""
    pending: str | None = None
    """The reference (arXiv id, DOI or URL) a paper added offline waits to be filled in from."""
    venue: str | None = None
    """Where it was published: a journal, proceedings or arXiv journal reference."""
    key: str = ""
    """The citation key: the one the paper came with, or one generated once when it was stored."""

    @property
    def in_queue(self) -> bool:
        """Whether the paper is in the reading queue."""
        return self.queue_position is not None


class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    def __init__(self) -> None:
        self.added = 0
        self.existing = 0
        self.updated = 0
        """Existing papers whose missing fields were filled in by this import."""
        self.skipped: list[str] = []
        """Messages for bad entries left out under ``skip_bad``."""
        self.near_duplicates: list[str] = []
        """Messages for titles that look almost like a stored one."""
        self.added_ids: list[int] = []
        self.notices: list[str] = []
        """One-line remarks about the files, e.g. content that overruled a file's extension."""
        self.matches: list[str] = []
        """For a dry run, a line per draft matched to a paper.

        For example ``would match FILE:LINE "Title" with 12 "Title" (by doi)``.
        """

    def __repr__(self) -> str:
        return f"ImportReport({self.summary()})"

    def summary(self) -> str:
        """One line for the user, e.g. ``0 added, 220 already in the library``."""
        parts = [f"{self.added} added", f"{self.existing} already in the library"]
        if self.updated:
            parts.append(f"{self.updated} enriched")
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped")
        return ", ".join(parts)


def paper_to_dict(paper: Paper) -> dict[str, object]:
    """The stable JSON shape of a paper (documented in the README).

    Used by every ``--json`` output and by the JSON export, so scripts see one shape.
    """
    return {
        "id": paper.id,
        "title": paper.title,
        "abstract": paper.abstract,
        "authors": list(paper.authors),
        "year": paper.year,
        "date": paper.date,
        "arxiv_id": paper.arxiv_id,
        "doi": paper.doi,
        "url": paper.url,
        "tags": list(paper.tags),
        "starred": paper.starred,
        "status": paper.status.value,
        "queue_position": paper.queue_position,
        "links": list(paper.links),
        "primary_link": paper.primary_link,
        "notes": paper.notes,
        "notes_updated_at": paper.notes_updated_at,
        "added_at": paper.added_at,
        "source": paper.source,
        "venue": paper.venue,
        "key": paper.key,
    }


def clean_tags(names: Iterable[str]) -> list[str]:
    """Tag names as a paper keeps them: trimmed, no leading ``#``, spaces squashed, no empty names.

    A name repeated in another case is dropped (tags are matched ignoring case);
    the first spelling is kept, and the order is kept. A comma separates
    names (``"a, b"`` is two tags).

    Args:
        names: Tag names as given (a CSV cell, ``--tag``, BibTeX keywords).

    Returns:
        The cleaned names, in order.
    """
    out: list[str] = []
    seen: set[str] = set()
    # No tag holds a comma: one in a file's tag is a separator, as in BibTeX keywords.
    for raw in (part for n in names for part in (n.split(",") if "," in n else (n,))):
        name = " ".join(raw.strip().lstrip("#").split())
        folded = name.casefold()
        if name and folded not in seen:
            seen.add(folded)
            out.append(name)
    return out

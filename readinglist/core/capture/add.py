"""``readinglist add``: references, a BibTeX entry or a hand-typed paper into the library, a line each."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from readinglist.core.capture import storing
from readinglist.core.capture.lookup import Looked, Lookup
from readinglist.core.capture.refs import Ref, RefError, parse_ref, pending_key
from readinglist.core.capture.settings import CaptureSettings
from readinglist.core.errors import FormatError, LibraryError
from readinglist.core.formats import BadEntry, get_format
from readinglist.core.models import Paper, PaperDraft
from readinglist.core.safe_text import visible
from readinglist.core.store import Library
from readinglist.core.wording import count_of

ADDED, EXISTING, PENDING, ERROR = "added", "existing", "pending", "error"


class Outcome(NamedTuple):
    """What happened to one reference: a line for the user, and the paper when one was stored."""

    kind: str
    """``added``, ``existing``, ``pending`` or ``error``."""
    line: str
    paper: Paper | None = None
    notes: tuple[str, ...] = ()
    """Near-duplicate remarks (for stderr or a notification)."""


@dataclass(frozen=True)
class Options:
    """What ``add`` does to every paper it stores or finds."""

    tags: list[str] = field(default_factory=list)
    queue: bool = False
    star: bool = False
    note: str | None = None
    refresh: bool = False
    """Look a reference up even when the library already has its paper (to enrich it)."""


Report = Callable[[Outcome], None]


def add_refs(
    library: Library,
    texts: Sequence[str],
    options: Options,
    settings: CaptureSettings,
    *,
    lookup: Lookup | None = None,
    report: Report | None = None,
) -> list[Outcome]:
    """Add each reference in ``texts``; ``report`` hears of each as soon as it is settled.

    A reference already in the library is not looked up (unless ``options.refresh``).
    """
    if library.read_only is not None:
        raise LibraryError(library.read_only)  # before any request: nothing could be stored
    outcomes: list[Outcome] = []

    def done(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if report is not None:
            report(outcome)

    to_fetch: list[Ref] = []
    order: list[Ref | Outcome] = []
    for text in texts:
        try:
            ref = parse_ref(text)
        except RefError as exc:
            order.append(Outcome(ERROR, visible(str(exc))))
            continue
        existing = storing.find(library, ref)
        if existing is not None and not options.refresh:
            order.append(_existing(library, existing, options))
            continue
        order.append(ref)
        to_fetch.append(ref)
    looked: Iterator[Looked] = iter(())
    if to_fetch:
        lookup = lookup or Lookup(settings, library)
        looked = lookup.look_up(to_fetch)
    for item in order:
        if isinstance(item, Outcome):
            done(item)
        else:
            done(_store_looked(library, next(looked), options))
    return outcomes


def _store_looked(library: Library, looked: Looked, options: Options) -> Outcome:
    ref = looked.ref
    if looked.error is not None or looked.draft is None:
        return Outcome(ERROR, visible(looked.error or f"{ref.text}: nothing found"))
    pending = pending_key(ref) if looked.pending is not None else None
    existing = storing.find(library, ref)
    with library.action(f"added {ref.text}"):
        if existing is not None and existing.pending is not None and pending is None:
            storing.fill_in(library, existing.id, looked.draft)
            stored = storing.Stored(existing.id, False, storing.twins(library, existing.id))
            library.tag(existing.id, options.tags)
            library.describe(f"filled in {library.label(existing.id)}")
        else:
            stored = storing.store(library, looked.draft, options.tags, pending=pending, where=ref.text)
            _name(library, stored)
        paper = _apply(library, stored.paper_id, options)
    if pending is not None and stored.added:
        line = f'pending {paper.id}: {ref.text} ({looked.pending}; filled in by "readinglist refresh")'
        return Outcome(PENDING, visible(line), paper, stored.notes)
    return _line(stored, paper)


def _line(stored: storing.Stored, paper: Paper) -> Outcome:
    if stored.added:
        return Outcome(ADDED, visible(f"added {paper.id}: {paper.title}"), paper, stored.notes)
    return Outcome(
        EXISTING, visible(f"already in the library: {paper.id} {paper.title}"), paper, stored.notes
    )


def _name(library: Library, stored: storing.Stored) -> None:
    """Name the open action after the paper stored (the history's ``added "Title…"``)."""
    verb = "added" if stored.added else "added again"
    library.describe(f"{verb} {library.label(stored.paper_id)}")


def _existing(library: Library, paper: Paper, options: Options) -> Outcome:
    with library.action(f"added again {library.label(paper.id)}"):
        if options.tags:
            library.tag(paper.id, options.tags)
        paper = _apply(library, paper.id, options)
    return Outcome(EXISTING, visible(f"already in the library: {paper.id} {paper.title}"), paper)


def _apply(library: Library, paper_id: int, options: Options) -> Paper:
    """``--queue``, ``--star`` and ``--note`` (a note is added after one the paper has)."""
    if options.queue:
        library.queue_add(paper_id)
    if options.star:
        library.set_starred(paper_id, True)
    if options.note:
        current = library.note(paper_id)
        note = f"{current.rstrip()}\n\n{options.note}" if current.strip() else options.note
        library.set_note(paper_id, note)
    return library.get(paper_id)


def add_bibtex(library: Library, text: str, options: Options, where: str = "standard input") -> list[Outcome]:
    """Store every entry of BibTeX ``text``, all or nothing, each matched as an import would.

    Raises:
        FormatError: naming ``where`` and the line, if an entry is bad; nothing is stored.
    """
    with tempfile.TemporaryDirectory(prefix="readinglist-") as folder:
        path = Path(folder) / "stdin.bib"
        path.write_text(text, encoding="utf-8")
        reader = get_format("bibtex").read
        assert reader is not None
        drafts: list[PaperDraft] = []
        try:
            for item in reader(path):
                if isinstance(item, BadEntry):
                    raise FormatError(where, item.line, f"{item.reason}; nothing added")
                drafts.append(item._replace(source=item.source or f"{where}:{item.line} (bibtex)"))
        except FormatError as exc:
            raise FormatError(where, exc.line, exc.reason) from None
    outcomes: list[Outcome] = []
    with library.action(f"added {count_of(len(drafts))} from {where}"):
        for draft in drafts:
            stored = storing.store(library, draft, options.tags)
            if len(drafts) == 1:
                _name(library, stored)
            paper = _apply(library, stored.paper_id, options)
            outcomes.append(_line(stored, paper))
    return outcomes


def add_manual(library: Library, draft: PaperDraft, options: Options) -> Outcome:
    """Store a paper typed by hand; one with the URL of a pending paper (a PDF) fills that one in."""
    pending = storing.find(library, parse_ref(draft.url)) if draft.url and _is_ref(draft.url) else None
    with library.action(f"added {draft.title}"):
        if pending is not None and pending.pending is not None:
            storing.fill_in(library, pending.id, draft)
            library.tag(pending.id, options.tags)
            library.describe(f"filled in {library.label(pending.id)}")
            paper = _apply(library, pending.id, options)
            return Outcome(ADDED, visible(f"filled in {paper.id}: {paper.title}"), paper)
        stored = storing.store(library, draft, options.tags)
        _name(library, stored)
        paper = _apply(library, stored.paper_id, options)
    return _line(stored, paper)


def _is_ref(text: str) -> bool:
    try:
        parse_ref(text)
    except RefError:
        return False
    return True

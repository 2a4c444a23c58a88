"""Importing drafts into a library: dedup, enrichment and all-or-nothing runs."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from readinglist.core import links
from readinglist.core.errors import FormatError
from readinglist.core.formats import Format, detect_format, get_format
from readinglist.core.import_read import Reader
from readinglist.core.import_run import ImportRun
from readinglist.core.models import ImportReport, PaperDraft, Status
from readinglist.core.store import Library, now

SAMPLE_NAME = "hf-papers-seed.txt"
SEEDED_KEY = "sample_seeded_at"
# Fields a re-import may fill in when the stored paper lacks them.
_ENRICHABLE = ("abstract", "authors", "year", "date", "arxiv_id", "doi", "url")
BATCH_SIZE = 2000
"""Drafts deduplicated and inserted together."""
IMPORT_CACHE_KIB = 131_072
"""SQLite page cache while importing (the default is 2 MiB)."""


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def sample_path() -> Path:
    """The bundled sample library file (inside the installed package)."""
    return Path(str(resources.files("readinglist") / "data" / SAMPLE_NAME))


@dataclass(frozen=True)
class ImportProgress:
    """How far a run has got, for a progress bar."""

    done: int
    """Entries read so far (papers and bad entries)."""
    fraction: float | None
    """Share of the current file read so far (0 to 1), when its reader reports it."""
    path: Path
    """The file being read."""


def import_files(
    library: Library,
    paths: Sequence[Path],
    *,
    format_name: str | None = None,
    tags: Iterable[str] = (),
    dry_run: bool = False,
    skip_bad: bool = False,
    progress: Callable[[int], None] | None = None,
    on_progress: Callable[[ImportProgress], None] | None = None,
) -> ImportReport:
    """Import every file in ``paths`` in one transaction.

    Large inputs are parsed in a helper process while this one writes to the
    library, so parsing and indexing overlap. Memory stays bounded: at most a
    few batches of drafts are in flight.

    Args:
        library: Where the papers go.
        paths: Files to read.
        format_name: Force a format instead of detecting it from the content.
        tags: Tags given to every paper of the run (new and existing).
        dry_run: Do everything, report it, then roll it all back.
        skip_bad: Leave bad entries out (listed in the report) instead of failing.
        progress: Called with the running count of entries read, after each batch.
        on_progress: Called with an :class:`ImportProgress` after each batch.

    Returns:
        What was added, found already present, enriched or skipped.

    Raises:
        FormatError: for the first bad file or entry (unless ``skip_bad``); the
            library is left exactly as it was.
    """
    fmts: list[Format] = [get_format(format_name) if format_name else detect_format(p) for p in paths]
    for path, fmt in zip(paths, fmts, strict=True):
        if fmt.read is None:
            raise FormatError(str(path), 0, f"format {fmt.name} cannot be imported")
    sizes = {path: _size(path) for path in paths}
    report = ImportReport()
    db = library.db
    saved = {name: db.execute(f"PRAGMA {name}").fetchone()[0] for name in ("synchronous", "cache_size")}
    # In WAL mode NORMAL cannot corrupt the file (a power cut may lose the last
    # commit) and saves an fsync. A larger page cache keeps a big run from
    # spilling pages to the WAL before it commits. Both are restored after.
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
    try:
        with Reader(list(zip(paths, fmts, strict=True)), BATCH_SIZE) as reader, library.write():
            run = ImportRun(library, report, now(), [t for t in tags if t.strip()], skip_bad)
            seen = 0
            for batch in reader.batches():
                run.add_batch(batch.items)
                seen += len(batch.items)
                if batch.error is not None:
                    # The reader could not go on with this file.
                    if not skip_bad:
                        raise batch.error
                    report.skipped.append(str(batch.error))
                if progress is not None:
                    progress(seen)
                if on_progress is not None:
                    size = sizes[batch.path]
                    fraction = min(batch.position / size, 1.0) if size else None
                    on_progress(ImportProgress(seen, fraction, batch.path))
            run.finish()
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    finally:
        for name, value in saved.items():
            db.execute(f"PRAGMA {name} = {int(value)}")
    return report


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def add_draft(
    library: Library, draft: PaperDraft, report: ImportReport, stamp: str, run_tags: Sequence[str] = ()
) -> int:
    """Add one draft inside the caller's transaction, or enrich its stored twin.

    Dedup order: arXiv id, then DOI, then normalised title.

    Returns:
        The id of the new or existing paper.
    """
    db = library.db
    arxiv_id = links.normalize_arxiv_id(draft.arxiv_id) or links.normalize_arxiv_id(draft.doi)
    doi = links.normalize_doi(draft.doi)
    title = " ".join(draft.title.split())
    if not title:
        raise FormatError(draft.source or "?", draft.line, "entry has no title")
    key = links.normalize_title(title)
    existing = _find(library, arxiv_id, doi, key)
    if existing is not None:
        report.existing += 1
        if _enrich(library, existing, draft, arxiv_id, doi):
            report.updated += 1
        paper_id = int(existing["id"])
    else:
        status = draft.status or Status.UNREAD
        cursor = db.execute(
            """INSERT INTO papers (title, abstract, authors, year, date, arxiv_id, doi, url, links,
               source, added_at, title_key, starred, status, queue_position, notes, notes_updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                title,
                draft.abstract.strip(),
                json.dumps(list(draft.authors), ensure_ascii=False),
                draft.year,
                draft.date,
                arxiv_id,
                doi,
                draft.url,
                json.dumps(links.extract_links(draft.abstract), ensure_ascii=False),
                draft.source,
                draft.added_at or stamp,
                key,
                int(bool(draft.starred)),
                status.value,
                draft.queue_position,
                draft.notes or "",
                draft.notes_updated_at if draft.notes else None,
            ],
        )
        paper_id = int(cursor.lastrowid or 0)
        report.added += 1
        report.added_ids.append(paper_id)
        if draft.tags:
            library.attach_tags(paper_id, draft.tags)
    if run_tags or (draft.tags and existing is None):
        library.attach_tags(paper_id, run_tags)
        library.refresh_tags_text(paper_id)
    return paper_id


def _find(library: Library, arxiv_id: str | None, doi: str | None, key: str) -> dict[str, Any] | None:
    probes = [("arxiv_id", arxiv_id), ("doi", doi), ("title_key", key)]
    for column, value in probes:
        if not value:
            continue
        cursor = library.db.execute(f"SELECT * FROM papers WHERE {column} = ? LIMIT 1", [value])
        row = cursor.fetchone()
        if row is not None:
            cols = [d[0] for d in cursor.description]
            return dict(zip(cols, row, strict=True))
    return None


def _enrich(
    library: Library, row: dict[str, Any], draft: PaperDraft, arxiv_id: str | None, doi: str | None
) -> bool:
    incoming: dict[str, Any] = {
        "abstract": draft.abstract.strip(),
        "authors": json.dumps(list(draft.authors), ensure_ascii=False) if draft.authors else "",
        "year": draft.year,
        "date": draft.date,
        "arxiv_id": arxiv_id,
        "doi": doi,
        "url": draft.url,
    }
    updates = {col: incoming[col] for col in _ENRICHABLE if incoming[col] and (row[col] in (None, "", "[]"))}
    if not updates:
        return False
    if "abstract" in updates:
        updates["links"] = json.dumps(links.extract_links(updates["abstract"]), ensure_ascii=False)
    sets = ", ".join(f"{col} = ?" for col in updates)
    library.db.execute(f"UPDATE papers SET {sets} WHERE id = ?", [*updates.values(), row["id"]])
    return True


def import_sample(library: Library) -> ImportReport:
    """Import the bundled sample of 220 language-model papers."""
    return import_files(library, [sample_path()], format_name="hf-text")


def seed_if_new(library: Library) -> ImportReport | None:
    """Fill a library that has never held a paper with the sample, once.

    The fact is recorded, so a user who later deletes papers never gets the
    sample back unasked.

    Returns:
        The import report if the sample was imported, else None.
    """
    if library.get_meta(SEEDED_KEY) is not None:
        return None
    report = None
    if library.count() == 0:
        report = import_sample(library)
    library.set_meta(SEEDED_KEY, now())
    return report

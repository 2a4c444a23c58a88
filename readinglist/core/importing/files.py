"""Importing files into a library: one all-or-nothing run over every file (the package's entry point)."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from readinglist.core import backups
from readinglist.core.errors import FormatError, LibraryError
from readinglist.core.formats import Format, detect, get_format, textio
from readinglist.core.importing.reader import Reader
from readinglist.core.importing.run import ImportRun
from readinglist.core.models import ImportReport
from readinglist.core.safe_text import visible
from readinglist.core.saved_views import SavedView
from readinglist.core.store import Library, now
from readinglist.core.wording import count_of

BATCH_SIZE = 2000
"""Drafts deduplicated and inserted together."""
IMPORT_CACHE_KIB = 131_072
"""SQLite page cache while importing (the default is 2 MiB)."""
GC_THRESHOLD = 50_000
"""Allocations between the garbage collector's young passes while importing (the default is 700)."""


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


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
    encoding: str | None = None,
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
        encoding: Decode every file with this codec (``import --encoding``) instead
            of UTF-8, UTF-16 by its byte-order mark, or the 8-bit fallback.

    Returns:
        What was added, found already present, enriched or skipped.

    Raises:
        FormatError: for a bad file, or for bad entries (unless ``skip_bad``):
            the whole input is read first, and the message counts them and
            quotes the first; the library is left exactly as it was.
        LookupError: if ``encoding`` names no text encoding.
    """
    report = ImportReport()
    fmts: list[Format] = []
    for path in paths:
        # Before the format is sniffed: a UTF-16 file cannot be sniffed as UTF-8.
        if (fallback := textio.choose_encoding(path, encoding)) is not None:
            report.notices.append(fallback)
        if format_name:
            fmts.append(get_format(format_name))
            continue
        fmt, notice = detect(path)
        fmts.append(fmt)
        if notice:
            report.notices.append(notice)
    for path, fmt in zip(paths, fmts, strict=True):
        if fmt.read is None:
            raise FormatError(str(path), 0, f"format {fmt.name} cannot be imported")
    # Read before the transaction: a bad saved view stops the import before it starts.
    views = _saved_views(list(zip(paths, fmts, strict=True)), skip_bad, report)
    sizes = {path: _size(path) for path in paths}
    db = library.db
    saved = {name: db.execute(f"PRAGMA {name}").fetchone()[0] for name in ("synchronous", "cache_size")}
    # In WAL mode NORMAL cannot corrupt the file (a power cut may lose the last
    # commit) and saves an fsync. A larger page cache keeps a big run from
    # spilling pages to the WAL before it commits. Both are restored after.
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
    # A run makes millions of short-lived objects that reference counting frees;
    # collecting every 700 allocations walked each batch's live rows and tuples
    # over and over (5% of the writer's CPU at 100k papers, 2.4% this way).
    gc_threshold = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, *gc_threshold[1:])
    try:
        # A file name that is not UTF-8 has lone surrogates, which SQLite cannot store.
        names = ", ".join(
            Path(p).name.encode("utf-8", "surrogateescape").decode("utf-8", "replace") for p in paths
        )
        with (
            Reader(list(zip(paths, fmts, strict=True)), BATCH_SIZE) as reader,
            library.action(f"import {names}"),
        ):
            run_tags = [t for t in tags if t.strip()]
            # Without skip_bad the whole input is still read, to say how many entries are bad.
            run = ImportRun(library, report, now(), run_tags, skip_bad, count_bad=True, list_matches=dry_run)
            seen = 0
            for batch in reader.batches():
                run.add_batch(batch.items, batch.counts)
                seen += len(batch.items)
                if batch.error is not None:
                    run.bad(batch.error)  # the reader could not go on with this file
                if progress is not None:
                    progress(seen)
                if on_progress is not None:
                    size = sizes[batch.path]
                    fraction = min(batch.position / size, 1.0) if size else None
                    on_progress(ImportProgress(seen, fraction, batch.path))
                if not reader.ready():
                    run.idle()
            if (failure := run.failure()) is not None:
                raise failure
            run.finish()
            if views:
                _add_views(library, views, report)
            library.describe(_described(report, names))
            if dry_run:
                raise _DryRun
            if report.added > backups.IMPORT_BACKUP_MIN:
                _backup_before_commit(library)
    except _DryRun:
        pass
    finally:
        gc.set_threshold(*gc_threshold)
        for name, value in saved.items():
            db.execute(f"PRAGMA {name} = {int(value)}")
    return report


def _saved_views(files: list[tuple[Path, Format]], skip_bad: bool, report: ImportReport) -> list[SavedView]:
    """The saved searches in JSON exports (the ``views`` member), checked.

    Raises:
        FormatError: for a malformed member or view (unless ``skip_bad``, which
            lists it in the report and goes on).
    """
    from readinglist.core import saved_views
    from readinglist.core.formats import json_export

    found: list[SavedView] = []
    for path, fmt in files:
        if fmt.name != "json" or (member := json_export.read_views(path)) is None:
            continue
        line, value = member
        items = value if isinstance(value, list) else None
        if items is None:
            problems = [f"views must be a list, not {type(value).__name__}"]
        else:
            problems = []
            for item in items:
                try:
                    found.append(saved_views.from_dict(item))
                except ValueError as exc:
                    problems.append(str(exc))
        for problem in problems:
            if not skip_bad:
                raise FormatError(str(path), line, problem)
            report.skipped.append(f"{path}:{line}: {problem}")
    return found


def _add_views(library: Library, views: list[SavedView], report: ImportReport) -> None:
    """Add the imported saved views, in the import's transaction; a name in use keeps the library's."""
    from readinglist.core import saved_views

    added, kept = saved_views.add_missing(library, views)
    if added:
        report.notices.append(
            f"added {len(added)} saved view{'s' if len(added) != 1 else ''}: {visible(', '.join(added))}"
        )
    for name in kept:
        report.notices.append(
            f"a saved view is already called \"{visible(name)}\": kept the library's, not the file's"
        )


def _backup_before_commit(library: Library) -> None:
    """Copy the library as it was before this run, which is still uncommitted.

    The copy is read through a second connection, which in WAL mode sees
    the last commit and not this run's papers.
    """
    try:
        backups.automatic_backup(library.path, library.path, backups.BEFORE_IMPORT, library.keep_backups)
    except LibraryError as exc:
        raise LibraryError(
            f"{exc}; nothing was imported (`[backups] keep = 0` in config.toml imports without a backup)"
        ) from None


def _described(report: ImportReport, names: str) -> str:
    """The history's name for an import: what it added and changed, from where."""
    parts = [count_of(report.added)]
    if report.updated:
        parts.append(f"filled in {report.updated}")
    return f"imported {', '.join(parts)} from {names}"


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0

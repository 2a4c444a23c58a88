"""The interchange commands: ``import``, ``export``, ``backup`` and ``restore``.

The import machinery and the format writers load only when these run.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from readinglist.cli_common import UsageError, view_arg
from readinglist.core.errors import LibraryError
from readinglist.core.safe_text import visible
from readinglist.core.store import Library
from readinglist.core.wording import count_of

if TYPE_CHECKING:
    import argparse


def cmd_import(args: argparse.Namespace, library: Library) -> int:
    """``readinglist import``."""
    # Imported here: the import machinery is not needed by the quick commands.
    from readinglist.core.importing import import_files
    from readinglist.core.sample import sample_path
    from readinglist.progress import ProgressBar

    files: list[Path] = list(args.files)
    if args.sample:
        files.insert(0, sample_path())
    if not files:
        raise UsageError("import needs a FILE or --sample")
    fmt = args.format_name or ("hf-text" if args.sample and len(files) == 1 else None)
    bar = ProgressBar.for_files(files)
    try:
        report = import_files(
            library,
            files,
            format_name=fmt,
            tags=args.tag,
            dry_run=args.dry_run,
            skip_bad=args.skip_bad,
            on_progress=bar.update if bar else None,
            encoding=args.encoding,
        )
    finally:
        if bar:
            bar.close()
    for message in report.notices:
        print(f"readinglist: {message}", file=sys.stderr)
    for message in report.skipped:
        print(f"readinglist: skipped {message}", file=sys.stderr)
    for message in report.near_duplicates[:NEAR_SHOWN]:
        print(f"readinglist: {message}", file=sys.stderr)
    hidden = len(report.near_duplicates) - NEAR_SHOWN
    if hidden > 0:
        print(f"readinglist: … and {hidden} more near-duplicate titles", file=sys.stderr)
    for message in report.matches:
        print(visible(message))
    prefix = "dry run, nothing changed: would be " if args.dry_run else ""
    print(prefix + report.summary())
    return 0


NEAR_SHOWN = 20
"""Near-duplicate warnings printed before the rest are counted instead."""


def cmd_export(args: argparse.Namespace, library: Library) -> int:
    """``readinglist export``."""
    from readinglist.core import exporter  # the format writers load only for export

    view, query, tag = view_arg(args.view, library) if args.view else (None, args.query, None)
    if args.raw and args.format_name != "csv":
        raise UsageError("--raw applies to --format csv only")
    if args.output is None:
        count = exporter.export(
            library, args.format_name, sys.stdout, query=query, view=view, tag=tag, raw=args.raw
        )
    else:
        import signal

        # SIGTERM (and SIGHUP, a closed terminal) stop the export like Ctrl+C does,
        # so that its temporary file is removed.
        stops = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
        previous = {sig: signal.signal(sig, _interrupt) for sig in stops}
        try:
            count = exporter.export_to_file(
                library, args.format_name, args.output, query=query, view=view, tag=tag, raw=args.raw
            )
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        print(f"exported {count_of(count)} to {args.output}", file=sys.stderr)
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def cmd_backup(args: argparse.Namespace, db_path: Path) -> int:
    """``readinglist backup``: make a copy, or ``--list`` them (without opening a damaged library)."""
    from readinglist.core import backups, exporter

    if args.list:
        if args.path is not None:
            raise UsageError("backup --list takes no PATH")
        found = backups.list_backups(db_path)
        if not found:
            print(f"readinglist: no backups in {backups.backup_folder(db_path)}", file=sys.stderr)
        for info in found:
            when = info.taken_at.strftime("%Y-%m-%d %H:%M:%S")
            print(f"{when} UTC  {info.kind:<14} {info.size / 2**20:>8.1f} MiB  {info.path}")
        return 0
    if not db_path.exists():  # a backup of nothing would create an empty library to copy
        raise LibraryError(f"no library at {db_path}; nothing to back up")
    with Library(db_path) as library:
        print(exporter.backup(library, args.path))
    return 0


def cmd_restore(args: argparse.Namespace, db_path: Path) -> int:
    """``readinglist restore``: the library opens only afterwards (it may be the damaged one)."""
    from readinglist.core import backups

    done = backups.restore(db_path, args.path)
    print(f"restored {done.source} into {done.library}")
    if done.previous is not None:
        print(f"the library as it was is kept in {done.previous}")
    return 0

"""The command line: headless subcommands for scripts, and the TUI by default.

Textual is imported only when the TUI starts, so ``--help``, ``search`` and
friends start fast. Every error is one line on stderr: exit 1 for a problem
with the data or the library, 2 for a usage mistake.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from readinglist import paths
from readinglist.cli_capture import cmd_add, cmd_refresh
from readinglist.cli_commands import cmd_index, cmd_list, cmd_note, cmd_related, cmd_search, cmd_stats
from readinglist.cli_common import UsageError
from readinglist.cli_history import cmd_history, cmd_undo
from readinglist.cli_interchange import cmd_backup, cmd_export, cmd_import, cmd_restore
from readinglist.cli_library import missing_library
from readinglist.cli_quick import quick_search_args
from readinglist.cli_views import cmd_views
from readinglist.core.errors import ReadingListError
from readinglist.core.store import Library

if TYPE_CHECKING:  # argparse loads only when a command needs the real parser (see cli_quick)
    import argparse

Handler = Callable[["argparse.Namespace", Library], int]
PathHandler = Callable[["argparse.Namespace", Path], int]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    # A plain search skips argparse, a tenth of its short run (see readinglist.cli_quick).
    args = quick_search_args(argv) or _parser(argv).parse_args(argv)
    db_path: Path = getattr(args, "db", None) or paths.default_db_path()
    if missing := missing_library(args.command, db_path, explicit=getattr(args, "db", None) is not None):
        print(f"readinglist: {missing}", file=sys.stderr)
        return 1
    if Library.needs_upgrade(db_path):
        print(
            "readinglist: upgrading the library to this version (once; large libraries take seconds)…",
            file=sys.stderr,
        )
    if args.command is None:
        return _run_tui(db_path)
    try:
        if args.command in PATH_HANDLERS:
            return PATH_HANDLERS[args.command](args, db_path)
        with Library(db_path) as library:
            return HANDLERS[args.command](args, library)
    except UsageError as exc:
        _parser(argv).exit(2, f"readinglist: error: {exc}\n")
    except ReadingListError as exc:
        print(f"readinglist: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("readinglist: interrupted; nothing was changed by the running command", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error.
        sys.stderr.close()
        return 0


def _parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    from readinglist.cli_parser import build_parser, command_of  # argparse loads here

    return build_parser(command_of(argv))  # built once per process (functools.cache)


def _run_tui(db_path: Path) -> int:
    try:
        from readinglist.ui.app import run  # Textual loads only here.
    except ImportError as exc:
        print(f"readinglist: the full-screen app is not available ({exc})", file=sys.stderr)
        return 1
    return run(db_path)


HANDLERS: dict[str, Handler] = {
    "import": cmd_import,
    "export": cmd_export,
    "search": cmd_search,
    "list": cmd_list,
    "stats": cmd_stats,
    "note": cmd_note,
    "add": cmd_add,
    "refresh": cmd_refresh,
    "undo": cmd_undo,
    "redo": cmd_undo,
    "history": cmd_history,
    "views": cmd_views,
    "index": cmd_index,
    "related": cmd_related,
}


def _curate(name: str) -> Handler:
    """A handler from :mod:`readinglist.cli_curate`, loaded only when one of its commands runs."""

    def run(args: argparse.Namespace, library: Library) -> int:
        from readinglist import cli_curate

        return cli_curate.HANDLERS[name](args, library)

    return run


# The paper commands (several ids, --query/--view), edit, rm and tags.
HANDLERS.update(
    {
        name: _curate(name)
        for name in ("show", "star", "unstar", "status", "tag", "queue", "edit", "rm", "tags")
    }
)
PATH_HANDLERS: dict[str, PathHandler] = {
    "backup": cmd_backup,
    "restore": cmd_restore,
}
"""Commands that open the library themselves, or never: they must work on a damaged one."""

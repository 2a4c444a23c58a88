"""The command line: headless subcommands for scripts, and the TUI by default.

Textual is imported only when the TUI starts, so ``--help``, ``search`` and
friends start fast. Every error is one line on stderr: exit 1 for a problem
with the data or the library, 2 for a usage mistake.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from readinglist import paths
from readinglist.cli_capture import cmd_add, cmd_refresh
from readinglist.cli_history import cmd_history, cmd_undo
from readinglist.cli_library import missing_library
from readinglist.cli_quick import quick_search_args
from readinglist.cli_views import cmd_views
from readinglist.core.errors import LibraryError, ReadingListError
from readinglist.core.models import Paper, View, paper_to_dict
from readinglist.core.safe_text import json_visible, visible
from readinglist.core.store import Library
from readinglist.core.tag_admin import shown
from readinglist.core.wording import count_of

if TYPE_CHECKING:  # argparse loads only when a command needs the real parser (see cli_quick)
    import argparse

Handler = Callable[["argparse.Namespace", Library], int]
PathHandler = Callable[["argparse.Namespace", Path], int]


class UsageError(Exception):
    """A mistake in how a command was called (exit status 2)."""


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


# -- output ------------------------------------------------------------------


def _line(paper: Paper) -> str:
    star = "*" if paper.starred else " "
    if paper.queue_position is not None:
        mark = f"q{paper.queue_position}"
    else:
        mark = {"unread": "", "reading": "reading", "read": "read"}.get(paper.status.value, "")
    # A tag with a space is quoted (#"machine learning"): its words stay one tag.
    tags = "  " + " ".join(f"#{shown(t)}" for t in paper.tags) if paper.tags else ""
    # Imported text reaches the terminal: no control character goes out raw.
    return visible(f"{paper.id:>6} {star} {mark:<7} {paper.title}{tags}")


def _print_papers(papers: Sequence[Paper], as_json: bool) -> None:
    if as_json:
        print(json_visible(json.dumps([paper_to_dict(p) for p in papers], ensure_ascii=False, indent=2)))
        return
    for paper in papers:
        print(_line(paper))


def _detail(paper: Paper) -> str:
    # Imported text reaches the terminal: no control character goes out raw, and
    # only the abstract and the note may span lines.
    lines = [f"[{paper.id}] {visible(paper.title)}"]
    if paper.authors:
        lines.append("Authors: " + visible(", ".join(paper.authors)))
    if paper.venue:
        lines.append("Venue:   " + visible(paper.venue))
    if paper.year or paper.date:
        lines.append(f"Date:    {visible(str(paper.date or paper.year))}")
    state = paper.status.value + (f" (queue #{paper.queue_position})" if paper.in_queue else "")
    lines.append(f"Status:  {state}{'  starred' if paper.starred else ''}")
    if paper.tags:
        lines.append("Tags:    " + visible(", ".join(paper.tags)))
    ids = [f"arXiv:{paper.arxiv_id}" if paper.arxiv_id else "", f"doi:{paper.doi}" if paper.doi else ""]
    ids.append(f"key:{paper.key}" if paper.key else "")
    if any(ids):
        lines.append("Ids:     " + visible("  ".join(i for i in ids if i)))
    if paper.pending is not None:
        lines.append(f'Pending: not looked up yet ({visible(paper.pending)}); see "readinglist refresh"')
    lines.append(f"Link:    {visible(paper.primary_link)}")
    lines.extend(f"  [{n}] {visible(url)}" for n, url in enumerate(paper.links, start=1))
    lines += ["", visible(paper.abstract, multiline=True)]
    if paper.notes:
        lines += ["", "Notes:", visible(paper.notes, multiline=True)]
    return "\n".join(lines)


# -- handlers ----------------------------------------------------------------


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

    view, query, tag = _view_arg(args.view, library) if args.view else (None, args.query, None)
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


def cmd_search(args: argparse.Namespace, library: Library) -> int:
    """``readinglist search``: hits best first; a hint about the query goes to stderr."""
    from readinglist import cli_discovery  # word search, with meaning results below (see docs/discovery.md)

    # The command prints no total: counting every match would only cost time.
    return cli_discovery.cmd_search(args, library, _line)


def cmd_index(args: argparse.Namespace, library: Library) -> int:
    """``readinglist index``: embed new and changed papers for finding them by meaning."""
    from readinglist import cli_discovery

    return cli_discovery.cmd_index(args, library)


def cmd_related(args: argparse.Namespace, library: Library) -> int:
    """``readinglist related``: papers like one paper, or like a view, a tag or a search."""
    from readinglist import cli_discovery

    return cli_discovery.cmd_related(args, library, _line)


def cmd_list(args: argparse.Namespace, library: Library) -> int:
    """``readinglist list``."""
    view, query, tag = _view_arg(args.view, library)
    if query is not None or tag is not None:
        # A saved view: its search (best first) or its tag, as the app shows it.
        from itertools import islice

        from readinglist.core import exporter

        if args.tag and tag and args.tag.lstrip("#").casefold() != tag.casefold():
            raise UsageError(f"--tag {args.tag} and the saved view's #{tag} exclude each other")
        found = exporter.select(library, query=query, view=view, tag=tag or args.tag)
        papers = list(islice(found, args.limit if args.limit >= 0 else None))
    else:
        papers = library.papers(view, args.tag, limit=args.limit)
    _print_papers(papers, args.json)
    if not papers and not args.json and library.count() == 0:
        print("readinglist: the library is empty; try `readinglist import --sample`", file=sys.stderr)
    return 0


def _view_arg(name: str, library: Library) -> tuple[View, str | None, str | None]:
    """A ``--view`` value: a built-in view, or a saved search's view, query and tag."""
    from readinglist.core.saved_views import resolve

    return resolve(library, name)


def cmd_stats(args: argparse.Namespace, library: Library) -> int:
    """``readinglist stats``."""
    stats = library.stats()
    if args.json:
        print(json.dumps(stats))
    else:
        print("  ".join(f"{k}: {v}" for k, v in stats.items()))
    return 0


def cmd_note(args: argparse.Namespace, library: Library) -> int:
    """``readinglist note``."""
    paper = library.get(args.id)
    if args.text is not None:
        text = _stdin_text() if args.text == "-" else args.text
        library.set_note(args.id, text)
    elif args.edit:
        if library.read_only is not None:
            raise LibraryError(library.read_only)  # before the editor opens: nothing typed is lost
        from readinglist.editor import edit_text  # subprocess and tempfile only when needed

        edited = edit_text(paper.notes, suffix=f"-{paper.id}.md")
        if edited is None:
            print(f"readinglist: note {paper.id} unchanged", file=sys.stderr)
            return 0
        # The editor may have been open for minutes: never overwrite what changed meanwhile.
        try:
            saved = library.set_note(args.id, edited, base=paper.notes)
        except ReadingListError as exc:
            raise ReadingListError(f"{exc}; your text is kept in {_keep_text(edited, paper.id)}") from None
        if saved.elsewhere:
            print(
                f"readinglist: note {paper.id} was changed elsewhere while you edited it; "
                "both texts are kept (the other one in a conflict block at the end)",
                file=sys.stderr,
            )
        elif saved.conflict:
            print(f"readinglist: note {paper.id} was emptied meanwhile; your text is kept", file=sys.stderr)
    elif paper.notes:
        print(paper.notes)
    return 0


def _keep_text(text: str, paper_id: int) -> str:
    """Write ``text`` to a file that outlives the command (an edited note that could not be stored)."""
    import tempfile

    fd, path = tempfile.mkstemp(prefix=f"readinglist-note-{paper_id}-", suffix=".md")
    with open(fd, "w", encoding="utf-8") as out:
        out.write(text)
    return path


def _stdin_text() -> str:
    """Standard input as text; bytes that are not UTF-8 are an error, not a traceback."""
    try:
        text = sys.stdin.read()
    except UnicodeDecodeError:
        text = "\udcff"  # read strictly (a UTF-8 locale): report it as below
    from readinglist.cli_parser import not_utf8

    if not_utf8(text):
        raise ReadingListError("standard input is not UTF-8 text; the note is unchanged")
    return text


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
    """A handler from :mod:`readinglist.cli_curate`, loaded when its command runs (it imports this module)."""

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

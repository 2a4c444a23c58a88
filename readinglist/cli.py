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
from readinglist.cli_quick import quick_search_args
from readinglist.core.errors import LibraryError, ReadingListError
from readinglist.core.models import Paper, Status, View, paper_to_dict
from readinglist.core.safe_text import json_visible, visible
from readinglist.core.store import Library

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
    tags = "  " + " ".join(f"#{t}" for t in paper.tags) if paper.tags else ""
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
    if paper.year or paper.date:
        lines.append(f"Date:    {visible(str(paper.date or paper.year))}")
    state = paper.status.value + (f" (queue #{paper.queue_position})" if paper.in_queue else "")
    lines.append(f"Status:  {state}{'  starred' if paper.starred else ''}")
    if paper.tags:
        lines.append("Tags:    " + visible(", ".join(paper.tags)))
    ids = [f"arXiv:{paper.arxiv_id}" if paper.arxiv_id else "", f"doi:{paper.doi}" if paper.doi else ""]
    if any(ids):
        lines.append("Ids:     " + visible("  ".join(i for i in ids if i)))
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

    view = View(args.view) if args.view else None
    if args.raw and args.format_name != "csv":
        raise UsageError("--raw applies to --format csv only")
    if args.output is None:
        count = exporter.export(
            library, args.format_name, sys.stdout, query=args.query, view=view, raw=args.raw
        )
    else:
        import signal

        # SIGTERM (and SIGHUP, a closed terminal) stop the export like Ctrl+C does,
        # so that its temporary file is removed.
        stops = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
        previous = {sig: signal.signal(sig, _interrupt) for sig in stops}
        try:
            count = exporter.export_to_file(
                library, args.format_name, args.output, query=args.query, view=view, raw=args.raw
            )
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        print(f"exported {count} paper{'s' if count != 1 else ''} to {args.output}", file=sys.stderr)
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
    from readinglist.core import search  # the engine loads only for the commands that search

    # The command prints no total: counting every match would only cost time.
    result = search.SearchEngine(library).search(" ".join(args.query), limit=args.limit, count=False)
    if result.hint:
        print(f"readinglist: {result.hint}", file=sys.stderr)
    _print_papers(library.get_many([h.paper_id for h in result.hits]), args.json)
    return 0


def cmd_show(args: argparse.Namespace, library: Library) -> int:
    """``readinglist show``."""
    paper = library.get(args.id)
    if args.json:
        print(json_visible(json.dumps(paper_to_dict(paper), ensure_ascii=False, indent=2)))
    else:
        print(_detail(paper))
    return 0


def cmd_list(args: argparse.Namespace, library: Library) -> int:
    """``readinglist list``."""
    papers = library.papers(View(args.view), args.tag, limit=args.limit)
    _print_papers(papers, args.json)
    if not papers and not args.json and library.count() == 0:
        print("readinglist: the library is empty; try `readinglist import --sample`", file=sys.stderr)
    return 0


def cmd_stats(args: argparse.Namespace, library: Library) -> int:
    """``readinglist stats``."""
    stats = library.stats()
    if args.json:
        print(json.dumps(stats))
    else:
        print("  ".join(f"{k}: {v}" for k, v in stats.items()))
    return 0


def cmd_star(args: argparse.Namespace, library: Library) -> int:
    """``readinglist star`` and ``unstar``."""
    library.set_starred(args.id, args.command == "star")
    return 0


def cmd_status(args: argparse.Namespace, library: Library) -> int:
    """``readinglist status``."""
    library.set_status(args.id, Status(args.status))
    return 0


def cmd_tag(args: argparse.Namespace, library: Library) -> int:
    """``readinglist tag``."""
    add, remove = [], []
    for change in args.changes:
        if change[:1] == "+":
            add.append(change[1:])
        elif change[:1] == "-":
            remove.append(change[1:])
        else:
            raise UsageError(f"tag change {change!r} must start with + (add) or - (remove)")
    tags = library.tag(args.id, add, remove) if args.changes else library.get(args.id).tags
    print(visible(" ".join(tags)))
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


def cmd_queue(args: argparse.Namespace, library: Library) -> int:
    """``readinglist queue``."""
    if args.action == "list":
        _print_papers(library.papers(View.QUEUE), args.json)
        return 0
    if args.id is None:
        raise UsageError(f"queue {args.action} needs a paper ID")
    actions: dict[str, Callable[[int], object]] = {
        "add": library.queue_add,
        "remove": library.queue_remove,
        "top": library.queue_to_top,
        "up": lambda i: library.queue_move(i, -1),
        "down": lambda i: library.queue_move(i, 1),
    }
    actions[args.action](args.id)
    return 0


HANDLERS: dict[str, Handler] = {
    "import": cmd_import,
    "export": cmd_export,
    "search": cmd_search,
    "show": cmd_show,
    "list": cmd_list,
    "stats": cmd_stats,
    "star": cmd_star,
    "unstar": cmd_star,
    "status": cmd_status,
    "tag": cmd_tag,
    "note": cmd_note,
    "queue": cmd_queue,
}
PATH_HANDLERS: dict[str, PathHandler] = {
    "backup": cmd_backup,
    "restore": cmd_restore,
}
"""Commands that open the library themselves, or never: they must work on a damaged one."""

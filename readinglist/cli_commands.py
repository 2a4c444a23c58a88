"""The everyday commands: ``list``, ``stats``, ``note``, and where ``search``, ``index``, ``related`` start.

The meaning search (numpy, the model) loads only when ``search``, ``index``
or ``related`` runs: their work is in :mod:`readinglist.cli_discovery`.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

from readinglist.cli_common import UsageError, line, print_papers, view_arg
from readinglist.core.errors import LibraryError, ReadingListError
from readinglist.core.store import Library

if TYPE_CHECKING:
    import argparse


def cmd_search(args: argparse.Namespace, library: Library) -> int:
    """``readinglist search``: hits best first; a hint about the query goes to stderr."""
    from readinglist import cli_discovery  # word search, with meaning results below (see docs/discovery.md)

    # The command prints no total: counting every match would only cost time.
    return cli_discovery.cmd_search(args, library, line)


def cmd_index(args: argparse.Namespace, library: Library) -> int:
    """``readinglist index``: embed new and changed papers for finding them by meaning."""
    from readinglist import cli_discovery

    return cli_discovery.cmd_index(args, library)


def cmd_related(args: argparse.Namespace, library: Library) -> int:
    """``readinglist related``: papers like one paper, or like a view, a tag or a search."""
    from readinglist import cli_discovery

    return cli_discovery.cmd_related(args, library, line)


def cmd_list(args: argparse.Namespace, library: Library) -> int:
    """``readinglist list``."""
    view, query, tag = view_arg(args.view, library)
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
    print_papers(papers, args.json)
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

"""The command line's arguments: one parser per subcommand, built only when needed."""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable, Sequence
from pathlib import Path

from readinglist import __version__, paths
from readinglist.core.models import EXPORT_FORMATS, View

MAX_INTEGER = 2**63 - 1
"""The largest integer SQLite stores: a larger id or limit would fail deep inside a query."""


def _whole(text: str, what: str) -> int:
    """``text`` as an integer SQLite can hold, or an argparse error that says why in a few words."""
    shown = text if len(text) <= 24 else f"{text[:20]}…"
    digits = text.strip().lstrip("+-")
    # int() refuses more than 4,300 digits with a ValueError: that is a large number too.
    if digits.isdigit() and len(digits) > len(str(MAX_INTEGER)):
        raise argparse.ArgumentTypeError(f"{shown} is too large {what}")
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{shown!r} is not a whole number") from None
    if not -MAX_INTEGER <= value <= MAX_INTEGER:
        raise argparse.ArgumentTypeError(f"{shown} is too large {what}")
    return value


def paper_id(text: str) -> int:
    """A paper id argument: a whole number SQLite can hold."""
    return _whole(text, "for a paper id")


def limit(text: str) -> int:
    """A ``--limit`` argument: a whole number SQLite can hold."""
    return _whole(text, "a limit")


def not_utf8(text: str) -> bool:
    """Whether ``text`` holds bytes that were not UTF-8 (Python keeps them as lone surrogates)."""
    return not text.isascii() and any("\ud800" <= c <= "\udfff" for c in text)


def text_arg(text: str) -> str:
    """A text argument that ends up in the library: it must be UTF-8 text, which SQLite can store."""
    if not_utf8(text):
        raise argparse.ArgumentTypeError(f"{text.encode('utf-8', 'surrogateescape')!r} is not UTF-8 text")
    return text


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        type=Path,
        default=argparse.SUPPRESS,
        help=f"library file (default: ${paths.DB_ENV}, else the path shown below)",
    )
    return common


class _Parser(argparse.ArgumentParser):
    """Names the default library in ``--help`` only, so other runs skip looking it up."""

    def format_help(self) -> str:
        return f"{super().format_help()}\nlibrary: {paths.default_db_path()}\n"


def encoding_arg(name: str) -> str:
    """An ``--encoding`` value: a text encoding Python knows (``latin-1``, ``cp1252``, ``utf-16``)."""
    from readinglist.core.formats.textio import check_encoding

    try:
        return check_encoding(name)
    except LookupError:
        raise argparse.ArgumentTypeError(f"unknown encoding {name!r}") from None


def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="*", type=Path, metavar="FILE")
    p.add_argument("--sample", action="store_true", help="import the bundled sample of 220 papers")
    p.add_argument("--format", dest="format_name", metavar="F", help="force a format instead of detecting it")
    p.add_argument(
        "--tag", action="append", default=[], type=text_arg, metavar="T", help="tag every imported paper"
    )
    p.add_argument("--dry-run", action="store_true", help="report what would happen, change nothing")
    p.add_argument("--skip-bad", action="store_true", help="import the good entries, list the bad ones")
    p.add_argument(
        "--encoding", type=encoding_arg, metavar="NAME", help="read the files in this encoding (e.g. cp1252)"
    )


_VIEW_HELP = f"{', '.join(v.value for v in View)}, or a saved view's name"


def _export_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", dest="format_name", choices=EXPORT_FORMATS, default="json")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--query", metavar="Q", help="only papers matching this search")
    which.add_argument("--view", type=text_arg, metavar="VIEW", help=_VIEW_HELP)
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here instead of stdout")
    p.add_argument(
        "--raw", action="store_true", help="CSV: keep cells starting with = + - @ as they are (no ' in front)"
    )


def _backup_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "path", nargs="?", type=Path, metavar="PATH", help="file or folder (default: backups/ by the library)"
    )
    p.add_argument(
        "--list", action="store_true", help="list the backups in backups/ by the library, newest first"
    )


def _restore_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", type=Path, metavar="PATH", help="the backup to restore (see `backup --list`)")


def _search_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", nargs="+")
    p.add_argument("--limit", type=limit, default=20, metavar="N")
    p.add_argument("--json", action="store_true", help="print a JSON array of papers")


def _query_or_view(p: argparse.ArgumentParser) -> None:
    """``--query Q`` or ``--view V`` (a saved view too): more papers for a paper command."""
    which = p.add_mutually_exclusive_group()
    which.add_argument("--query", type=text_arg, metavar="Q", help="also every paper matching this search")
    which.add_argument(
        "--view", type=text_arg, metavar="VIEW", help=f"also every paper of this view: {_VIEW_HELP}"
    )


def _select_args(p: argparse.ArgumentParser) -> None:
    """``ID...`` plus ``--query``/``--view``: the papers a command acts on, as ``export`` selects them."""
    p.add_argument("ids", nargs="*", type=paper_id, metavar="ID")
    _query_or_view(p)


def _show_args(p: argparse.ArgumentParser) -> None:
    _select_args(p)
    p.add_argument("--json", action="store_true")


def _list_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--view", type=text_arg, default="all", metavar="VIEW", help=_VIEW_HELP)
    p.add_argument("--tag", type=text_arg, metavar="T", help="only papers with this tag")
    p.add_argument("--limit", type=limit, default=-1, metavar="N")
    p.add_argument("--json", action="store_true")


def _json_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true")


def _id_args(p: argparse.ArgumentParser) -> None:
    _select_args(p)


def _status_args(p: argparse.ArgumentParser) -> None:
    # ID... STATUS: argparse cannot end a list of ids with a choice; the handler splits them.
    p.add_argument("items", nargs="+", type=text_arg, metavar="ID... STATUS")
    _query_or_view(p)


def _tag_args(p: argparse.ArgumentParser) -> None:
    _query_or_view(p)
    p.add_argument("changes", nargs=argparse.REMAINDER, type=text_arg, metavar="ID... +name|-name")


def _edit_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", type=paper_id)
    p.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        type=text_arg,
        metavar="FIELD=VALUE",
        help="set a field (title, authors (;-separated), year, date, venue, url, doi, arxiv_id, key, "
        "abstract); without --set the paper opens in $VISUAL/$EDITOR",
    )


def _rm_args(p: argparse.ArgumentParser) -> None:
    _select_args(p)
    p.add_argument("--yes", action="store_true", help="needed to delete the papers --query or --view selects")


def _tags_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", nargs="?", choices=["list", "rename", "merge", "delete"], default="list")
    p.add_argument("names", nargs="*", type=text_arg, metavar="NAME")
    p.add_argument("--json", action="store_true", help="list as JSON: name, count, parent")


def _note_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", type=paper_id)
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--set", dest="text", type=text_arg, metavar="TEXT", help="replace the note ('-' reads stdin)"
    )
    group.add_argument("--edit", action="store_true", help="edit the note in $EDITOR")


def _queue_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["add", "remove", "rm", "list", "top", "up", "down"])
    _select_args(p)
    p.add_argument("--json", action="store_true")


def _year(text: str) -> int:
    value = _whole(text, "for a year")
    if not 0 < value < 10000:
        raise argparse.ArgumentTypeError(f"{value} is not a year")
    return value


def _add_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "refs", nargs="*", type=text_arg, metavar="REF", help="arXiv id, DOI or URL; '-' reads standard input"
    )
    p.add_argument("--tag", action="append", default=[], type=text_arg, metavar="T", help="tag the papers")
    p.add_argument("--queue", action="store_true", help="add the papers to the reading queue")
    p.add_argument("--star", action="store_true", help="star the papers")
    p.add_argument("--note", type=text_arg, metavar="TEXT", help="add this note to the papers")
    p.add_argument("--json", action="store_true", help='print the papers as JSON (with "pending")')
    p.add_argument("--refresh", action="store_true", help="look up papers already in the library too")
    p.add_argument("--title", type=text_arg, metavar="TITLE", help="add a paper by hand (no REF)")
    p.add_argument("--author", action="append", default=[], type=text_arg, metavar="A", help="with --title")
    p.add_argument("--year", type=_year, metavar="Y", help="with --title")
    p.add_argument("--url", type=text_arg, metavar="U", help="with --title")
    p.add_argument("--abstract", type=text_arg, metavar="TEXT", help="with --title")


def _refresh_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("ids", nargs="*", type=paper_id, metavar="ID", help="only these papers")
    p.add_argument(
        "--updates", action="store_true", help="also ask arXiv for new versions, DOIs and journal references"
    )
    p.add_argument("--json", action="store_true", help="print the papers as JSON")


def _undo_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "count", type=_count, nargs="?", default=1, metavar="N", help="how many actions (default 1)"
    )


def _count(text: str) -> int:
    value = _whole(text, "a count")
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a count of actions (1 or more)")
    return value


def _views_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", nargs="?", choices=["list", "save", "rename", "delete"], default="list")
    p.add_argument("names", nargs="*", type=text_arg, metavar="NAME")
    p.add_argument("--query", type=text_arg, metavar="Q", help="save: the search")
    p.add_argument("--view", choices=[v.value for v in View], help="save: the view it narrows")
    p.add_argument("--tag", type=text_arg, metavar="T", help="save: the tag it narrows to")
    p.add_argument("--replace", action="store_true", help="save: replace a saved view of that name")
    p.add_argument("--json", action="store_true")


def _history_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--limit", type=limit, default=50, metavar="N", help="newest N actions (default 50)")
    p.add_argument("--json", action="store_true")


def _index_args(p: argparse.ArgumentParser) -> None:
    del p  # no options: it embeds whatever is new or changed


def _related_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", type=paper_id, nargs="?", help="papers like this one")
    p.add_argument("--view", choices=[v.value for v in View], help="papers like this view's (read next)")
    p.add_argument("--tag", type=text_arg, metavar="T", help="papers like those with this tag")
    p.add_argument("--query", type=text_arg, metavar="Q", help="papers like this search's results")
    p.add_argument("--limit", type=limit, default=20, metavar="N")
    p.add_argument("--json", action="store_true", help="print a JSON array of papers (with similarity)")


COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "import": ("import papers from files (format detected from the content)", _import_args),
    "export": ("export papers (all, a view, or a search) as JSON, BibTeX, Markdown or CSV", _export_args),
    "backup": ("write a consistent copy of the library (safe while the app runs)", _backup_args),
    "search": ("search titles, abstracts, authors, tags and notes", _search_args),
    "show": ("show one paper", _show_args),
    "list": ("list the papers of a view", _list_args),
    "stats": ("count papers, stars, queue, read papers, tags and notes", _json_args),
    "star": ("star a paper", _id_args),
    "unstar": ("unstar a paper", _id_args),
    "status": ("set a paper's reading status", _status_args),
    "tag": ("add (+name) and remove (-name) tags; with no changes, print the tags", _tag_args),
    "note": ("print, set or edit a paper's Markdown note", _note_args),
    "queue": ("the ordered reading queue", _queue_args),
    "restore": ("replace the library with a backup, keeping a copy of the current one first", _restore_args),
    "add": ("add papers by arXiv id, DOI or URL (looked up online), or by hand with --title", _add_args),
    "refresh": ("fill in papers added offline; --updates asks arXiv what is new", _refresh_args),
    "undo": ("undo the last N changes (app or command line), saying what each was", _undo_args),
    "redo": ("redo the last N undone changes", _undo_args),
    "history": ("list the changes undo can take back, newest first", _history_args),
    "views": ("list, save, rename and delete saved searches (views of their own)", _views_args),
    "edit": ("edit a paper's fields with --set, or in $VISUAL/$EDITOR as a TOML document", _edit_args),
    "rm": ("delete papers with their tags, note and queue place", _rm_args),
    "tags": ("list tags with counts (as a tree), or rename, merge or delete a tag", _tags_args),
    "index": ("embed new and changed papers, to find papers by meaning", _index_args),
    "related": ("papers most like one paper, or like a view, tag or search and not read", _related_args),
}
"""Each subcommand's one-line help and the function that adds its arguments."""


@functools.cache
def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser for every subcommand, or for ``only`` that one.

    Building the fifteen parsers costs about 10-20 ms (each asks gettext for
    translations), a tenth of a quick command's run, so :func:`main` builds
    just the one it was given, once per process.
    """
    common = _common()
    parser: argparse.ArgumentParser = _Parser(
        prog="readinglist",
        description="A keyboard-driven reading list for research papers. "
        "With no command, opens the full-screen app.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"readinglist {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (help_text, add_arguments) in COMMANDS.items():
        if only is None or name == only:
            add_arguments(sub.add_parser(name, help=help_text, description=help_text, parents=[common]))
    return parser


def command_of(argv: Sequence[str]) -> str | None:
    """The subcommand named in ``argv``, if it is plainly one (else the full parser is needed)."""
    rest = list(argv)
    while rest:
        word = rest.pop(0)
        if word == "--db":
            if rest:
                rest.pop(0)
        elif word.startswith("--db="):
            continue
        else:
            return word if word in COMMANDS else None
    return None

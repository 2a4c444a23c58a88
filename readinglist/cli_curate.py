"""The command line's paper commands: acting on several papers, editing, deleting and managing tags.

Every paper command takes ids and ``--query Q`` / ``--view V``, which select
papers the way ``export`` does (the best search hits, or a view's papers).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from readinglist.cli_common import UsageError, detail, print_papers
from readinglist.core.errors import LibraryError, PaperNotFound, ReadingListError
from readinglist.core.models import Status, View, paper_to_dict
from readinglist.core.safe_text import json_visible, visible
from readinglist.core.store import Library
from readinglist.core.wording import count_of

if TYPE_CHECKING:
    import argparse

SELECT_LIMIT = 1_000_000
"""The most search hits ``--query`` selects (the same bound as ``export --query``)."""


def select_ids(
    library: Library, ids: Sequence[int], query: str | None, view: str | None, *, what: str = "this command"
) -> list[int]:
    """The ids given, then those ``--query`` or ``--view`` selects, each once, in that order.

    Raises:
        UsageError: if nothing was asked for.
        PaperNotFound: if a given id is not in the library.
    """
    if not ids and query is None and view is None:
        raise UsageError(f"{what} needs paper IDs, --query Q or --view V")
    found = {p.id for p in library.get_many(list(ids))}
    missing = [i for i in ids if i not in found]
    if missing:
        raise PaperNotFound(missing[0])
    out = list(dict.fromkeys(ids))
    tag = None
    if view is not None:
        # A built-in view, or a saved one: its view, its tag and its search, as export takes it.
        from readinglist.core.saved_views import resolve

        chosen, query, tag = resolve(library, view)
        if query is None:
            out += library.ids(chosen, tag)
    else:
        chosen = View.ALL
    if query is not None:
        # The engine loads only for --query; ``~``/``like:`` select as export does (by meaning).
        from readinglist.core.exporter import query_ids

        selected, hint = query_ids(library, query, view=chosen, tag=tag, limit=SELECT_LIMIT, count=False)
        if hint:
            print(f"readinglist: {hint}", file=sys.stderr)
        out += selected
    return list(dict.fromkeys(out))


def _say(count: int, done: str) -> None:
    print(f"{done} {count_of(count)}", file=sys.stderr)


def _for_each(library: Library, ids: Sequence[int], action: Callable[[int], object], done: str) -> None:
    """Apply ``action`` to every paper in one transaction: all of them change, or none.

    Several papers are one undoable action, described by ``done`` with ``{what}``
    standing for their count; one paper's change is named by the library.
    """
    if len(ids) == 1:
        action(ids[0])  # the library names a one-paper change itself ("queued ...")
        return
    with library.action(done.format(what=f"{len(ids)} papers")):
        for paper_id in ids:
            action(paper_id)


def cmd_show(args: argparse.Namespace, library: Library) -> int:
    """``readinglist show ID... [--query Q | --view V] [--json]``."""
    ids = select_ids(library, args.ids, args.query, args.view, what="show")
    papers = library.get_many(ids)
    if args.json:
        shape = [paper_to_dict(p) for p in papers]
        # One id gives one object, as before; several give an array.
        data = shape[0] if len(args.ids) == 1 and args.query is None and args.view is None else shape
        print(json_visible(json.dumps(data, ensure_ascii=False, indent=2)))
    else:
        print("\n\n".join(detail(p) for p in papers))
    return 0


def cmd_star(args: argparse.Namespace, library: Library) -> int:
    """``readinglist star`` and ``unstar``."""
    ids = select_ids(library, args.ids, args.query, args.view, what=args.command)
    _for_each(
        library, ids, lambda i: library.set_starred(i, args.command == "star"), f"{args.command}red {{what}}"
    )
    if len(ids) > 1:
        _say(len(ids), "starred" if args.command == "star" else "unstarred")
    return 0


def cmd_status(args: argparse.Namespace, library: Library) -> int:
    """``readinglist status ID... STATUS``."""
    *id_texts, status_text = args.items
    if status_text not in {s.value for s in Status}:
        choices = ", ".join(s.value for s in Status)
        raise UsageError(f"status {status_text!r} is not one of {choices} (it comes last: ID... STATUS)")
    ids = select_ids(library, _ids(id_texts), args.query, args.view, what="status")
    _for_each(
        library, ids, lambda i: library.set_status(i, Status(status_text)), f"marked {{what}} {status_text}"
    )
    if len(ids) > 1:
        _say(len(ids), f"marked {status_text}:")
    return 0


def _ids(texts: Sequence[str]) -> list[int]:
    from readinglist.cli_parser import paper_id

    out = []
    for text in texts:
        try:
            out.append(paper_id(text))
        except Exception as exc:  # argparse's ArgumentTypeError: a usage mistake here too
            raise UsageError(f"paper id {text!r}: {exc}") from None
    return out


def cmd_tag(args: argparse.Namespace, library: Library) -> int:
    """``readinglist tag ID... [+name|-name]...``: with no changes, print each paper's tags."""
    add, remove, id_texts = [], [], []
    for item in args.changes:
        if item[:1] == "+":
            add.append(item[1:])
        elif item[:1] == "-":
            remove.append(item[1:])
        elif item.strip().isdigit():
            id_texts.append(item)
        else:
            raise UsageError(f"tag change {item!r} must start with + (add) or - (remove)")
    ids = select_ids(library, _ids(id_texts), args.query, args.view, what="tag")
    if add or remove:
        changes = " ".join([*(f"+{t}" for t in add), *(f"-{t}" for t in remove)])
        _for_each(library, ids, lambda i: library.tag(i, add, remove), f"tagged {{what}} {changes}")
    from readinglist.core.tag_admin import shown

    papers = library.get_many(ids)
    for paper in papers:
        tags = " ".join(shown(t) for t in paper.tags)
        print(visible(tags if len(papers) == 1 else f"{paper.id:>6} {tags}"))
    return 0


def cmd_queue(args: argparse.Namespace, library: Library) -> int:
    """``readinglist queue``."""
    if args.action == "list":
        print_papers(library.papers(View.QUEUE), args.json)
        return 0
    ids = select_ids(library, args.ids, args.query, args.view, what=f"queue {args.action}")
    actions: dict[str, Callable[[int], object]] = {
        "add": library.queue_add,
        "remove": library.queue_remove,
        "rm": library.queue_remove,
        "top": library.queue_to_top,
        "up": lambda i: library.queue_move(i, -1),
        "down": lambda i: library.queue_move(i, 1),
    }
    # top: the first id given ends on top, so the given order is kept.
    order = list(reversed(ids)) if args.action == "top" else ids
    done = {
        "add": "queued {what}",
        "remove": "took {what} out of the queue",
        "rm": "took {what} out of the queue",
        "top": "sent {what} to the top of the queue",
        "up": "moved {what} up the queue",
        "down": "moved {what} down the queue",
    }
    _for_each(library, order, actions[args.action], done[args.action])
    return 0


def cmd_edit(args: argparse.Namespace, library: Library) -> int:
    """``readinglist edit ID [--set FIELD=VALUE]...``; without ``--set``, in ``$VISUAL``/``$EDITOR``."""
    from readinglist.core import paper_edit

    paper = library.get(args.id)
    if args.sets:
        values = {}
        for item in args.sets:
            field, eq, value = item.partition("=")
            if not eq:
                raise UsageError(f"--set {item!r} must be FIELD=VALUE")
            values[field.strip()] = value
        changed = paper_edit.changes(paper, values)
    else:
        if library.read_only is not None:
            raise LibraryError(library.read_only)  # before the editor opens: nothing typed is lost
        from readinglist.paper_editor import edit_fields

        edited = edit_fields(paper)
        if edited is None:
            print(f"readinglist: paper {paper.id} unchanged", file=sys.stderr)
            return 0
        changed = edited
    if not changed:
        print(f"readinglist: paper {paper.id} unchanged", file=sys.stderr)
        return 0
    library.edit(paper.id, changed, base=paper)
    print(f"edited paper {paper.id}: {', '.join(changed)}", file=sys.stderr)
    return 0


def cmd_rm(args: argparse.Namespace, library: Library) -> int:
    """``readinglist rm ID... [--query Q | --view V --yes]``."""
    ids = select_ids(library, args.ids, args.query, args.view, what="rm")
    if (args.query is not None or args.view is not None) and not args.yes:
        # A refusal, not a malformed call: one line and exit 1, like the library's other refusals.
        raise ReadingListError(
            f"this would delete {count_of(len(ids))}; nothing was deleted "
            "(add --yes to delete what --query/--view selects)"
        )
    deleted = library.delete_many(ids)
    for paper in deleted:
        print(visible(f"deleted {paper.id} {paper.title}"))
    return 0


def cmd_tags(args: argparse.Namespace, library: Library) -> int:
    """``readinglist tags [--json]``; ``tags rename OLD NEW``, ``merge FROM... INTO``, ``delete NAME``."""
    from readinglist.core import tag_admin

    names = args.names
    if args.action == "list":
        if names:
            raise UsageError("tags (list) takes no names")
        nodes = tag_admin.tree(library.all_tags())
        if args.json:
            rows = [
                {"name": n.name, "count": n.papers, "parent": n.name.rpartition("/")[0] or None}
                for n in nodes
            ]
            print(json_visible(json.dumps(rows, ensure_ascii=False, indent=2)))
        for node in [] if args.json else nodes:
            leaf = node.name.rpartition("/")[2] if node.depth else node.name
            print(visible(f"{node.papers:>6}  {'  ' * node.depth}{tag_admin.shown(leaf)}"))
        return 0
    wanted = {"rename": 2, "delete": 1}.get(args.action)
    if (wanted is not None and len(names) != wanted) or (args.action == "merge" and len(names) < 2):
        usage = {"rename": "OLD NEW", "delete": "NAME", "merge": "FROM... INTO"}[args.action]
        raise UsageError(f"tags {args.action} takes {usage}")
    if args.action == "rename":
        count = tag_admin.rename(library, names[0], names[1])
        done = f"renamed {names[0]!r} to {names[1]!r} on"
    elif args.action == "merge":
        count = tag_admin.merge(library, names[:-1], names[-1])
        done = f"merged into {names[-1]!r}:"
    else:
        count = tag_admin.delete(library, names[0])
        done = f"deleted tag {names[0]!r} from"
    print(visible(f"{done} {count_of(count)}"))
    return 0


def _parent(name: str) -> str | None:
    return name.rpartition("/")[0] or None


HANDLERS = {
    "show": cmd_show,
    "star": cmd_star,
    "unstar": cmd_star,
    "status": cmd_status,
    "tag": cmd_tag,
    "queue": cmd_queue,
    "edit": cmd_edit,
    "rm": cmd_rm,
    "tags": cmd_tags,
}
"""Replace the single-paper handlers of :mod:`readinglist.cli` and add the new commands."""

__all__ = ["HANDLERS", "ReadingListError", "select_ids"]

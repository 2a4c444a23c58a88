"""The history commands: ``readinglist undo``, ``redo`` and ``history``."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

from readinglist.core.safe_text import json_visible, visible
from readinglist.core.store import Library

if TYPE_CHECKING:
    import argparse


def cmd_undo(args: argparse.Namespace, library: Library) -> int:
    """``readinglist undo [N]`` and ``redo [N]``: one ``undid: …`` line per action."""
    redo = args.command == "redo"
    done = library.undo(args.count, redo=redo)
    verb = "redid" if redo else "undid"
    for description in done:
        print(f"{verb}: {visible(description)}")
    if len(done) < args.count:
        print(f"readinglist: only {len(done)} to {args.command}", file=sys.stderr)
    return 0


def cmd_history(args: argparse.Namespace, library: Library) -> int:
    """``readinglist history [--json]``: the actions, newest first; undone ones (redo brings back) marked."""
    entries = library.history(args.limit)
    if args.json:
        rows = [
            {"id": e.id, "description": e.description, "at": e.at, "undone": e.undone, "changes": e.changes}
            for e in entries
        ]
        print(json_visible(json.dumps(rows, ensure_ascii=False, indent=2)))
        return 0
    if not entries:
        print("no history yet")
    for e in entries:
        mark = " (undone)" if e.undone else ""
        print(f"{e.id:>5}  {e.at.replace('T', ' ').rstrip('Z')}  {visible(e.description)}{mark}")
    return 0

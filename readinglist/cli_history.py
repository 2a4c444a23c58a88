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
    """``readinglist undo [N]`` and ``redo [N]``: one ``undid: …`` line per action, as each is done.

    Each action is its own transaction: when one is refused (another program
    changed its rows), the ones before it stay undone and have been named.
    """
    redo = args.command == "redo"
    verb = "redid" if redo else "undid"
    # Undone actions are the ones redo brings back; the others are what undo takes.
    available = sum(entry.undone == redo for entry in library.history())
    steps = max(1, min(args.count, available))  # with none, one try says "nothing to undo"
    for _ in range(steps):
        (description,) = library.undo(1, redo=redo)
        print(f"{verb}: {visible(description)}", flush=True)
    if steps < args.count:
        print(f"readinglist: only {steps} to {args.command}", file=sys.stderr)
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

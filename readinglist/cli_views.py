"""``readinglist views``: list, save, rename and delete saved searches."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from readinglist.core import saved_views
from readinglist.core.errors import LibraryError
from readinglist.core.models import View
from readinglist.core.safe_text import json_visible, visible
from readinglist.core.store import Library

if TYPE_CHECKING:
    import argparse

_NEEDS = {"list": 0, "save": 1, "rename": 2, "delete": 1}


def cmd_views(args: argparse.Namespace, library: Library) -> int:
    """``readinglist views [list|save NAME|rename OLD NEW|delete NAME]``."""
    action = args.action or "list"
    if len(args.names) != _NEEDS[action]:
        usage = {"list": "views", "save": "views save NAME", "rename": "views rename OLD NEW"}
        raise LibraryError(f"usage: readinglist {usage.get(action, 'views delete NAME')}")
    if action == "save":
        view = View(args.view) if args.view else View.ALL
        saved = saved_views.save(
            library, args.names[0], args.query or "", view, args.tag, replace=args.replace
        )
        print(f"saved: {visible(saved.name)}")
    elif action == "rename":
        saved_views.rename(library, *args.names)
        print(f"renamed: {visible(args.names[0])} -> {visible(' '.join(args.names[1].split()))}")
    elif action == "delete":
        saved_views.delete(library, args.names[0])
        print(f"deleted: {visible(args.names[0])}")
    else:
        views = saved_views.all_views(library)
        if args.json:
            rows = [saved_views.to_dict(v) for v in views]
            print(json_visible(json.dumps(rows, ensure_ascii=False, indent=2)))
        elif not views:
            print(
                "no saved views (save one with ctrl+s in the app, or `readinglist views save NAME --query Q`)"
            )
        for saved in views if not args.json else []:
            where = saved.view.value + (f" #{saved.tag}" if saved.tag else "")
            query = f'  "{saved.query}"' if saved.query else ""
            print(visible(f"{saved.name}  ({where}){query}"))
    return 0

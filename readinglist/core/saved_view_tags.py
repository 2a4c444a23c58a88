"""Saved views follow their tags: a renamed or merged tag is renamed in every saved view too.

A saved view names a tag twice over: its ``tag`` (the tag view it was saved in) and
``tag:``/``#`` filters in its query. Left alone, renaming ``rag`` to ``retrieval``
would leave a view on a tag no paper carries, which lists nothing and says nothing.
"""

from __future__ import annotations

import re

from readinglist.core.store import Library

_TAG_FILTER = re.compile(
    r'(?P<head>(?:^|(?<=\s))[-!]?(?:tag:|#))(?:"(?P<quoted>[^"]*)"|(?P<bare>[^\s"]+))', re.IGNORECASE
)
"""A tag filter in a query as the parser reads it: ``tag:name``, ``#name``, ``tag:"two words"``."""


def renamed(name: str, old: str, new: str, *, below: bool = True) -> str | None:
    """``name`` after renaming the tag ``old`` to ``new`` (None if the rename leaves it alone).

    Args:
        name: A tag name as a saved view holds it.
        old: The tag renamed (compared without regard to case, as tags are).
        new: Its new name.
        below: Whether the tags under ``old`` (``old/x``) follow it to ``new/x``.
    """
    bare = name.lstrip("#")
    if bare.casefold() == old.casefold():
        return new
    if below and bare.casefold().startswith(old.casefold() + "/"):
        return new + bare[len(old) :]
    return None


def follow(library: Library, old: str, new: str, *, below: bool = True) -> int:
    """Rename the tag ``old`` to ``new`` in every saved view: its tag and the tag filters of its query.

    Runs in the caller's write transaction (the tag's rename or merge), so one undo
    takes both back.

    Args:
        library: The library, inside a write transaction.
        old: The tag renamed or merged away.
        new: The tag it became.
        below: Whether the tags under ``old`` follow it (a rename's do; a merge's don't).

    Returns:
        How many saved views changed.
    """

    def rewrite(match: re.Match[str]) -> str:
        name = match.group("quoted") if match.group("quoted") is not None else match.group("bare")
        target = renamed(name, old, new, below=below)
        if target is None:
            return match.group(0)
        quote = match.group("quoted") is not None or any(c.isspace() for c in target)
        return match.group("head") + (f'"{target}"' if quote else target)

    changed = 0
    rows = library.conn.execute("SELECT id, query, tag FROM saved_views ORDER BY id").fetchall()
    for view_id, query, tag in rows:
        new_tag = (renamed(tag, old, new, below=below) or tag) if tag else tag
        new_query = _TAG_FILTER.sub(rewrite, query or "")
        if (new_tag, new_query) != (tag, query or ""):
            library.db.execute(
                "UPDATE saved_views SET tag = ?, query = ? WHERE id = ?", [new_tag, new_query, view_id]
            )
            changed += 1
    return changed

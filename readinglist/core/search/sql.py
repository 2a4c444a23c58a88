"""SQL and FTS5 text built from a parsed query: safe quoting and filter conditions."""

from __future__ import annotations

import json
from typing import Any

from readinglist.core.links import is_code_link
from readinglist.core.models import View
from readinglist.core.search.parser import Query
from readinglist.core.store import VIEW_SQL, like_escape, tag_filter

SORT_SQL = {
    "added": "p.added_at DESC, p.id DESC",
    "title": "p.title COLLATE NOCASE, p.id",
    "year": "p.year IS NULL, p.year DESC, p.id DESC",
    "queue": "p.queue_position IS NULL, p.queue_position, p.id",
}
"""Orders by ``sort:`` value; ``queue`` is not a ``sort:`` value but a search in the queue view's order."""
IS_WHERE = {
    "starred": "p.starred = 1",
    "queued": "p.queue_position IS NOT NULL",
    "reading": "p.status = 'reading'",
    "read": "p.status = 'read'",
    "unread": "p.status != 'read'",
}
HAS_WHERE = {
    "notes": "p.notes != ''",
    "code": "rl_has_code(p.links, p.url)",
    "link": "(p.arxiv_id IS NOT NULL OR p.doi IS NOT NULL OR p.url IS NOT NULL OR p.links != '[]')",
}


def quote(word: str) -> str:
    """One FTS5 string token: operators and punctuation inside it lose their meaning."""
    return '"' + word.replace("\0", "").replace('"', '""') + '"'


def has_code(links_json: str | None, url: str | None) -> bool:
    """Whether a paper's links (JSON list) or URL point at a code host (the ``has:code`` filter)."""
    urls = [*json.loads(links_json or "[]"), *([url] if url else [])]
    return any(is_code_link(u) for u in urls)


def where_clause(query: Query, view: View, tag: str | None) -> tuple[str, list[Any]]:
    """The SQL condition on ``papers p`` (and its parameters) for a query's filters, a view and a tag.

    Returns:
        ``("1", [])`` when nothing is filtered.
    """
    q = query
    conds = [c for c in (VIEW_SQL[view][0],) if c != "1"]
    params: list[Any] = []
    tags = [(tag, False)] if tag else []
    for name, is_prefix in [*tags, *q.tags]:
        condition, values = tag_filter(name, is_prefix)
        conds.append(condition)
        params.extend(values)
    conds += [IS_WHERE[v] for v in q.is_]
    conds += [HAS_WHERE[v] for v in q.has]
    for op, year in q.year:
        conds.append(f"p.year {op} ?")
        params.append(year)
    for op, stamp in q.added:
        if op == "=":
            conds.append("p.added_at LIKE ? ESCAPE '\\'")
            params.append(like_escape(stamp) + "%")
        else:
            conds.append(f"p.added_at {op} ?")
            params.append(stamp)
    return " AND ".join(conds) or "1", params

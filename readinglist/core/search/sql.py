"""SQL and FTS5 text built from a parsed query: safe quoting and filter conditions."""

from __future__ import annotations

import json
import re
from typing import Any

from readinglist.core.links import is_code_link
from readinglist.core.models import View
from readinglist.core.search.parser import Query

_WORD = re.compile(r"\w+")

SORT_SQL = {
    "added": "p.added_at DESC, p.id DESC",
    "title": "p.title COLLATE NOCASE, p.id",
    "year": "p.year IS NULL, p.year DESC, p.id DESC",
}
VIEW_WHERE = {
    View.ALL: "",
    View.QUEUE: "p.queue_position IS NOT NULL",
    View.STARRED: "p.starred = 1",
    View.UNREAD: "p.status != 'read'",
    View.READ: "p.status = 'read'",
}
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


def fts_query(text: str) -> str | None:
    """Turn free user text into a safe FTS5 query, or None if it has no words.

    Every word is quoted, so operators and punctuation lose their meaning; the
    last word becomes a prefix unless the text ends with a space.
    """
    words = _WORD.findall(text.replace("\0", " "))
    if not words:
        return None
    query = " ".join(quote(w) for w in words)
    return query + ("*" if not text[-1:].isspace() else "")


def has_code(links_json: str | None, url: str | None) -> bool:
    """Whether a paper's links (JSON list) or URL point at a code host (the ``has:code`` filter)."""
    urls = [*json.loads(links_json or "[]"), *([url] if url else [])]
    return any(is_code_link(u) for u in urls)


def like_escape(text: str) -> str:
    """Escape ``text`` for a LIKE pattern with a backslash escape."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def where_clause(query: Query, view: View, tag: str | None) -> tuple[str, list[Any]]:
    """The SQL condition on ``papers p`` (and its parameters) for a query's filters, a view and a tag.

    Returns:
        ``("1", [])`` when nothing is filtered.
    """
    q = query
    conds = [c for c in (VIEW_WHERE[view],) if c]
    params: list[Any] = []
    tags = [(tag.lstrip("#"), False)] if tag else []
    for name, is_prefix in [*tags, *q.tags]:
        # tag:ml also finds the tags under it (ml/rl): hierarchical names.
        op = "LIKE ? ESCAPE '\\'" if is_prefix else "= ? COLLATE NOCASE OR t.name LIKE ? ESCAPE '\\'"
        value = like_escape(name) + "%" if is_prefix else name
        conds.append(
            "p.id IN (SELECT pt.paper_id FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id "
            f"WHERE t.name {op})"
        )
        params.append(value)
        if not is_prefix:
            params.append(like_escape(name) + "/%")
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

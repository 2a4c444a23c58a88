"""Searching the library.

A simple engine for now: every word of the query must occur (the last one as a
prefix) in the title, abstract, authors, tags or notes, ranked by bm25 with the
title weighted highest. User text is tokenised before it reaches FTS5, so no
input can raise a syntax error (TECH-NOTES §4).
"""

from __future__ import annotations

import re

from readinglist.core.models import Paper
from readinglist.core.store import Library

_WORD = re.compile(r"\w+")


def fts_query(text: str) -> str | None:
    """Turn free user text into a safe FTS5 query, or None if it has no words.

    Every word is quoted, so operators and punctuation lose their meaning; the
    last word becomes a prefix unless the text ends with a space.
    """
    words = _WORD.findall(text.replace("\0", " "))
    if not words:
        return None
    query = " ".join(f'"{w}"' for w in words)
    return query + ("*" if not text[-1:].isspace() else "")


def search_ids(library: Library, text: str, limit: int = 200) -> list[int]:
    """Ids of the papers matching ``text``, best first."""
    query = fts_query(text)
    if query is None:
        return library.ids()[:limit]
    sql = """SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rank LIMIT ?"""
    with library.errors():
        return [row[0] for row in library.db.execute(sql, [query, limit])]


def search(library: Library, text: str, limit: int = 200) -> list[Paper]:
    """The papers matching ``text``, best first."""
    return library.get_many(search_ids(library, text, limit))

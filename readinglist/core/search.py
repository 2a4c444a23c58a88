"""Searching the library.

The public surface is :class:`SearchEngine`, :class:`SearchResult` and
:class:`Hit`; the TUI and ``readinglist search`` both use it.

A simple engine for now: every word of the query must occur (the last one as a
prefix) in the title, abstract, authors, tags or notes, ranked by bm25 with the
title weighted highest. User text is tokenised before it reaches FTS5, so no
input can raise a syntax error (TECH-NOTES §4).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from readinglist.core.models import Paper, View
from readinglist.core.store import Library

_WORD = re.compile(r"\w+")

Span = tuple[int, int]
"""A ``[start, end)`` character range in a field's stored text."""


@dataclass(frozen=True)
class Hit:
    """One matching paper."""

    paper_id: int
    score: float
    spans: dict[str, list[Span]] = field(default_factory=dict)
    """Matched ranges per field (``title``, ``abstract``, ``notes``…), for highlighting."""


@dataclass
class SearchResult:
    """The outcome of one query."""

    hits: list[Hit]
    total: int | None = None
    """How many papers match in all (None when not counted)."""
    hint: str | None = None
    """A message for the user, e.g. about a part of the query that was ignored."""
    terms: list[str] = field(default_factory=list)
    """The words the query looked for, for highlighting text that has no spans."""


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


def find_spans(text: str, terms: list[str]) -> list[Span]:
    """Ranges of ``text`` where a word starts with one of ``terms`` (case-insensitive)."""
    if not terms:
        return []
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in terms) + r")\w*", re.IGNORECASE)
    return [m.span() for m in pattern.finditer(text)]


class SearchEngine:
    """Runs queries against one library.

    Args:
        library: The library to search. An engine must be used on the thread
            that opened the library's connection.
    """

    def __init__(self, library: Library) -> None:
        """Bind the engine to a library."""
        self.library = library

    def search(
        self, text: str, limit: int = 200, view: View = View.ALL, tag: str | None = None
    ) -> SearchResult:
        """Run ``text`` and return up to ``limit`` hits, best first.

        Args:
            text: What the user typed.
            limit: The most hits to return.
            view: Only papers of this view.
            tag: Only papers with this tag.
        """
        query = fts_query(text)
        lib = self.library
        if query is None:
            ids = lib.ids(view, tag)
            return SearchResult([Hit(i, 0.0) for i in ids[:limit]], total=len(ids))
        allowed = None if view is View.ALL and tag is None else set(lib.ids(view, tag))
        sql = "SELECT rowid, rank FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rank"
        hits: list[Hit] = []
        total = 0
        terms = _WORD.findall(text)
        with lib.errors():
            for rowid, rank in lib.db.execute(sql, [query]):
                if allowed is not None and rowid not in allowed:
                    continue
                total += 1
                if len(hits) < limit:
                    hits.append(Hit(rowid, -float(rank)))
        papers = {p.id: p for p in lib.get_many([h.paper_id for h in hits])}
        hits = [Hit(h.paper_id, h.score, _spans(papers[h.paper_id], terms)) for h in hits]
        return SearchResult(hits, total=total, terms=terms)


def _spans(paper: Paper, terms: list[str]) -> dict[str, list[Span]]:
    return {"title": find_spans(paper.title, terms), "abstract": find_spans(paper.abstract, terms)}


def search(library: Library, text: str, limit: int = 200) -> list[Paper]:
    """The papers matching ``text``, best first."""
    result = SearchEngine(library).search(text, limit=limit)
    return library.get_many([h.paper_id for h in result.hits])

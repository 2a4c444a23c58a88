"""Word search with meaning results filled in below: the search entry point of the CLI and the app.

Word matches come first, as the word engine ranks them, and are never
pushed out. When they are fewer than a page (every word must match, so a
description often finds nothing), papers found by meaning fill the page
below them. Those are the nearest papers by meaning, re-ranked by reciprocal
rank fusion with a plain bm25 ranking of the same papers on any of the
query's words: a paper that is close in meaning *and* shares rare words
rises (benchmarks/bench_semantic.py measures each ranking alone and fused).
A query that starts with ``~`` or ``like:`` asks for meaning alone. Filters
(``tag:``, ``is:``, ``year:`` ...), the view, the tag and ``sort:`` apply to
both parts.

numpy and the model load only when meaning results are needed and the
library has vectors, so a search that finds a page of word matches costs
what it did before.
"""

from __future__ import annotations

import math
import re
import sqlite3
from typing import TYPE_CHECKING, NamedTuple

from readinglist.core.models import View
from readinglist.core.search.results import Hit, SearchResult

if TYPE_CHECKING:
    from readinglist.core.search.engine import SearchEngine
    from readinglist.core.semantic.discovery import Discovery
    from readinglist.core.store import Library

PAGE = 20
"""Fewer word matches than this (or than the limit) and meaning results fill in."""
FILL = 50
"""The most meaning results added below the word matches."""
POOL = 200
"""Nearest papers by meaning that fusion re-ranks."""
RRF_K = 60
"""The reciprocal rank fusion constant (the usual 60: ranks far down count little)."""
MEANING_PREFIXES = ("~", "like:")
NOT_READY_HINT = "search by meaning is not ready yet (its model is loading, or not installed)"
_FILTER = re.compile(r"^[-!]?(?:tag|is|has|year|added|sort):\S*$|^[-!]?#\S+$", re.IGNORECASE)
_FIELD = re.compile(r"^(?:title|abstract|authors?|notes?):", re.IGNORECASE)


class Fused(NamedTuple):
    """A search's result with meaning results below the word matches."""

    result: SearchResult
    """Word hits first, then meaning hits (whose ``spans`` are empty)."""
    words: int
    """How many of ``result.hits`` matched the words; the rest were found by meaning."""


def meaning_only(text: str) -> str | None:
    """The rest of ``text`` if it asks for meaning alone (``~...`` or ``like:...``), else None."""
    stripped = text.lstrip()
    for prefix in MEANING_PREFIXES:
        if stripped[: len(prefix)].lower() == prefix:
            return stripped[len(prefix) :]
    return None


def description(text: str) -> str:
    """The words of a query to embed: filters, ``sort:``, field names, ``|`` and quotes taken out."""
    words = [_FIELD.sub("", w) for w in text.split() if not _FILTER.match(w) and w != "|"]
    return " ".join(w.strip('"') for w in words if w.strip('"') and not w.startswith(("-", "!")))


def search(
    library: Library,
    text: str,
    limit: int = 200,
    view: View = View.ALL,
    tag: str | None = None,
    count: bool = True,
    engine: SearchEngine | None = None,
    discovery: Discovery | None = None,
    meaning: bool = True,
) -> Fused:
    """Search by words, filling in papers found by meaning below (see the module).

    Args:
        library: The library.
        text: What the user typed.
        limit: The most hits in all.
        view: Only papers of this view.
        tag: Only papers with this tag.
        count: As ``SearchEngine.search``.
        engine: The word engine to use (one is built if None).
        discovery: The meaning search to use (one is built if None).
        meaning: False to search by words only (the app, until its model has
            loaded in a worker: loading it here would hold up the search).

    Raises:
        LibraryError: if the library cannot be read.
    """
    from readinglist.core.search.engine import SearchEngine

    engine = engine or SearchEngine(library)
    rest = meaning_only(text)
    if rest is not None:
        # The filters still go through the word engine's parser (no words: a filtered listing).
        from readinglist.core.search.parser import parse

        query = parse(rest)
        result = SearchResult([], total=None, terms=[])
        hint = _meaning_unavailable(library, discovery) if meaning else NOT_READY_HINT
        if hint is None:
            found = _meaning(library, rest, query, limit, view, tag, set(), discovery, fuse=False)
            result.hits = [Hit(i, s, {}) for i, s in found]
            result.total = len(found)
        result.hint = hint or ("; ".join(dict.fromkeys(query.hints)) or None)
        return Fused(result, 0)
    result = engine.search(text, limit=limit, view=view, tag=tag, count=count)
    words = len(result.hits)
    room = min(limit - words, FILL)
    if not meaning or words >= min(limit, PAGE) or room <= 0 or not description(text).strip():
        return Fused(result, words)
    if _meaning_unavailable(library, discovery) is not None:
        return Fused(result, words)  # no model or no vectors: word search exactly as before
    from readinglist.core.search.parser import parse

    query = parse(text)
    seen = {h.paper_id for h in result.hits}
    found = _meaning(library, text, query, room, view, tag, seen, discovery, fuse=True)
    result.hits = [*result.hits, *(Hit(i, s, {}) for i, s in found)]
    return Fused(result, words)


def _meaning_unavailable(library: Library, discovery: Discovery | None) -> str | None:
    from readinglist.core.semantic.discovery import NOT_INDEXED_HINT, Discovery
    from readinglist.core.semantic.model import MISSING_HINT, available

    if not available():
        return MISSING_HINT
    if not (discovery or Discovery(library)).has_vectors():
        return NOT_INDEXED_HINT
    return None


def _meaning(
    library: Library,
    text: str,
    query: object,
    k: int,
    view: View,
    tag: str | None,
    seen: set[int],
    discovery: Discovery | None,
    fuse: bool,
) -> list[tuple[int, float]]:
    """The ``k`` best papers by meaning (fused with bm25 if ``fuse``), filtered and sorted as asked."""
    from readinglist.core.search.parser import Query
    from readinglist.core.search.sql import where_clause
    from readinglist.core.semantic.discovery import Discovery

    assert isinstance(query, Query)
    discovery = discovery or Discovery(library)
    words = description(text)
    where, params = where_clause(query, view, tag)
    if where != "1":
        _functions(library)
    pool = discovery.by_meaning(words, max(POOL, k) if fuse else k * 4 if where != "1" else k, excluded=seen)
    pool = _filtered(library, pool, where, params)
    if len(pool) < k and where != "1":
        # The filters left too few of the nearest papers: search among the filtered papers only.
        with library.errors():
            allowed = [r[0] for r in library.conn.execute(f"SELECT p.id FROM papers p WHERE {where}", params)]
        pool = discovery.by_meaning(words, max(POOL, k) if fuse else k, allowed=allowed, excluded=seen)
    if fuse:
        # The vectors' count stands in for the library's (a count(*) costs 5-10 ms at 100k).
        pool = rrf(pool, lexical_rank(library, words, [i for i, _ in pool], len(discovery.matrix)))
    pool = pool[:k]
    # In the queue view, queue order unless the query says ``sort:`` (as the word engine does).
    sort = "queue" if view is View.QUEUE and not query.sort_given else query.sort
    if sort != "relevance" and pool:
        pool = _sorted(library, pool, sort)
    return pool


def rrf(ranked: list[tuple[int, float]], other: list[int], k: int = RRF_K) -> list[tuple[int, float]]:
    """``ranked`` re-ordered by reciprocal rank fusion with ``other`` (scores stay as given)."""
    pos = {pid: r for r, pid in enumerate(other)}
    score = {
        pid: 1.0 / (k + r) + (1.0 / (k + pos[pid]) if pid in pos else 0.0)
        for r, (pid, _) in enumerate(ranked)
    }
    return sorted(ranked, key=lambda item: -score[item[0]])


_TOKEN = re.compile(r"[a-z0-9]+")
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ers", "es", "ed", "er", "ly", "s")
TITLE_WEIGHT = 1
"""A title word counts as this many abstract words. The vectors already weigh the title
double; weighing it again here (3, 5 or 10) found 30-31 of the 35 quality queries in the
top 5 against 31 at 1, and a lower MRR."""


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def lexical_rank(
    library: Library,
    words: str,
    among: list[int],
    papers: int | None = None,
    k1: float = 1.2,
    b: float = 0.75,
) -> list[int]:
    """``among`` ranked by bm25 on any of the (non-stop) words of ``words``; papers with none left out.

    Scored here over the few papers given: asking the full-text index for a
    bm25 OR ranking scores every paper that has any of the words (1-3 s at
    100k papers for a description of common words), even when told which
    rows to return. A word matches its forms (``model`` also ``models``,
    ``modeling``) by a shared stem; how rare a word is comes from the word
    engine's word list (``search_vocab``), else from the papers given.
    ``papers`` is how many papers the library holds (counted if None).
    """
    from readinglist.core.semantic.model import STOP_WORDS

    query = [w for w in dict.fromkeys(_TOKEN.findall(words.lower())) if w not in STOP_WORDS]
    if not query or not among:
        return []
    stems = {_stem(w): w for w in query}
    forms = "|".join(re.escape(s) for s in sorted(stems, key=len, reverse=True))
    pattern = re.compile(rf"\b({forms})[a-z]{{0,5}}\b")
    marks = ",".join("?" * len(among))
    with library.errors():
        rows = library.conn.execute(
            f"SELECT id, title, abstract FROM papers WHERE id IN ({marks})", among
        ).fetchall()
    docs: dict[int, dict[str, int]] = {}
    lengths: dict[int, int] = {}
    for pid, title, abstract in rows:
        text = f"{title} " * TITLE_WEIGHT + (abstract or "")
        lengths[pid] = text.count(" ") + 1
        counts: dict[str, int] = {}
        for found in pattern.findall(text.lower()):
            counts[found] = counts.get(found, 0) + 1
        docs[pid] = counts
    if not docs:
        return []
    mean = max(1.0, sum(lengths.values()) / len(docs))
    idf = _idf(library, stems, docs, papers)
    scores = {
        pid: sum(
            idf[t] * c * (k1 + 1) / (c + k1 * (1 - b + b * lengths[pid] / mean)) for t, c in counts.items()
        )
        for pid, counts in docs.items()
        if counts
    }
    order = {pid: k for k, pid in enumerate(among)}
    return sorted(scores, key=lambda pid: (-scores[pid], order[pid]))


def _idf(
    library: Library, stems: dict[str, str], docs: dict[int, dict[str, int]], papers: int | None
) -> dict[str, float]:
    """Each stem's inverse document frequency: library-wide where the word list knows the word."""
    known: dict[str, int] = {}
    try:
        marks = ",".join("?" * len(stems))
        words = list(stems.values())
        known = dict(
            library.conn.execute(f"SELECT word, freq FROM search_vocab WHERE word IN ({marks})", words)
        )
        total = papers or int(library.conn.execute("SELECT count(*) FROM papers").fetchone()[0])
    except sqlite3.Error:
        total = 0
    out = {}
    for stem, word in stems.items():
        if total and word in known:
            n, df = total, min(int(known[word]), total)
        else:
            n, df = len(docs), sum(1 for c in docs.values() if stem in c)
        out[stem] = math.log(1 + (n - df + 0.5) / (df + 0.5))
    return out


def bm25_or(library: Library, words: str, among: list[int] | None = None, limit: int = POOL) -> list[int]:
    """Papers matching any of the (non-stop) words of ``words``, best bm25 first.

    Args:
        library: The library.
        words: Plain words.
        among: Only these papers (None for all).
        limit: The most ids.
    """
    from readinglist.core.search.sql import quote
    from readinglist.core.search.words import words_of
    from readinglist.core.semantic.model import STOP_WORDS

    terms = [w for w in dict.fromkeys(words_of(words)) if w not in STOP_WORDS]
    if not terms or (among is not None and not among):
        return []
    match = " OR ".join(quote(w) for w in terms)
    sql = "SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?"
    params: list[object] = [match]
    if among is not None:
        sql += f" AND rowid IN ({','.join('?' * len(among))})"
        params += among
    with library.errors():
        ranked = [r[0] for r in library.conn.execute(f"{sql} ORDER BY rank LIMIT ?", [*params, limit])]
        if len(ranked) < limit:
            # Tags have their own index (m010): papers found only by a tag come after, newest first.
            tagged = (
                "SELECT DISTINCT paper_id FROM paper_tags WHERE tag_id IN "
                "(SELECT rowid FROM tags_fts WHERE tags_fts MATCH ?)"
            )
            if among is not None:
                tagged += f" AND paper_id IN ({','.join('?' * len(among))})"
            seen = set(ranked)
            for (pid,) in library.conn.execute(f"{tagged} ORDER BY paper_id DESC", params):
                if pid not in seen:
                    ranked.append(pid)
                    if len(ranked) >= limit:
                        break
        return ranked


def _filtered(
    library: Library, pool: list[tuple[int, float]], where: str, params: list[object]
) -> list[tuple[int, float]]:
    if where == "1" or not pool:
        return pool
    ids = [i for i, _ in pool]
    sql = f"SELECT p.id FROM papers p WHERE p.id IN ({','.join('?' * len(ids))}) AND {where}"
    with library.errors():
        keep = {r[0] for r in library.conn.execute(sql, [*ids, *params])}
    return [item for item in pool if item[0] in keep]


def _sorted(library: Library, pool: list[tuple[int, float]], sort: str) -> list[tuple[int, float]]:
    from readinglist.core.search.sql import SORT_SQL

    ids = [i for i, _ in pool]
    scores = dict(pool)
    sql = f"SELECT p.id FROM papers p WHERE p.id IN ({','.join('?' * len(ids))}) ORDER BY {SORT_SQL[sort]}"
    with library.errors():
        return [(r[0], scores[r[0]]) for r in library.conn.execute(sql, ids)]


def _functions(library: Library) -> None:
    """The SQL functions the filters call (``has:code``), as the word engine registers them."""
    from readinglist.core.search.sql import has_code

    library.conn.create_function("rl_has_code", 2, has_code, deterministic=True)

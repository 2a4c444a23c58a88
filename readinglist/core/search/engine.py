"""The search engine: parse, expand, retrieve, rank, highlight.

Retrieval uses the porter-stemmed full-text index (``papers_fts``). Each query
word becomes an OR of itself, its typo neighbours and (for the word being
typed) its completions, all looked up in the indexed word list. Two candidate
sets are fetched: papers with every word in the title, and papers with every
word anywhere, ordered by bm25 when the match set is small enough for that to
be cheap and by recency otherwise (bm25 scores every match before ``LIMIT``
applies: about 1 µs per matching paper). Candidates are then ranked in Python
(see :mod:`readinglist.core.search.rank`).
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from readinglist.core.errors import LibraryError
from readinglist.core.links import is_code_link
from readinglist.core.models import Paper, View
from readinglist.core.search import rank
from readinglist.core.search.parser import Clause, Query, Term, parse
from readinglist.core.search.vocab import Expansion, expand, refresh_vocab
from readinglist.core.store import BUSY_TIMEOUT_S, Library

_WORD = re.compile(r"\w+")

Span = tuple[int, int]
"""A ``[start, end)`` character range in a field's stored text."""

CANDIDATE_MARGIN = 30
"""Candidates fetched beyond ``limit``, so ranking can still reorder the page's edge."""
ABSTRACT_SPANS = 50
"""Abstract spans are computed for this many top hits (the rest carry title, author and tag spans)."""
FILTER_FIRST_MAX = 20_000
"""Filters leaving at most this many papers are applied first, then each is probed in the index."""
COUNT_CAP = 1_000
"""Matches are counted exactly up to this many; beyond, ``SearchResult.total`` is None."""
SORT_CAP = 2_000
"""Up to this many matches, ``sort:`` orders all of them; beyond, the newest SORT_CAP."""

_SORT_SQL = {
    "added": "p.added_at DESC, p.id DESC",
    "title": "p.title COLLATE NOCASE, p.id",
    "year": "p.year IS NULL, p.year DESC, p.id DESC",
}
_VIEW_WHERE = {
    View.ALL: "",
    View.QUEUE: "p.queue_position IS NOT NULL",
    View.STARRED: "p.starred = 1",
    View.UNREAD: "p.status != 'read'",
    View.READ: "p.status = 'read'",
}
_IS_WHERE = {
    "starred": "p.starred = 1",
    "queued": "p.queue_position IS NOT NULL",
    "reading": "p.status = 'reading'",
    "read": "p.status = 'read'",
    "unread": "p.status != 'read'",
}
_HAS_WHERE = {
    "notes": "p.notes != ''",
    "code": "rl_has_code(p.links, p.url)",
    "link": "(p.arxiv_id IS NOT NULL OR p.doi IS NOT NULL OR p.url IS NOT NULL OR p.links != '[]')",
}


@dataclass(frozen=True)
class Hit:
    """One matching paper."""

    paper_id: int
    score: float
    spans: dict[str, list[Span]] = field(default_factory=dict)
    """Matched ranges per field, for highlighting: ``title``, ``abstract`` and
    ``notes`` index the stored text; ``authors`` indexes ``", ".join(paper.authors)``
    and ``tags`` indexes ``" ".join(paper.tags)``. Abstract and notes spans are
    only computed for the first ``ABSTRACT_SPANS`` hits; use ``SearchResult.terms``
    (or search again) for papers further down."""


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


def find_spans(text: str, terms: list[str]) -> list[Span]:
    """Ranges of ``text`` where a word starts with one of ``terms`` (case-insensitive)."""
    if not terms:
        return []
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in terms) + r")\w*", re.IGNORECASE)
    return [m.span() for m in pattern.finditer(text)]


def _has_code(links_json: str | None, url: str | None) -> bool:
    urls = [*json.loads(links_json or "[]"), *([url] if url else [])]
    return any(is_code_link(u) for u in urls)


class SearchEngine:
    """Runs queries against one library.

    Cheap to build (the TUI builds one per query): it holds nothing but the
    library; the word list it needs lives, indexed, in the library file.

    Args:
        library: The library to search. An engine must be used on the thread
            that opened the library's connection (or under the caller's lock).
    """

    def __init__(self, library: Library) -> None:
        """Bind the engine to a library."""
        self.library = library

    def search(
        self, text: str, limit: int = 200, view: View = View.ALL, tag: str | None = None
    ) -> SearchResult:
        """Run ``text`` and return up to ``limit`` hits, best first.

        Any text is accepted: parts that cannot be used are reported in
        ``hint`` instead of raising.

        Args:
            text: What the user typed (see README "Search syntax").
            limit: The most hits to return.
            view: Only papers of this view.
            tag: Only papers with this tag.

        Raises:
            LibraryError: if the library itself cannot be read.
        """
        query = parse(text)
        self._refresh()
        run = _Run(self.library, query, max(0, limit), view, tag)
        result = run.execute()
        if not query.clauses and not query.excluded and text.strip() and not query.has_filters:
            if query.sort == "relevance" and not query.hints:
                query.hints.append("nothing to search for in the query: showing every paper")
        result.hint = "; ".join(dict.fromkeys(query.hints)) or None
        return result

    def _refresh(self) -> None:
        """Bring the word list up to date if papers changed since the last import."""
        lib = self.library
        with lib.errors():
            dirty = lib.db.execute("SELECT EXISTS (SELECT 1 FROM search_dirty)").fetchone()[0]
        if not dirty:
            return
        # Never wait long on another process's write lock: a stale word list
        # only means fewer typo expansions this time.
        lib.db.execute("PRAGMA busy_timeout = 100")
        try:
            refresh_vocab(lib)
        except LibraryError:
            pass
        finally:
            lib.db.execute(f"PRAGMA busy_timeout = {int(1000 * BUSY_TIMEOUT_S)}")


class _Run:
    """One query's execution (kept apart from the engine so the engine stays stateless)."""

    def __init__(self, library: Library, query: Query, limit: int, view: View, tag: str | None) -> None:
        self.lib = library
        self.db = library.db
        self.query = query
        self.limit = limit
        self.expansions: dict[str, Expansion] = {}
        self._highlight: tuple[rank.Highlighter, rank.Highlighter] | None = None
        self._few_filtered: bool | None = None
        self._allowed: set[int] = set()
        self.view = view
        self.where, self.params = self._filters(view, tag)
        if "code" in query.has:
            self.db.conn.create_function("rl_has_code", 2, _has_code, deterministic=True)

    # -- building -------------------------------------------------------------

    def _filters(self, view: View, tag: str | None) -> tuple[str, list[Any]]:
        q = self.query
        conds = [c for c in (_VIEW_WHERE[view],) if c]
        params: list[Any] = []
        tags = [(tag.lstrip("#"), False)] if tag else []
        for name, is_prefix in [*tags, *q.tags]:
            op = "LIKE ? ESCAPE '\\'" if is_prefix else "= ? COLLATE NOCASE"
            value = _like_escape(name) + "%" if is_prefix else name
            conds.append(
                "p.id IN (SELECT pt.paper_id FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id "
                f"WHERE t.name {op})"
            )
            params.append(value)
        conds += [_IS_WHERE[v] for v in q.is_]
        conds += [_HAS_WHERE[v] for v in q.has]
        for op, year in q.year:
            conds.append(f"p.year {op} ?")
            params.append(year)
        for op, stamp in q.added:
            if op == "=":
                conds.append("p.added_at LIKE ? ESCAPE '\\'")
                params.append(_like_escape(stamp) + "%")
            else:
                conds.append(f"p.added_at {op} ?")
                params.append(stamp)
        return " AND ".join(conds) or "1", params

    def _expand(self) -> None:
        for clause in self.query.clauses:
            for term in clause.terms:
                if term.phrase:
                    continue
                for w in term.words:
                    key = w
                    if key not in self.expansions:
                        self.expansions[key] = expand(self.lib, w, prefix=term.prefix)

    def _term_expr(self, term: Term, column: str | None, expanded: bool) -> str:
        """One term as FTS5 syntax; ``column`` "" means no column filter at all."""
        col = None if column == "" else (term.field or column)
        if term.phrase:
            body = quote(" ".join(term.words))
        else:
            exp = self.expansions[term.words[0]]
            words = exp.all_words() if expanded else [exp.word]
            alts = [quote(w) for w in words]
            if expanded and term.prefix and not exp.known and not exp.completions and len(exp.word) >= 3:
                # The word list may lag behind; the index's own prefix search is a
                # fallback (a costly one: FTS5 merges every matching term's doclist).
                alts.append(quote(exp.word) + "*")
            body = alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")"
        return f"{{{col}}} : {body}" if col else body

    def _match(self, column: str | None = None, expanded: bool = True) -> str:
        clauses = [
            "(" + " OR ".join(self._term_expr(t, column, expanded) for t in c.terms) + ")"
            for c in self.query.clauses
        ]
        expr = " AND ".join(clauses)
        for term in self.query.excluded:
            expr += " NOT " + self._term_expr(term, None, False)
        return expr

    def _title_only_possible(self) -> bool:
        """Whether the title index alone can answer "every clause in the title"."""
        terms = [t for c in self.query.clauses for t in c.terms]
        return not self.query.excluded and all(t.field in (None, "title") for t in terms)

    # -- running --------------------------------------------------------------

    def execute(self) -> SearchResult:
        q = self.query
        if not q.clauses and not q.excluded:
            return self._listing(None)
        with self.lib.errors():
            self._expand()
        terms = q.positive_words
        try:
            if not q.clauses:
                # Only exclusions: every paper except those matching them.
                return self._listing(self._match().removeprefix(" NOT "))
            if q.sort != "relevance":
                return self._sorted(terms)
            return self._ranked(terms)
        except sqlite3.OperationalError as exc:
            if "fts5" in str(exc) or "syntax" in str(exc):
                q.hints.append("part of the query could not be searched")
                return SearchResult([], total=0, terms=terms)
            with self.lib.errors():
                raise

    def _listing(self, excluded: str | None) -> SearchResult:
        """Papers narrowed by filters only (and exclusions), in the chosen order."""
        where, params = self.where, list(self.params)
        if excluded:
            where += " AND p.id NOT IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)"
            params.append(excluded)
        # Without sort: the view's own order (the queue view lists by queue position).
        view_order = "p.queue_position" if self.view is View.QUEUE else "p.added_at DESC, p.id"
        order = _SORT_SQL.get(self.query.sort, view_order)
        with self.lib.errors():
            ids = [
                r[0]
                for r in self.db.execute(
                    f"SELECT p.id FROM papers p WHERE {where} ORDER BY {order} LIMIT ?", [*params, self.limit]
                )
            ]
            total = self.db.execute(f"SELECT count(*) FROM papers p WHERE {where}", params).fetchone()[0]
        return SearchResult([Hit(i, 0.0) for i in ids], total=int(total), terms=[])

    def _select(
        self, match: str, columns: str, order: str, limit: int, table: str = "papers_fts"
    ) -> list[Any]:
        """Run one full-text query; the papers table is joined only when filters need it."""
        columns, order = columns.replace("papers_fts", table), order.replace("papers_fts", table)
        if self.where == "1":
            sql = f"SELECT {columns} FROM {table} WHERE {table} MATCH ? ORDER BY {order} LIMIT ?"
            return self.db.execute(sql, [match, limit]).fetchall()
        if self._filter_first():
            # Few papers pass the filters: stream the index's matches, newest
            # first, and keep those that pass (a per-row probe of the index with
            # rowid = ? costs about 0.3 ms, far more than streaming).
            allowed = self._allowed
            out: list[Any] = []
            cursor = self.db.execute(
                f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC", [match]
            )
            for row in cursor:
                if row[0] in allowed:
                    out.append(row)
                    if len(out) >= limit:
                        break
            cursor.close()
            return out
        sql = (
            f"SELECT {columns} FROM {table} JOIN papers p ON p.id = {table}.rowid "
            f"WHERE {table} MATCH ? AND {self.where} ORDER BY {order} LIMIT ?"
        )
        return self.db.execute(sql, [match, *self.params, limit]).fetchall()

    def _filter_first(self) -> bool:
        """Whether the filters leave so few papers that checking matches against them beats a join."""
        if self.where == "1":
            return False
        if self._few_filtered is None:
            sql = f"SELECT p.id FROM papers p WHERE {self.where} LIMIT ?"
            ids = [r[0] for r in self.db.execute(sql, [*self.params, FILTER_FIRST_MAX + 1])]
            self._few_filtered = len(ids) <= FILTER_FIRST_MAX
            self._allowed = set(ids)
        return self._few_filtered

    def _count(self, match: str, cap: int) -> int:
        """How many papers match, counting no further than ``cap + 1`` (so it stays cheap)."""
        return len(self._select(match, "papers_fts.rowid", "papers_fts.rowid DESC", cap + 1))

    def _sorted(self, terms: list[str]) -> SearchResult:
        match = self._match()
        found = [r[0] for r in self._select(match, "papers_fts.rowid", "papers_fts.rowid DESC", SORT_CAP + 1)]
        complete = len(found) <= SORT_CAP
        if not complete and self.query.sort != "added":
            # Too many to sort them all: sort the newest matches and say so
            # (ids grow as papers are added, so "added" needs no such caveat).
            self.query.hints.append(f"sorted among the {SORT_CAP:,} most recently added matches")
        found = found[:SORT_CAP]
        marks = ",".join("?" * len(found))
        sql = (
            f"SELECT p.id FROM papers p WHERE p.id IN ({marks}) ORDER BY {_SORT_SQL[self.query.sort]} LIMIT ?"
        )
        ids = [r[0] for r in self.db.execute(sql, [*found, self.limit])] if found else []
        rows = self._rows(ids, with_abstract=True)
        hits = [Hit(i, 0.0, self._spans(rows[i], k)) for k, i in enumerate(ids) if i in rows]
        return self._finish(hits, len(found) if complete else None, terms)

    def _ranked(self, terms: list[str]) -> SearchResult:
        match = self._match()
        # Tiers, best first: whole words in the title, any expansion in the title,
        # whole words anywhere, anything anywhere. Each takes the newest matches
        # and the next tier runs only while the page is not full, so a huge match
        # set costs no more than a small one.
        need = self.limit + CANDIDATE_MARGIN
        newest = [r[0] for r in self._select(match, "papers_fts.rowid", "papers_fts.rowid DESC", need + 1)]
        cands: dict[int, None] = {}
        total: int | None = len(newest) if len(newest) <= need else None
        if len(newest) > need:
            # Counting is cheap up to a point (the index streams rowids): exact
            # totals up to COUNT_CAP, None beyond.
            n = self._count(match, COUNT_CAP)
            total = n if n <= COUNT_CAP else None
        if len(newest) > need and not self._filter_first():
            tiers: list[tuple[str, str]] = []
            if self._title_only_possible():
                tiers += [(self._match("", False), "papers_title_fts"), (self._match(""), "papers_title_fts")]
            tiers.append((self._match(None, False), "papers_fts"))
            for expr, table in dict.fromkeys(tiers):
                if expr == match and table == "papers_fts":
                    break  # the same query as `newest`, already run
                for (pid,) in self._select(expr, "papers_fts.rowid", "papers_fts.rowid DESC", need, table):
                    cands[pid] = None
                if len(cands) >= need:
                    break
        if len(cands) < need:
            cands.update(dict.fromkeys(newest[:need]))
        rows = self._rows(list(cands))
        matcher = rank.Matcher(self.query, self.expansions)
        scored: dict[int, float] = {}
        partial: list[int] = []
        for pid, row in rows.items():
            # The raw JSON list of authors tokenises to the same words as the names.
            others = " ".join((row["authors"], row["tags_text"], row["notes"]))
            found = rank.title_score(matcher, row["title"], others)
            scored[pid] = found.score
            row["title_spans"], row["elsewhere"] = found.spans, found.elsewhere
            if found.score < rank.FULL_TITLE:
                partial.append(pid)
        # bm25-style weight of the abstract, only where the title does not already say it all.
        abstracts = self._abstracts(partial)
        literals = rank.query_literals(self.query, self.expansions)
        weights = [1.0 / math.log(2.0 + self._freq(c)) for c in self.query.clauses]
        for pid, abstract in abstracts.items():
            rows[pid]["abstract"] = abstract
            scored[pid] += rank.abstract_score(literals, weights, abstract)
        # Two stable sorts: newest first, then by score and star (ties keep recency).
        order = sorted(rows, key=lambda i: (rows[i]["added_at"], i), reverse=True)
        order.sort(key=lambda i: (-scored[i], -rows[i]["starred"]))
        order = order[: self.limit]
        missing = [i for i in order[:ABSTRACT_SPANS] if "abstract" not in rows[i]]
        for pid, abstract in self._abstracts(missing).items():
            rows[pid]["abstract"] = abstract
        hits = [Hit(pid, round(scored[pid], 3), self._spans(rows[pid], k)) for k, pid in enumerate(order)]
        return self._finish(hits, total, terms)

    def _freq(self, clause: Clause) -> int:
        total = 0
        for term in clause.terms:
            if term.phrase:
                total += min((self._word_freq(w) for w in term.words), default=0)
            else:
                exp = self.expansions[term.words[0]]
                total += exp.freq + sum(n for _, n in exp.completions) + sum(n for _, n in exp.typos)
        return total

    def _word_freq(self, word: str) -> int:
        row = self.db.execute("SELECT freq FROM search_vocab WHERE word = ?", [word]).fetchone()
        return int(row[0]) if row else 0

    def _finish(self, hits: list[Hit], total: int | None, terms: list[str]) -> SearchResult:
        if not hits:
            unknown = [
                e.word for e in self.expansions.values() if not e.known and not e.typos and not e.completions
            ]
            if unknown and len(self.query.clauses) > 1:
                # With one word "no results" already says it; with several, name the culprit.
                self.query.hints.append("no paper has " + ", ".join(f'"{w}"' for w in unknown))
            elif len(self.query.clauses) > 1:
                self.query.hints.append("no paper matches every word; try fewer words or a | b")
        return SearchResult(hits, total=total, terms=terms)

    def _rows(self, ids: list[int], with_abstract: bool = False) -> dict[int, dict[str, Any]]:
        out: dict[int, dict[str, Any]] = {}
        extra = ", abstract" if with_abstract else ", NULL"
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"""SELECT id, title, authors, tags_text, notes, starred, added_at, year{extra}
                      FROM papers WHERE id IN ({marks})"""
            for pid, title, authors, tags_text, notes, starred, added, year, abstract in self.db.execute(
                sql, chunk
            ):
                out[pid] = {
                    "title": title,
                    "authors": authors or "[]",
                    "tags_text": tags_text or "",
                    "notes": notes or "",
                    "starred": int(starred),
                    "added_at": added or "",
                    "year": year,
                }
                if with_abstract:
                    out[pid]["abstract"] = abstract or ""
        return out

    def _abstracts(self, ids: list[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for pid, abstract in self.db.execute(
                f"SELECT id, abstract FROM papers WHERE id IN ({marks})", chunk
            ):
                out[pid] = abstract or ""
        return out

    def _spans(self, row: dict[str, Any], rank_pos: int = 0) -> dict[str, list[Span]]:
        if self._highlight is None:
            literals = rank.query_literals(self.query, self.expansions)
            # In an abstract, one- and two-letter word starts would light up everything.
            self._highlight = (rank.Highlighter(literals), rank.Highlighter(literals, min_len=3))
        short, long = self._highlight
        title = row.get("title_spans")
        # Authors and tags only need highlighting when the title did not hold every word.
        elsewhere = row.get("elsewhere", True)
        fields = {
            "title": short.spans(row["title"]) if title is None else title,
            "abstract": long.spans(row.get("abstract", "")) if rank_pos < ABSTRACT_SPANS else [],
            "authors": short.spans(", ".join(json.loads(row["authors"]))) if elsewhere else [],
            "tags": short.spans(row["tags_text"]) if elsewhere else [],
            "notes": long.spans(row["notes"]) if rank_pos < ABSTRACT_SPANS else [],
        }
        return {name: spans for name, spans in fields.items() if spans}


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search(library: Library, text: str, limit: int = 200) -> list[Paper]:
    """The papers matching ``text``, best first."""
    result = SearchEngine(library).search(text, limit=limit)
    return library.get_many([h.paper_id for h in result.hits])

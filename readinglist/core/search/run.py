"""Running one parsed query: candidate retrieval in tiers, ranking, spans.

Retrieval uses the porter-stemmed full-text index (``papers_fts``) and a
title-only one (``papers_title_fts``), queried with the match text that
:mod:`readinglist.core.search.match` builds from the query's words
(and, for a word found in tags, the tag-name index: :mod:`readinglist.core.search.tagged`).
Candidates are the newest matches of a few tiers, best first: every word in
the title as typed, every word in the title with expansions, every word
anywhere as typed, anything anywhere. Each tier stops at ``limit +
CANDIDATE_MARGIN`` rows and later tiers run only while the page is not full,
so the cost does not grow with the number of matches (bm25 in FTS5 scores
every match before ``LIMIT`` applies: 390 ms for a common pair of words at
100k papers). Candidates are then ranked in Python
(:mod:`readinglist.core.search.rank`).
"""

from __future__ import annotations

import math
import sqlite3
from typing import Any

from readinglist.core.models import View
from readinglist.core.search import rank
from readinglist.core.search.cache import PaperRow, SearchCache
from readinglist.core.search.parser import Query
from readinglist.core.search.results import COUNT_CAP, Hit, SearchResult, Span
from readinglist.core.search.spans import HitSpans
from readinglist.core.search.sql import SORT_SQL, has_code, where_clause
from readinglist.core.search.tagged import TaggedTerms
from readinglist.core.search.vocab import MAX_WORD_LEN
from readinglist.core.store import VIEW_SQL, Library

CANDIDATE_MARGIN = 30
"""Candidates fetched beyond ``limit``, so ranking can still reorder the page's edge."""
ABSTRACT_SPANS = 50
"""Abstract spans are computed for this many top hits (the rest carry title, author and tag spans)."""
FILTER_FIRST_MAX = 20_000
"""Filters leaving at most this many papers are applied first, then each is probed in the index."""
SORT_CAP = 2_000
"""Up to this many matches, ``sort:`` orders all of them; beyond, the newest SORT_CAP."""


class QueryRun(TaggedTerms):
    """One query's execution (kept apart from the engine so the engine stays stateless).

    Its words and their FTS5 text come from :class:`~readinglist.core.search.match.QueryTerms`,
    the tags they match from :class:`~readinglist.core.search.tagged.TaggedTerms`.

    Args:
        library: Where to search.
        query: The parsed query.
        limit: The most hits to return.
        view: Only papers of this view.
        tag: Only papers with this tag.
        count: Count the matches up to ``COUNT_CAP`` (else only up to the
            candidates needed; see :meth:`count_matches`).
        cache: What earlier searches on this connection read (synced by the caller).
    """

    def __init__(
        self,
        library: Library,
        query: Query,
        limit: int,
        view: View,
        tag: str | None,
        count: bool = True,
        cache: SearchCache | None = None,
    ) -> None:
        """Prepare the filters; nothing is read until :meth:`execute`."""
        super().__init__(library, query, cache)
        self.count = count
        self.limit = limit
        self._highlight: HitSpans | None = None
        self._few_filtered: bool | None = None
        self._allowed: set[int] = set()
        self.view = view
        # A search inside the queue keeps the queue's order unless it says ``sort:``:
        # the queue is a plan, and its positions are the point of the view.
        self.sort = "queue" if view is View.QUEUE and not query.sort_given else query.sort
        self.where, self.params = where_clause(query, view, tag)
        if "code" in query.has:
            self.db.create_function("rl_has_code", 2, has_code, deterministic=True)

    # -- running --------------------------------------------------------------

    def execute(self) -> SearchResult:
        """Run the query; FTS5 syntax errors (which quoting should rule out) become a hint."""
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
            parsed = len(q.hints)  # the parser's hints ("year:soon … ignored") stay
            result = self._sorted(terms) if self.sort != "relevance" else self._ranked(terms)
            if not result.hits and self._widen():
                self._highlight = None  # the other forms light up too
                # Nothing matched as typed: try other forms of the long words once
                # ("synthesis" also as "synthesizers"), and say so.
                del q.hints[parsed:]
                result = self._sorted(terms) if self.sort != "relevance" else self._ranked(terms)
                if result.hits:
                    q.hints.append("no exact match; showing other forms of the words")
            return result
        except sqlite3.OperationalError as exc:
            if "fts5" in str(exc) or "syntax" in str(exc):
                q.hints.append("part of the query could not be searched")
                return SearchResult([], total=0, terms=terms)
            with self.lib.errors():
                raise

    def count_matches(self) -> int | None:
        """How many papers match, up to ``COUNT_CAP`` (None beyond, or with few filtered papers).

        The same count a counting :meth:`execute` returns, for a caller that
        ran it with ``count=False`` to show the hits sooner.
        """
        q = self.query
        if not q.clauses or self.sort != "relevance":
            return self.execute().total  # these searches always count
        with self.lib.errors():
            if self._filter_first():
                return None
        found = self.newest_matches(COUNT_CAP + 1)
        if not found:
            return self.execute().total  # nothing as typed: the search widens the words (or 0)
        return len(found) if len(found) <= COUNT_CAP else None

    def newest_matches(self, limit: int, titles: bool = False) -> list[int]:
        """The ids of the newest ``limit`` papers matching every clause, unranked.

        Args:
            limit: The most ids to return.
            titles: Only papers matching every clause in the title (the title
                tiers' candidates), if the title index can tell.

        Returns:
            Newest first; empty when the query has no words, when filters
            leave few papers, or when the index cannot run it.
        """
        with self.lib.errors():
            self._expand()
            if not self.query.clauses or self._filter_first():
                return []
            if titles and not self._title_only_possible():
                return []
            match, table = (self._match(""), "papers_title_fts") if titles else (self._match(), "papers_fts")
            try:
                rows = self._select(match, "papers_fts.rowid", "papers_fts.rowid DESC", limit, table)
                return [r[0] for r in rows]
            except sqlite3.OperationalError as exc:
                if "fts5" in str(exc) or "syntax" in str(exc):
                    return []
                raise

    def _listing(self, excluded: str | None) -> SearchResult:
        """Papers narrowed by filters only (and exclusions), in the chosen order."""
        where, params = self.where, list(self.params)
        if excluded:
            where += " AND p.id NOT IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)"
            params.append(excluded)
            tagged = self.tag_condition(False)
            if tagged is not None:  # the excluded words' tags too (the condition holds only exclusions)
                where += f" AND {tagged[0]}"
                params.extend(tagged[1])
        # Without sort: the view's own order (the queue view lists by queue position).
        view_order = VIEW_SQL[self.view][1]
        order = SORT_SQL.get(self.sort, view_order)
        with self.lib.errors():
            ids = [
                r[0]
                for r in self.db.execute(
                    f"SELECT p.id FROM papers p WHERE {where} ORDER BY {order} LIMIT ?", [*params, self.limit]
                )
            ]
            total = self.db.execute(f"SELECT count(*) FROM papers p WHERE {where}", params).fetchone()[0]
        return SearchResult([Hit(i, 0.0, {}) for i in ids], total=int(total), terms=[])

    def _select(
        self,
        match: str,
        columns: str,
        order: str,
        limit: int,
        table: str = "papers_fts",
        expanded: bool = True,
    ) -> list[Any]:
        """Run one full-text query; the papers table is joined only when filters need it.

        ``match`` is the query's text with or without its expansions (``expanded``): on
        ``papers_fts``, when some word is in a tag, the tag-aware condition runs instead.
        """
        tagged = self.tag_condition(expanded) if table == "papers_fts" else None
        if tagged is not None:
            sql = f"SELECT p.id FROM papers p WHERE {tagged[0]} AND {self.where} ORDER BY p.id DESC LIMIT ?"
            return self.db.execute(sql, [*tagged[1], *self.params, limit]).fetchall()
        columns, order = columns.replace("papers_fts", table), order.replace("papers_fts", table)
        if self.where == "1":
            sql = f"SELECT {columns} FROM {table} WHERE {table} MATCH ? ORDER BY {order} LIMIT ?"
            return self.db.execute(sql, [match, limit]).fetchall()
        if self._filter_first():
            # Few papers pass the filters: stream the index's matches, newest
            # first, and keep those that pass (a per-row probe of the index with
            # rowid = ? costs about 0.3 ms, far more than streaming). Filtered
            # papers often sit in one stretch of ids (a year, recent additions):
            # bounding the rowid lets the index skip the rest.
            allowed = self._allowed
            lo, hi = (min(allowed), max(allowed)) if allowed else (0, -1)
            out: list[Any] = []
            sql = (
                f"SELECT rowid FROM {table} WHERE {table} MATCH ? AND rowid BETWEEN ? AND ? "
                "ORDER BY rowid DESC"
            )
            cursor = self.db.execute(sql, [match, lo, hi])
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

    def _sorted(self, terms: list[str]) -> SearchResult:
        match = self._match()
        found = [r[0] for r in self._select(match, "papers_fts.rowid", "papers_fts.rowid DESC", SORT_CAP + 1)]
        complete = len(found) <= SORT_CAP
        if not complete and self.sort != "added":
            # Too many to sort them all: sort the newest matches and say so
            # (ids grow as papers are added, so "added" needs no such caveat).
            self.query.hints.append(f"sorted among the {SORT_CAP:,} most recently added matches")
        found = found[:SORT_CAP]
        marks = ",".join("?" * len(found))
        sql = f"SELECT p.id FROM papers p WHERE p.id IN ({marks}) ORDER BY {SORT_SQL[self.sort]} LIMIT ?"
        ids = [r[0] for r in self.db.execute(sql, [*found, self.limit])] if found else []
        rows = self.cache.rows(self.db, ids)
        abstracts = self.cache.abstracts(self.db, ids[:ABSTRACT_SPANS])
        hits = [
            Hit(i, 0.0, self._spans(row, abstracts.get(i, ""), k, None, True))
            for k, (i, row) in enumerate(rows.items())
        ]
        return self._finish(hits, len(found) if complete else None, terms)

    def _ranked(self, terms: list[str]) -> SearchResult:
        match = self._match()
        # Tiers, best first: whole words in the title, any expansion in the title,
        # whole words anywhere, anything anywhere. Each takes the newest matches
        # and the next tier runs only while the page is not full, so a huge match
        # set costs no more than a small one.
        need = self.limit + CANDIDATE_MARGIN
        # Counting is cheap up to a point (the index streams rowids): exact totals
        # up to COUNT_CAP, None beyond, read by the same query that finds the
        # newest matches. Not with few filtered papers: finding COUNT_CAP of them
        # may mean streaming every match.
        few = self._filter_first()
        counted = self.count and not few
        cands: dict[int, None] = {}
        total: int | None = None
        if not counted and not few:
            # Without a count the tiers come first: when they fill the page, the
            # newest matches of the whole query (often the costliest query) are
            # not needed. Every tier's matches are matches of the whole query (the
            # title index is part of the full one, and a word as typed is among its
            # expansions), so more than ``need`` candidates means more than ``need``
            # matches: the total is unknown either way, as it was before.
            self._tier_candidates(match, need, cands)
        if len(cands) <= need:
            upto = max(need, COUNT_CAP) + 1 if counted else need + 1
            matched = [r[0] for r in self._select(match, "papers_fts.rowid", "papers_fts.rowid DESC", upto)]
            newest = matched[: need + 1]
            total = len(newest) if len(newest) <= need else None
            if counted and total is None:
                total = len(matched) if len(matched) <= COUNT_CAP else None
            if len(newest) <= need or few:
                cands = {}  # every match is a candidate
            elif counted:  # (without a count they ran above)
                self._tier_candidates(match, need, cands)
            if len(cands) < need:
                cands.update(dict.fromkeys(newest[:need]))
        # Most candidates not seen before need their abstract too (their title lacks a word).
        rows = self.cache.rows(self.db, cands, with_abstracts=True)
        matcher = rank.Matcher(self.query, self.expansions)
        scored: dict[int, float] = {}
        matches: dict[int, rank.TitleMatch] = {}
        partial: list[int] = []
        title_score = rank.title_score
        for pid, row in rows.items():
            found = matches[pid] = title_score(matcher, row.title, row.others)
            scored[pid] = found.score
            if found.score < rank.FULL_TITLE:
                partial.append(pid)
        # bm25-style weight of the abstract, only where the title does not already say it all.
        abstracts = self.cache.abstracts(self.db, partial)
        literals = rank.query_literals(self.query, self.expansions)
        weights = [1.0 / math.log(2.0 + self._freq(c)) for c in self.query.clauses]
        for pid, score in rank.abstract_scores(literals, weights, abstracts).items():
            scored[pid] += score
        # Two stable sorts: newest first, then by score and star (ties keep recency).
        order = sorted(rows, key=lambda i: (rows[i].added_at, i), reverse=True)
        order.sort(key=lambda i: (-scored[i], -rows[i].starred))
        order = order[: self.limit]
        top = [i for i in order[:ABSTRACT_SPANS] if i not in abstracts]
        abstracts.update(self.cache.abstracts(self.db, top))
        hits = [
            Hit(
                pid,
                round(scored[pid], 3),
                self._spans(rows[pid], abstracts.get(pid, ""), k, matches[pid].spans, matches[pid].elsewhere),
            )
            for k, pid in enumerate(order)
        ]
        result = self._finish(hits, total, terms)
        result.countable = total is None and not self.count and not few
        return result

    def _tier_candidates(self, match: str, need: int, cands: dict[int, None]) -> None:
        """Add the newest matches of each tier to ``cands``, best tier first, until ``need`` are found.

        Tiers: every word in the title as typed, every word in the title with
        its expansions, every word anywhere as typed. The last tier, anything
        anywhere, is ``match`` itself, which the caller runs.
        """
        tiers: list[tuple[str, str, bool]] = []
        if self._title_only_possible():
            tiers += [
                (self._match("", False), "papers_title_fts", False),
                (self._match(""), "papers_title_fts", True),
            ]
        tiers.append((self._match(None, False), "papers_fts", False))
        for expr, table, expanded in dict.fromkeys(tiers):
            if expr == match and table == "papers_fts":
                break  # the whole query: the caller's
            rows = self._select(expr, "papers_fts.rowid", "papers_fts.rowid DESC", need, table, expanded)
            for (pid,) in rows:
                cands[pid] = None
            if len(cands) >= need:
                break

    def _finish(self, hits: list[Hit], total: int | None, terms: list[str]) -> SearchResult:
        if not hits:
            unknown = [w for clause in self.query.clauses for w in self._unknown(clause)]
            if any(len(w) > MAX_WORD_LEN for w in unknown):
                self.query.hints.append(f"no word is longer than {MAX_WORD_LEN} letters")
            elif unknown and len(self.query.clauses) > 1:
                # With one word "no results" already says it; with several, name the culprit.
                self.query.hints.append("no paper has " + ", ".join(f'"{w}"' for w in unknown))
            elif len(self.query.clauses) > 1:
                self.query.hints.append("no paper matches every word; try fewer words or a | b")
        return SearchResult(hits, total=total, terms=terms)

    def _spans(
        self, row: PaperRow, abstract: str, rank_pos: int, title: list[Span] | None, elsewhere: bool
    ) -> dict[str, list[Span]]:
        if self._highlight is None:
            self._highlight = HitSpans(rank.query_literals(self.query, self.expansions), ABSTRACT_SPANS)
        return self._highlight.spans(row, abstract, rank_pos, title, elsewhere)

"""Words found in a paper's tags: the tag-name index joined to the full-text one.

Since migration ``m010_tags_apart`` the papers' full-text index holds no tags:
tagging 100k papers would otherwise re-index 100k abstracts (FTS5 replaces
whole rows). ``tags_fts`` indexes each tag's name once, with the same
tokenizer, and ``paper_tags`` says which papers carry it. A clause of the
query (one word with its expansions, or ``a | b``) matches a paper when it
matches the paper's text or, for words without a field (``title:`` and the
like never look at tags), one of its tags.

Most queries match no tag at all: one lookup in the tiny tag index per
clause says so (memoised per library version), and the query runs on the
full-text index alone, exactly as before. Otherwise each clause becomes an
``IN`` over the full-text index or over the papers of the matching tags.
"""

from __future__ import annotations

from typing import Any

from readinglist.core.search.match import QueryTerms

_FTS_IDS = "SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?"


class TaggedTerms(QueryTerms):
    """:class:`QueryTerms` that also know which tags each clause matches."""

    def _tag_ids(self, expr: str) -> tuple[int, ...]:
        """The tags whose name matches the FTS5 text ``expr`` (memoised while the library stays the same)."""

        def read() -> tuple[int, ...]:
            rows = self.db.execute("SELECT rowid FROM tags_fts WHERE tags_fts MATCH ?", [expr])
            return tuple(int(r[0]) for r in rows)

        return self.cache.memo(("tag ids", expr), read)

    def _clause_tags(self, expanded: bool) -> list[tuple[str, tuple[int, ...]]]:
        """Each clause (rarest first) as full-text text, with the tags its unfielded terms match."""
        out = []
        for clause, expr in zip(self._rarest(), self._clause_exprs(None, expanded), strict=True):
            loose = [t for t in clause.terms if t.field is None]
            ids: tuple[int, ...] = ()
            if loose:
                ids = self._tag_ids(" OR ".join(self._term_expr(t, None, expanded) for t in loose))
            out.append((expr, ids))
        return out

    def tag_condition(self, expanded: bool = True) -> tuple[str, list[Any]] | None:
        """SQL on ``papers p`` for "every clause in the text or the tags, no excluded word in either".

        Args:
            expanded: With each word's expansions (else the words as typed).

        Returns:
            The condition and its parameters, or None when no clause and no
            excluded word matches a tag (the full-text index alone answers).
        """
        clauses = self._clause_tags(expanded)
        excluded = []
        for term in self.query.excluded:
            expr = self._term_expr(term, None, False)
            excluded.append((expr, self._tag_ids(expr) if term.field is None else ()))
        if not any(ids for _, ids in clauses) and not any(ids for _, ids in excluded):
            return None
        conds: list[str] = []
        params: list[Any] = []
        plain = [expr for expr, ids in clauses if not ids]
        if plain:  # the clauses no tag matches: one query of the full-text index
            conds.append(f"p.id IN ({_FTS_IDS})")
            params.append(" AND ".join(plain))
        for expr, ids in clauses:
            if ids:
                conds.append(f"(p.id IN ({_FTS_IDS}) OR p.id IN ({_tagged(ids)}))")
                params.append(expr)
        for expr, ids in excluded:
            conds.append(f"p.id NOT IN ({_FTS_IDS})")
            params.append(expr)
            if ids:
                conds.append(f"p.id NOT IN ({_tagged(ids)})")
        return " AND ".join(conds), params


def _tagged(tag_ids: tuple[int, ...]) -> str:
    """SQL for the papers carrying any of ``tag_ids`` (integers read from the library, never user text)."""
    return "SELECT paper_id FROM paper_tags WHERE tag_id IN (" + ",".join(str(int(i)) for i in tag_ids) + ")"

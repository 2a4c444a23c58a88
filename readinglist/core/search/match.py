"""A query's words as the full-text index takes them: expansions, FTS5 match text, frequencies.

Each query word becomes an OR of itself, its typo neighbours and (for the
word being typed) its completions, all looked up in the indexed word list
(:mod:`readinglist.core.search.vocab`); clauses are ANDed rarest first.
:class:`~readinglist.core.search.run.QueryRun` runs what this builds.
"""

from __future__ import annotations

from readinglist.core.search.cache import SearchCache
from readinglist.core.search.parser import Clause, Query, Term
from readinglist.core.search.sql import quote
from readinglist.core.search.vocab import Expansion, expand
from readinglist.core.search.words import INDEX_TERMS
from readinglist.core.store import Library

WIDEN_MIN_LEN = 6
"""When nothing matches, words this long or longer are retried with their other forms."""


class QueryTerms:
    """One query's words, expanded against the library, and the FTS5 text that finds them.

    Args:
        library: Where to search.
        query: The parsed query.
        cache: What earlier searches on this connection read (synced by the caller).
    """

    def __init__(self, library: Library, query: Query, cache: SearchCache | None = None) -> None:
        """Nothing is read until the words are expanded."""
        self.lib = library
        self.cache = cache if cache is not None else SearchCache()
        # Reads go through the plain connection: no sqlite-utils import needed.
        self.db = library.conn
        self.query = query
        self.expansions: dict[str, Expansion] = {}
        self._rarest_first: list[Clause] | None = None

    def _expand(self) -> None:
        for clause in self.query.clauses:
            for term in clause.terms:
                if term.phrase:
                    continue
                for w in term.words:
                    if w not in self.expansions:
                        self.expansions[w] = self._expansion(w, term.prefix)

    def _expansion(self, word: str, prefix: bool) -> Expansion:
        """``expand``, once per word while the library stays the same (typing repeats the words)."""
        return self.cache.memo(("expand", word, prefix), lambda: expand(self.lib, word, prefix=prefix))

    def _term_expr(self, term: Term, column: str | None, expanded: bool) -> str:
        """One term as FTS5 syntax; ``column`` "" means no column filter at all."""
        col = None if column == "" else (term.field or column)
        if term.phrase:
            body = quote(" ".join(term.words))
        else:
            exp = self.expansions[term.words[0]]
            # One word per index term: FTS5 reads a term's positions once per mention.
            words = INDEX_TERMS.distinct(exp.all_words()) if expanded else [exp.word]
            alts = [quote(w) for w in words]
            if expanded and term.prefix and not exp.known and not exp.completions and len(exp.word) >= 3:
                # The word list may lag behind; the index's own prefix search is a
                # fallback (a costly one: FTS5 merges every matching term's doclist).
                alts.append(quote(exp.word) + "*")
            body = alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")"
        return f"{{{col}}} : {body}" if col else body

    def _rarest(self) -> list[Clause]:
        if self._rarest_first is None:
            # FTS5 walks an AND from its first operand: the rarest first finds the
            # newest matches with fewer seeks (3 ms instead of 6 for "chain of thought p").
            self._rarest_first = sorted(self.query.clauses, key=self._freq)
        return self._rarest_first

    def _clause_exprs(self, column: str | None, expanded: bool) -> list[str]:
        """Each clause as FTS5 text, rarest first."""
        return [
            "(" + " OR ".join(self._term_expr(t, column, expanded) for t in c.terms) + ")"
            for c in self._rarest()
        ]

    def _match(self, column: str | None = None, expanded: bool = True) -> str:
        expr = " AND ".join(self._clause_exprs(column, expanded))
        for term in self.query.excluded:
            expr += " NOT " + self._term_expr(term, None, False)
        return expr

    def _title_only_possible(self) -> bool:
        """Whether the title index alone can answer "every clause in the title"."""
        terms = [t for c in self.query.clauses for t in c.terms]
        return not self.query.excluded and all(t.field in (None, "title") for t in terms)

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

    def _widen(self) -> bool:
        """Add the other word forms of every long word as near matches; False if there are none."""
        widened = False
        for word, exp in list(self.expansions.items()):
            if len(word) < WIDEN_MIN_LEN or not word.isalpha():
                continue
            root = word[: max(WIDEN_MIN_LEN - 1, len(word) - 3)]
            forms = expand(self.lib, root, prefix=True, max_completions=8, max_typos=0).completions
            seen = {word, *exp.all_words()}
            extra = tuple((w, n) for w, n in forms if w not in seen)
            if extra:
                self.expansions[word] = exp._replace(typos=exp.typos + extra)
                self._rarest_first = None
                widened = True
        return widened

    def _unknown(self, clause: Clause) -> list[str]:
        """The clause's words if none of its alternatives is in the library, else nothing."""
        words = []
        for term in clause.terms:
            exp = self.expansions.get(term.words[0])
            if term.phrase or exp is None or exp.known or exp.typos or exp.completions or exp.splits:
                return []
            words.append(exp.word)
        return words

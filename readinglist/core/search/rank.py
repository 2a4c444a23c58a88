"""Scoring candidates and finding the spans to highlight.

Candidates come from the full-text index; this module orders them the way a
reader expects: every query word in the title beats some, whole words beat
prefixes beat typos, words side by side in the query's order earn a bonus,
then bm25 on the abstract, then starred papers and the most recently added.
"""

import functools
from typing import NamedTuple

from readinglist.core.search.parser import Query, Term
from readinglist.core.search.results import Span
from readinglist.core.search.vocab import Expansion
from readinglist.core.search.words import ASCII_WORD_BYTES, WORD, normalize, stem

EXACT, PREFIX, TYPO = 1.0, 0.8, 0.6
"""How much a title word counts towards the title score, by how it matched."""
FULL_TITLE = 100.0
"""The title score of a paper whose title holds every query word as typed."""
OTHER_FIELD = 0.5
"""A word found in the authors, tags or notes instead of the title."""


Literal = tuple[str, int]
"""A lower-case word start and how many more word characters may follow it."""


# Plain classes and NamedTuples, not dataclasses, and annotations evaluated, not
# strings: every ``readinglist search`` loads this module (see readinglist/core/models.py).
class _ClauseKeys:
    """What one clause accepts, as sets, so classifying a word is a few lookups.

    A clause's weight for a word is the best over its terms, which is the same
    as looking the word up in the union of its terms' sets, best kind first.
    """

    __slots__ = ("exact", "prefixes", "typos")

    def __init__(self) -> None:
        self.exact: set[str] = set()
        """Stems of the terms' own words."""
        self.prefixes: tuple[str, ...] = ()
        """Word starts that count as a prefix match (the word being typed)."""
        self.typos: set[str] = set()
        """Stems of typo neighbours and the parts of split compounds."""


class Matcher:
    """Classifies text words against one query's terms, with a memo per word."""

    def __init__(self, query: Query, expansions: dict[str, Expansion]) -> None:
        """Index the clauses' words."""
        self.query = query
        self.expansions = expansions
        self._memo: dict[str, list[tuple[int, float]]] = {}
        self._positive: set[str] = set()
        self._keys: list[_ClauseKeys] = []
        self._any: set[str] = set()
        self._any_prefix: tuple[str, ...] = ()
        # Per clause, the word starts that satisfy it (for the other fields).
        # Longest first: the likeliest to be rare, so a miss is found out soonest.
        self.literals: list[list[Literal]] = [
            sorted(group, key=lambda lit: -len(lit[0]))
            for group in query_literals(self.query, self.expansions)
        ]
        for clause in self.query.clauses:
            keys = _ClauseKeys()
            for term in clause.terms:
                exact = {stem(w) for w in term.words}
                keys.exact |= exact
                if term.phrase:
                    continue
                for w in term.words:
                    exp = self.expansions.get(w)
                    if exp is not None:
                        keys.typos |= {stem(t) for t, _ in exp.typos} - exact
                        keys.typos |= {part for ab in exp.splits for part in ab} - exact
                if term.prefix:
                    keys.prefixes += term.words
            self._keys.append(keys)
            self._any |= keys.exact | keys.typos
            self._any_prefix += keys.prefixes

    def classify(self, token: str) -> list[tuple[int, float]]:
        """``(clause index, weight)`` for every clause this text word satisfies."""
        hit = self._memo.get(token)
        if hit is not None:
            return hit
        out: list[tuple[int, float]] = []
        tstem = stem(token)
        # Most words match no clause: one look at the union of every clause's words says so.
        if tstem in self._any or token in self._any or token.startswith(self._any_prefix):
            for ci, k in enumerate(self._keys):
                if tstem in k.exact or token in k.exact:
                    out.append((ci, EXACT))
                elif k.prefixes and token.startswith(k.prefixes):
                    out.append((ci, PREFIX))
                elif tstem in k.typos or token in k.typos:
                    out.append((ci, TYPO))
        self._memo[token] = out
        if out:
            self._positive.add(token)
        return out

    def matching(self, words: frozenset[str]) -> frozenset[str]:
        """The words of ``words`` that satisfy some clause (each new word is classified once)."""
        for token in words.difference(self._memo):
            self.classify(token)
        return words & self._positive


class TitleMatch(NamedTuple):
    """How a candidate's title (and, failing that, its other short fields) matched."""

    score: float
    """About 100 per unit of title coverage, plus up to 30 for order and proximity."""
    spans: list[Span]
    """The title words that matched, as ``[start, end)`` ranges of the title."""
    elsewhere: bool
    """Some clause was only found outside the title (authors, tags, notes or abstract)."""


class TitleWords(NamedTuple):
    """A title's normalised words, their ``[start, end)`` offsets in it, and the distinct words."""

    tokens: tuple[str, ...]
    spans: tuple[Span, ...]
    distinct: frozenset[str]


# Typing a query runs a search per key over mostly the same candidates: tokenising
# each candidate's title once, not once per key, is a third of ranking.
@functools.lru_cache(maxsize=8192)
def title_words(title: str) -> TitleWords:
    """The words of ``title`` (see :class:`TitleWords`)."""
    low = title.lower()
    if len(low) != len(title):  # rare characters that grow when lower-cased: keep offsets true
        low = "".join(c.lower()[:1] or c for c in title)
    if low.isascii():
        # ASCII words are runs of letters and digits: the byte table and split() find
        # them at C speed (the text is lower case already: the table keeps its offsets).
        raw = low.encode().translate(ASCII_WORD_BYTES).decode().split()
    else:
        raw = WORD.findall(low)
    # Offsets by str.find, token after token: half the cost of match objects.
    # Only separators lie between two tokens, so each is found where the regex matched it.
    offsets: list[Span] = []
    end = 0
    for tok in raw:
        start = low.find(tok, end)
        end = start + len(tok)
        offsets.append((start, end))
    spans = tuple(offsets)
    tokens = tuple(raw)
    if not low.isascii():
        tokens = tuple(tok if tok.isascii() else normalize(tok) for tok in tokens)
    return TitleWords(tokens, spans, frozenset(tokens))


def title_score(matcher: Matcher, title: str, others: str) -> TitleMatch:
    """Score one candidate from its title (and its authors, tags and notes).

    Args:
        matcher: The query's matcher.
        title: The stored title.
        others: Authors, tags and notes, folded (``cache.fold``).
    """
    n = len(matcher.query.clauses)
    if n == 0:
        return TitleMatch(0.0, [], False)
    words = title_words(title)
    best = [0.0] * n
    positions: list[tuple[int, int]] = []
    spans: list[Span] = []
    # Most words of a title match nothing: set operations at C speed find the few that do.
    matched = matcher.matching(words.distinct)
    if matched:
        memo = matcher._memo
        for pos, tok in enumerate(words.tokens):
            if tok not in matched:
                continue
            spans.append(words.spans[pos])
            for ci, weight in memo[tok]:
                positions.append((pos, ci))
                if weight > best[ci]:
                    best[ci] = weight
    elsewhere = not all(best)
    if elsewhere:
        # Substring search for the missing clauses only: tokenising every
        # author name and classifying each word cost half of ranking for
        # candidates not seen before (most of them, while a query is typed).
        for ci, weight in enumerate(best):
            if not weight and _has_word(others, matcher.literals[ci]):
                best[ci] = OTHER_FIELD
    score = 100.0 * sum(best) / n
    if n > 1 and all(best):
        score += _proximity(positions, n)
    return TitleMatch(score, spans, elsewhere)


def _has_word(low: str, literals: list[Literal]) -> bool:
    """Whether a word of ``low`` starts with a literal and has at most its extra letters."""
    n = len(low)
    for lit, extra in literals:
        i = low.find(lit)
        while i >= 0:
            if i == 0 or not low[i - 1].isalnum():
                end = j = i + len(lit)
                stop = min(n, end + extra + 1)
                while j < stop and low[j].isalnum():
                    j += 1
                if j - end <= extra:
                    return True
            i = low.find(lit, i + 1)
    return False


def _proximity(positions: list[tuple[int, int]], n: int) -> float:
    """Up to 30 points: 20 for the clauses in order side by side, 10 for a tight window.

    ``positions`` are ``(title word position, clause index)`` in title order.
    """
    at = set(positions)
    in_order = False
    for pos, ci in positions:
        if ci == 0:
            k = 1
            while k < n and (pos + k, k) in at:
                k += 1
            if k == n:
                in_order = True
                break
    if in_order:
        # The clauses side by side: no window is narrower than n words.
        return 30.0
    # Smallest window of title words holding one match of every clause.
    window = len(positions) + 1000
    counts: dict[int, int] = {}
    left = 0
    for pos, ci in positions:
        counts[ci] = counts.get(ci, 0) + 1
        while len(counts) == n:
            window = min(window, pos - positions[left][0] + 1)
            lc = positions[left][1]
            counts[lc] -= 1
            if not counts[lc]:
                del counts[lc]
            left += 1
    return 10.0 * min(1.0, n / window)


_ANY = 1000


def _literals(term: Term, expansions: dict[str, Expansion]) -> set[Literal]:
    out: set[Literal] = set()
    for w in term.words:
        s = stem(w)
        out.add((s, 5) if len(s) >= 4 else (w, 2))
        if term.phrase:
            continue
        if term.prefix:
            out.add((w, _ANY))
        exp = expansions.get(w)
        if exp is not None:
            for t, _ in exp.typos:
                ts = stem(t)
                out.add((ts, 5) if len(ts) >= 4 else (t, 3))
            for a, b in exp.splits:
                out |= {(a, 0), (b, 1)}
    return out


def query_literals(query: Query, expansions: dict[str, Expansion]) -> list[set[Literal]]:
    """Per clause, the word starts that count as a match when highlighting or counting."""
    return [set().union(*(_literals(t, expansions) for t in c.terms)) for c in query.clauses]


class Highlighter:
    """Finds the words of a text that match a query, by plain substring search.

    ``str.find`` on the lower-cased text runs at C speed, where a regex over
    200 abstracts cost about 30 ms; word boundaries are then checked only
    where a literal was found.
    """

    def __init__(self, literals: list[set[Literal]], min_len: int = 1) -> None:
        """Keep literals of at least ``min_len`` letters (very short ones match everywhere)."""
        merged: dict[str, int] = {}
        for group in literals:
            for lit, extra in group:
                if len(lit) >= min_len:
                    merged[lit] = max(extra, merged.get(lit, 0))
        self.literals = sorted(merged.items())

    def may_match(self, folded: str) -> bool:
        """Whether :meth:`spans` could find anything in a text whose folded form is ``folded``.

        Folding (``cache.fold``) only strips accents and case, which literals
        never carry, so a literal found in a text is found in its folded form.
        """
        return any(lit in folded for lit, _ in self.literals)

    def spans(self, text: str) -> list[Span]:
        """``[start, end)`` ranges of whole words of ``text`` that match, sorted, not overlapping."""
        if not text or not self.literals:
            return []
        low = text.lower()
        if len(low) != len(text):  # a few characters grow when lower-cased: offsets would drift
            low = "".join(c.lower()[:1] or c for c in text)
        n = len(low)
        found: list[Span] = []
        for lit, extra in self.literals:
            i = low.find(lit)
            while i >= 0:
                if i == 0 or not _is_word(low[i - 1]):
                    end = i + len(lit)
                    while end < n and _is_word(low[end]):
                        end += 1
                    if end - i - len(lit) <= extra:
                        found.append((i, end))
                i = low.find(lit, i + 1)
        found.sort()
        out: list[Span] = []
        for start, end in found:
            if out and start < out[-1][1]:
                out[-1] = (out[-1][0], max(end, out[-1][1]))
            else:
                out.append((start, end))
        return out


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def abstract_scores(
    literals: list[set[Literal]], weights: list[float], abstracts: dict[int, str]
) -> dict[int, float]:
    """A bm25-style score of each abstract (keyed by paper id), from 0 to 10.

    Term frequency (substring counts of each clause's word starts) saturates
    (k1 = 1.2), long abstracts are discounted (b = 0.75, against a typical
    1,200 characters) and rare clauses weigh more (the caller's ``weights``).
    """
    if not literals:
        return dict.fromkeys(abstracts, 0.0)
    groups = [
        (tuple(lit for lit, _ in group if len(lit) >= 3), weight)
        for group, weight in zip(literals, weights, strict=True)
    ]
    denominator = sum(weights) or 1.0
    out: dict[int, float] = {}
    for pid, abstract in abstracts.items():
        if not abstract:
            out[pid] = 0.0
            continue
        low = abstract.lower()
        norm = 1.2 * (0.25 + 0.75 * len(abstract) / 1200.0)
        total = 0.0
        for lits, weight in groups:
            tf = 0
            for lit in lits:
                tf += low.count(lit)
            if tf:
                total += weight * tf / (tf + norm)
        out[pid] = 10.0 * total / denominator
    return out

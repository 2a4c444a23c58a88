"""Words as the full-text index sees them: the one home of tokenising, folding and stemming.

- Tokens are runs of letters and digits (:data:`WORD`), as FTS5's
  ``unicode61`` tokenizer splits text ("_" splits too).
- Folding lower-cases and strips accents (:func:`normalize` for a word,
  :func:`fold` for a text), as ``remove_diacritics 2`` does.
- Stemming, for ranking and highlighting, is :func:`stem`: one light set of
  suffix rules whose stem is always a prefix of the word.
- What the index stores for a word is asked of the index's own tokenizer
  (:data:`INDEX_TERMS`): the query leaves out alternatives the index stores as
  one term, and only the index can say which those are.

Both indexes stem with porter: "generation", "general", "generative" and
"generated" are all stored as "gener". A query that ORs the completions of a
half-typed word names that one term many times, and FTS5 reads its position
list once per mention: at 100k papers, ``retrieval augmented gen`` on the
title index took 6 ms with a dozen completions and 1.5 ms with one word per
stem, for the same rows.

Why ranking does not use the porter stems too (measured on the sample, see
docs/search-internals.md): of its 4,353 words, light stems join 118 that
porter keeps apart (add/added, deep/deeper) and porter joins 1,702 that light
stems keep apart (generation/generative); a porter stem is often not a prefix
("retrieval" -> "retriev", "happy" -> "happi"). Ranking and highlighting by
porter stems reordered the hits of 1,142 of 5,128 differential queries. And a
Python rule set of our own cannot stand in for the index's terms: leaving out a
word the index stores apart loses its papers.
"""

from __future__ import annotations

import functools
import os
import re
import sqlite3
import unicodedata
from _thread import allocate_lock  # threading's Lock without importing threading (~1 ms of a search)
from collections.abc import Iterable

WORD = re.compile(r"[^\W_]+")
"""What FTS5's unicode61 tokenizer treats as a token: letters and digits, not "_"."""
_ASCII = frozenset(map(chr, range(128)))
ASCII_WORD_BYTES = bytes(
    b if b >= 128 or chr(b).isdigit() else (ord(chr(b).lower()) if chr(b).isalpha() else 32)
    for b in range(256)
)
"""A ``bytes.translate`` table: ASCII punctuation (and "_") becomes a space, as
the index splits words there; ASCII letters are lower-cased; digits and the
bytes of multi-byte characters are kept. Splitting the result on spaces finds
the words of ASCII text at C speed (a third of :data:`WORD`'s time)."""


def normalize(word: str) -> str:
    """Fold case and strip accents, as the full-text index does."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    if decomposed.isascii():
        return decomposed
    # Removing each distinct mark with str.replace runs at C speed; testing every
    # character in Python cost most of ranking a candidate with one accented author.
    for mark in set(decomposed).difference(_ASCII):
        if unicodedata.combining(mark):
            decomposed = decomposed.replace(mark, "")
    return decomposed


def fold(text: str) -> str:
    """``text`` lower-cased with accents stripped, as the index sees words (offsets may move)."""
    low = text.lower()
    return low if low.isascii() else normalize(low)


def words_of(text: str) -> list[str]:
    """The normalised index words of ``text``."""
    return [w for w in (normalize(m) for m in WORD.findall(text)) if w]


TOKENIZE = "porter unicode61 remove_diacritics 2"
"""The tokenizer of ``papers_fts`` and ``papers_title_fts`` (see migrations m001 and m003)."""
_MEMO_MAX = 100_000


class IndexTerms:
    """The term the full-text index stores for a word (its porter stem), with a memo.

    Not a stemmer of this project's: the index's own tokenizer, asked through
    SQLite, so the answer is exactly the index's (terms depend on the tokenizer alone).

    Safe to share between threads; a forked process opens its own table.
    """

    def __init__(self) -> None:
        """Nothing is opened until the first word is looked up."""
        self._lock = allocate_lock()
        self._conn: sqlite3.Connection | None = None
        self._pid = 0
        self._memo: dict[str, str | None] = {}

    def _open(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():
            conn = sqlite3.connect(":memory:", check_same_thread=False)
            conn.execute(f"CREATE VIRTUAL TABLE words USING fts5(word, tokenize='{TOKENIZE}')")
            conn.execute("CREATE VIRTUAL TABLE terms USING fts5vocab(words, 'instance')")
            self._conn, self._pid = conn, os.getpid()
        return self._conn

    def stems(self, words: Iterable[str]) -> dict[str, str | None]:
        """Each word's index term; None for a word that is not exactly one term."""
        words = list(words)
        memo = self._memo
        if len(words) == 1 and words[0] in memo:
            return {words[0]: memo[words[0]]}  # the common case: one word, seen before
        if len(memo) > _MEMO_MAX:
            memo.clear()
        todo = [w for w in dict.fromkeys(words) if w not in memo]
        if todo:
            with self._lock:
                conn = self._open()
                conn.executemany("INSERT INTO words (rowid, word) VALUES (?, ?)", enumerate(todo))
                found: dict[int, list[str]] = {}
                for term, doc in conn.execute("SELECT term, doc FROM terms"):
                    found.setdefault(doc, []).append(term)
                conn.execute("DELETE FROM words")
                for i, word in enumerate(todo):
                    terms = found.get(i, [])
                    memo[word] = terms[0] if len(terms) == 1 else None
        return {w: memo.get(w) for w in words}

    def distinct(self, words: list[str]) -> list[str]:
        """``words`` without those stored as the same term as an earlier one (order kept)."""
        if len(words) < 2:
            return words
        stems = self.stems(w for w in words if " " not in w)
        seen: set[str] = set()
        out = []
        for word in words:
            term = stems.get(word)
            if term is not None:
                if term in seen:
                    continue
                seen.add(term)
            out.append(word)
        return out


INDEX_TERMS = IndexTerms()
"""The index-term lookup every search shares."""


STEM_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ers", "er", "es", "ed", "s")
"""The suffixes :func:`stem` strips (the first that leaves 3+ letters)."""


@functools.lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """The stem ranking and highlighting compare: "models" and "modeling" are both "model".

    A light suffix stripper: the stem is always a prefix of the word, so a
    highlighter finds the word's other forms by substring search. (The index's
    porter stems are not prefixes: "happy" -> "happi"; measured against them,
    see the module docstring.)
    """
    for suf in STEM_SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            return word[: -len(suf)]
    return word

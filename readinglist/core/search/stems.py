"""Which query words the full-text indexes store as one term.

Both indexes stem words (porter): "generation", "general", "generative" and
"generated" are all stored as "gener". A query that ORs the completions of a
half-typed word names that one term many times, and FTS5 reads its position
list once per mention: at 100k papers, ``retrieval augmented gen`` on the
title index took 6 ms with a dozen completions and 1.5 ms with one word per
stem, for the same rows. Words are stemmed here by the indexes' own tokenizer,
in a private in-memory FTS5 table, so the rule is exactly the index's.
"""

from __future__ import annotations

import os
import sqlite3
from _thread import allocate_lock  # threading's Lock without importing threading (~1 ms of a search)
from collections.abc import Iterable

TOKENIZE = "porter unicode61 remove_diacritics 2"
"""The tokenizer of ``papers_fts`` and ``papers_title_fts`` (see migrations m001 and m003)."""
_MEMO_MAX = 100_000


class Stemmer:
    """The index term of words, with a memo (stems depend on the tokenizer alone).

    Safe to share between threads; a forked process opens its own table.
    """

    def __init__(self, tokenize: str = TOKENIZE) -> None:
        """Nothing is opened until the first word is stemmed."""
        self.tokenize = tokenize
        self._lock = allocate_lock()
        self._conn: sqlite3.Connection | None = None
        self._pid = 0
        self._memo: dict[str, str | None] = {}

    def _open(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():
            conn = sqlite3.connect(":memory:", check_same_thread=False)
            conn.execute(f"CREATE VIRTUAL TABLE words USING fts5(word, tokenize='{self.tokenize}')")
            conn.execute("CREATE VIRTUAL TABLE terms USING fts5vocab(words, 'instance')")
            self._conn, self._pid = conn, os.getpid()
        return self._conn

    def stems(self, words: Iterable[str]) -> dict[str, str | None]:
        """Each word's index term; None for a word that is not exactly one term."""
        words = list(words)
        memo = self._memo
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


STEMMER = Stemmer()
"""The stemmer every search shares."""

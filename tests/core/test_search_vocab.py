"""The word list: deletion index, prefix and typo lookups, big-batch sampling."""

from __future__ import annotations

import pytest

from readinglist.core.search import vocab
from readinglist.core.search.vocab import count_words, deletes, expand, max_edits, refresh_vocab
from readinglist.core.store import Library


def _insert(lib: Library, rows: list[tuple[str, str]]) -> None:
    with lib.write() as db:
        db.conn.executemany(
            "INSERT INTO papers (title, abstract, added_at, title_key) "
            "VALUES (?, ?, '2024-01-01T00:00:00Z', ?)",
            [(t, a, t.lower()) for t, a in rows],
        )


def test_edit_budget_by_length() -> None:
    assert [max_edits(w) for w in ("llm", "lora", "model", "reasoner", "retrieval")] == [0, 0, 1, 1, 2]


def test_deletes() -> None:
    assert deletes("abc", 1) == {"abc", "bc", "ac", "ab"}
    assert "ac" in deletes("abcd", 2) and len(deletes("abcd", 2)) == 11


def test_count_words_folds_case_accents_and_punctuation() -> None:
    got = count_words(["Müller's KNN-LM, naïve état_x 2024", "müller"])
    assert got == {"muller": 2, "s": 1, "knn": 1, "lm": 1, "naive": 1, "etat": 1, "x": 1, "2024": 1}


def test_prefix_and_typo_lookups(library: Library) -> None:
    _insert(library, [("Chinchilla scaling", "compute optimal"), ("Chinchilla again", "scaling laws")])
    refresh_vocab(library)
    exp = expand(library, "chinch", prefix=True)
    assert exp.completions == (("chinchilla", 2),) and not exp.known
    exp = expand(library, "chinchlla", prefix=False)
    assert exp.typos == (("chinchilla", 2),)
    exp = expand(library, "scalnig", prefix=False)  # a swap is one edit
    assert [w for w, _ in exp.typos] == ["scaling"]
    assert expand(library, "x" * 500, prefix=True).completions == ()


def test_big_batches_sample_abstracts(library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vocab, "FULL_SCAN_MAX", 10)
    # Titles of 16 + i % 8 characters: those of i = 8, 16, ... have their abstracts read.
    papers = [(f"Title {i:0{3 + i % 8}d} quokka", f"common words here uniq{i}") for i in range(1, 41)]
    _insert(library, papers)
    assert refresh_vocab(library) == 40
    words = dict(library.db.execute("SELECT word, freq FROM search_vocab").fetchall())
    assert words["quokka"] == 40  # every title is read
    assert words["common"] == 40  # 5 sampled abstracts scaled by 8
    assert "uniq8" in words and "uniq3" not in words
    assert library.db.execute("SELECT count(*) FROM search_dirty").fetchone()[0] == 0

"""A generated 10,000-paper library: results stay correct at scale (not timed).

Papers are babbled from a word-bigram model of the bundled sample, so words
repeat the way real abstracts do; a handful of planted papers carry rare words
whose exact counts are known.
"""

from __future__ import annotations

import itertools
import json
import random
import re
from collections import defaultdict
from collections.abc import Iterator

import pytest

from readinglist.core import links
from readinglist.core.sample import sample_path
from readinglist.core.search import SearchCache, SearchEngine, refresh_vocab
from readinglist.core.search.results import COUNT_CAP
from readinglist.core.store import Library

N = 10_000
PLANTED = {
    "Zorbulon Attention for Quaternion Transformers": 7,  # title: how many copies (variants)
    "Glimmerfold: Sparse Retrieval over Chronicle Graphs": 1,
}


def _bigrams(texts: list[str]) -> dict[str, list[str]]:
    model: dict[str, list[str]] = defaultdict(list)
    for text in texts:
        words = ["<s>", *text.split(), "</s>"]
        for a, b in itertools.pairwise(words):
            model[a].append(b)
    return model


def _babble(model: dict[str, list[str]], rng: random.Random, lo: int, hi: int) -> str:
    out: list[str] = []
    word = "<s>"
    target = rng.randint(lo, hi)
    while len(out) < target:
        word = rng.choice(model.get(word) or model["<s>"])
        if word == "</s>":
            word = "<s>"
            continue
        out.append(word)
    return " ".join(out)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    lines = [ln for ln in sample_path().read_text(encoding="utf-8").splitlines() if ln]
    body = [ln.removeprefix("Subscribe") for ln in lines if not ln.startswith("Get trending")]
    tmodel, amodel = _bigrams(body[0::2]), _bigrams(body[1::2])
    rng = random.Random(4)
    rows = []
    for i in range(N):
        title = _babble(tmodel, rng, 5, 12).rstrip(".")
        rows.append((title, _babble(amodel, rng, 40, 100), rng.random() < 0.02, 2015 + i % 10))
    for title, copies in PLANTED.items():
        for k in range(copies):
            rows.append((f"{title} {'v' * k}".strip(), "A planted abstract.", False, 2024))
    with Library(tmp_path_factory.mktemp("scale") / "big.db") as lib:
        with lib.write() as db:
            db.conn.executemany(
                """INSERT INTO papers (title, abstract, authors, year, added_at, title_key, starred)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                [
                    (
                        t,
                        a,
                        json.dumps(["Ada Quispe"]),
                        y,
                        f"2024-01-01T00:00:{i % 60:02d}Z",
                        links.normalize_title(t),
                        s,
                    )
                    for i, (t, a, s, y) in enumerate(rows)
                ],
            )
            refresh_vocab(lib)
        yield lib


def _papers(lib: Library, text: str, limit: int = 200) -> list[tuple[int, str, str]]:
    hits = SearchEngine(lib).search(text, limit=limit).hits
    return [(p.id, p.title, p.abstract) for p in lib.get_many([h.paper_id for h in hits])]


def test_planted_paper_found_first_by_typo_and_prefix(big: Library) -> None:
    for text in ["glimmerfold", "glimerfold", "glimmer", "chronicle graphs sparse", "glimmerfodl retrieval"]:
        assert _papers(big, text)[0][1].startswith("Glimmerfold"), text


def test_exact_total_for_a_rare_word(big: Library) -> None:
    result = SearchEngine(big).search("zorbulon ")
    assert result.total == 7  # the 7 planted titles; their abstracts say it too, counted once
    result = SearchEngine(big).search("quaternion zorbulon ", limit=3)
    assert result.total == 7 and len(result.hits) == 3


def test_every_hit_holds_every_word(big: Library) -> None:
    for text in ["language models ", "reasoning benchmark ", "retrieval augmented generation "]:
        hits = _papers(big, text)
        total = SearchEngine(big).search(text).total
        # The index agrees on how many match (total is exact when the page is not full).
        fts = " AND ".join(f'"{w}"' for w in text.split())
        count = big.db.execute("SELECT count(*) FROM papers_fts WHERE papers_fts MATCH ?", [fts]).fetchone()[
            0
        ]
        assert len(hits) == min(200, count)
        assert total == (count if count <= COUNT_CAP else None)
        for _, title, abstract in hits:
            low = (title + " " + abstract).lower()
            for word in text.split():
                assert word[:5] in low, (text, title)


def test_title_matches_come_before_the_rest(big: Library) -> None:
    hits = _papers(big, "language models ")
    full = [bool(re.search(r"\blanguage\b", t, re.I) and re.search(r"\bmodel", t, re.I)) for _, t, _ in hits]
    assert sum(full) >= 20
    assert full == sorted(full, reverse=True)  # every title match, then the others


def test_exclusion_and_filters_hold(big: Library) -> None:
    for _, title, abstract in _papers(big, "language -survey "):
        assert not re.search(r"\bsurvey", title + " " + abstract, re.IGNORECASE)
    ids = [h.paper_id for h in SearchEngine(big).search("is:starred models ").hits]
    starred = {r[0] for r in big.db.execute("SELECT id FROM papers WHERE starred = 1")}
    assert ids and set(ids) <= starred
    years = {
        p.year for p in big.get_many([h.paper_id for h in SearchEngine(big).search("year:2019 data ").hits])
    }
    assert years == {2019}


def test_phrase_hits_contain_the_phrase(big: Library) -> None:
    for _, title, abstract in _papers(big, '"large language"'):
        assert re.search(r"\blarge\W+language", title + " " + abstract, re.IGNORECASE)


def test_sort_by_title_is_sorted(big: Library) -> None:
    titles = [t for _, t, _ in _papers(big, "zorbulon sort:title ")]
    assert titles == sorted(titles, key=str.casefold) and len(titles) == 7


def test_count_later_gives_what_a_counting_search_gives(big: Library) -> None:
    engine = SearchEngine(big)
    seen_uncounted = False
    for text in ["language models ", "lang", "reasoning b", "zorbulon ", "year:2019 data ", "nosuchword"]:
        counted = engine.search(text)
        quick = engine.search(text, count=False)
        # The same page either way; only the count moves.
        assert [h.paper_id for h in quick.hits] == [h.paper_id for h in counted.hits], text
        if quick.total is None and quick.countable:
            seen_uncounted = True
            assert engine.count(text) == counted.total, text
        else:
            assert quick.total == counted.total, text
    assert seen_uncounted  # the common words above match more papers than a page's candidates


def test_a_cache_held_while_typing_changes_no_page(big: Library) -> None:
    # As the TUI searches: one cache for every key, small enough that rows come and go.
    cache = SearchCache(max_rows=300, max_abstracts=100)
    for phrase in ["retrieval augmented generation", "language models", "glimerfold retrieval"]:
        for k in range(1, len(phrase) + 1):
            text = phrase[:k]
            cached = SearchEngine(big, cache).search(text, count=False)
            fresh = SearchEngine(big).search(text, count=False)
            assert cached.hits == fresh.hits and cached.total == fresh.total, text

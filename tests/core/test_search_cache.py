"""What searches keep between keys: the SearchCache follows every write, and index terms are the index's."""

from __future__ import annotations

import json
import sqlite3

import pytest

from readinglist.core.models import Paper, PaperDraft
from readinglist.core.search import SearchCache, SearchEngine
from readinglist.core.search.words import INDEX_TERMS, TOKENIZE
from readinglist.core.store import Library, now
from tests.helpers import add_paper

TITLES = [
    "Chinchilla: Training Compute-Optimal Large Language Models",
    "Scaling Laws for Neural Language Models",
    "Retrieval-Augmented Generation for Knowledge-Intensive NLP Tasks",
    "Mixture of Experts Language Models at Scale",
    "Speculative Decoding of Language Models",
]


@pytest.fixture
def lib(library: Library) -> Library:
    for k, title in enumerate(TITLES):
        abstract = f"We study language models, part {k}."
        draft = PaperDraft(title=title, abstract=abstract, authors=("Ada Quispe",))
        add_paper(library, draft, stamp=now())
    return library


def _chinchilla(lib: Library) -> int:
    return next(pid for pid in lib.ids() if lib.get(pid).title.startswith("Chinchilla"))


def _page(engine: SearchEngine, text: str) -> list[tuple[int, float, object]]:
    return [(h.paper_id, h.score, h.spans) for h in engine.search(text, count=False).hits]


def _title_spans(engine: SearchEngine, text: str, pid: int) -> list[tuple[int, int]]:
    hit = next(h for h in engine.search(text).hits if h.paper_id == pid)
    return hit.spans.get("title", [])


def test_a_write_from_another_connection_empties_the_cache(lib: Library) -> None:
    cache = SearchCache()
    pid = _chinchilla(lib)
    assert _title_spans(SearchEngine(lib, cache), "chinchilla", pid) == [(0, 10)]
    other = sqlite3.connect(lib.path)
    other.execute("UPDATE papers SET title = 'The Chinchilla Paper' WHERE id = ?", [pid])
    other.commit()
    other.close()
    # A stale row would still place the word at 0-10.
    assert _title_spans(SearchEngine(lib, cache), "chinchilla", pid) == [(4, 14)]


def test_a_write_on_the_same_connection_empties_the_cache(lib: Library) -> None:
    cache = SearchCache()
    pid = _chinchilla(lib)
    engine = SearchEngine(lib, cache)
    first = engine.search("chinchilla").hits[0]
    assert first.paper_id == pid and "authors" not in first.spans
    lib.set_note(pid, "read with Quispe")
    lib.set_starred(pid, True)
    cache.sync(lib.conn)
    assert cache.rows(lib.conn, [pid])[pid].starred == 1
    assert cache.rows(lib.conn, [pid])[pid].notes == "read with Quispe"


def test_cached_searches_answer_what_fresh_engines_answer(lib: Library) -> None:
    cache = SearchCache(max_rows=2, max_abstracts=1)  # tiny: entries are dropped all the time
    for phrase in ["language models", "mixture of experts", "retrieval augmented generation"]:
        for k in range(1, len(phrase) + 1):
            text = phrase[:k]
            assert _page(SearchEngine(lib, cache), text) == _page(SearchEngine(lib), text), text


def test_rows_dropped_to_make_room_are_still_returned(lib: Library) -> None:
    cache = SearchCache(max_rows=3)
    ids = lib.ids()
    cache.sync(lib.conn)
    assert set(cache.rows(lib.conn, ids[:3])) == set(ids[:3])
    # Two new rows overflow the cache: the three cached ones asked for again must not vanish.
    assert set(cache.rows(lib.conn, ids)) == set(ids)
    assert len(cache.row_ids()) <= 3


def test_words_of_one_stem_are_one_index_term() -> None:
    stems = INDEX_TERMS.stems(["generation", "general", "generated", "genetic", "happy", "happiness", "Über"])
    assert stems["generation"] == stems["general"] == stems["generated"] == "gener"
    assert stems["genetic"] != "gener" and stems["happy"] == stems["happiness"]
    assert stems["Über"] == "uber"
    words = ["gen", "generation", "general", "genetic", "generated", "gen eration"]
    assert INDEX_TERMS.distinct(words) == ["gen", "generation", "genetic", "gen eration"]


def test_the_indexes_use_the_tokenizer_words_are_stemmed_with(lib: Library) -> None:
    for table in ("papers_fts", "papers_title_fts"):
        sql = lib.conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
        assert TOKENIZE in sql, table


def test_one_word_per_term_matches_the_same_papers(lib: Library) -> None:
    words = ["generation", "general", "generated", "generative", "language", "languages"]
    every = " OR ".join(f'"{w}"' for w in words)
    fewer = " OR ".join(f'"{w}"' for w in INDEX_TERMS.distinct(words))
    assert len(fewer) < len(every)
    for table in ("papers_fts", "papers_title_fts"):
        sql = f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid"
        assert lib.conn.execute(sql, [every]).fetchall() == lib.conn.execute(sql, [fewer]).fetchall()


def test_authors_stored_with_escapes_are_still_highlighted(lib: Library) -> None:
    # Libraries written by other tools may hold ASCII-escaped JSON ("\u738b"): the
    # quick "is a query word in the authors at all" check must not skip those.
    pid = _chinchilla(lib)
    lib.conn.execute(
        "UPDATE papers SET authors = ?, abstract = 'Work by 王小明.' WHERE id = ?",
        [json.dumps(["王小明", "Ada Quispe"]), pid],
    )
    lib.conn.commit()
    hit = next(h for h in SearchEngine(lib).search("王小明").hits if h.paper_id == pid)
    assert hit.spans["authors"] == [(0, 3)]


def test_warming_reads_the_newest_papers_and_changes_no_page(lib: Library) -> None:
    cache = SearchCache()
    engine = SearchEngine(lib, cache)
    newest = sorted(lib.ids(), reverse=True)
    assert engine.warm(papers=3) == 3
    # (its closing throwaway search may cache a few more)
    assert set(newest[:3]) <= cache.row_ids() and set(newest[:3]) <= cache.abstract_ids()
    for text in ["l", "language m", "mixture of e", "speculative"]:
        assert _page(engine, text) == _page(SearchEngine(lib), text), text
    # A caller with a search to run stops it between batches.
    assert SearchEngine(lib, SearchCache()).warm(stop=lambda: True) == 0


def test_warming_after_a_query_reads_its_newest_matches(lib: Library) -> None:
    cache = SearchCache()
    engine = SearchEngine(lib, cache)
    experts = {pid for pid in lib.ids() if "Experts" in lib.get(pid).title}
    assert engine.warm(after="mixture of ") == len(experts) == 1
    assert cache.row_ids() == experts  # no throwaway search after a query
    assert _page(engine, "mixture of e") == _page(SearchEngine(lib), "mixture of e")
    assert engine.warm(after="-mixture") == 0  # nothing to match: nothing read


def test_warming_twice_reads_once_until_the_library_changes(lib: Library) -> None:
    cache = SearchCache()
    assert SearchEngine(lib, cache).warm(papers=3) == 3
    assert SearchEngine(lib, cache).warm(papers=3) == 0  # a view shown again: nothing to read
    assert SearchEngine(lib, cache).warm(papers=2) == 2  # another warming is not the same one
    lib.set_starred(_chinchilla(lib), True)
    assert SearchEngine(lib, cache).warm(papers=3) == 3  # the write emptied the cache
    stopped = SearchCache()
    assert SearchEngine(lib, stopped).warm(papers=3, stop=lambda: True) == 0
    assert SearchEngine(lib, stopped).warm(papers=3) == 3  # a stopped warming is not done


def test_warming_searches_every_first_letter_ahead(lib: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    from readinglist.core.search import run

    cache = SearchCache()
    SearchEngine(lib, cache).warm(limit=50)
    ran: list[run.QueryRun] = []
    execute = run.QueryRun.execute

    def counted(self: run.QueryRun) -> object:
        ran.append(self)
        return execute(self)

    monkeypatch.setattr(run.QueryRun, "execute", counted)
    for letter in "lsmx":
        kept = SearchEngine(lib, cache).search(letter, limit=50, count=False)
        fresh = SearchEngine(lib).search(letter, limit=50, count=False)
        assert [(h.paper_id, h.score, h.spans) for h in kept.hits] == [
            (h.paper_id, h.score, h.spans) for h in fresh.hits
        ]
        assert (kept.total, kept.countable, kept.hint) == (fresh.total, fresh.countable, fresh.hint)
    assert len(ran) == 4  # only the fresh engines searched
    SearchEngine(lib, cache).search("l", limit=20, count=False)  # another limit: searched
    assert len(ran) == 5


def test_kept_results_follow_every_write(lib: Library) -> None:
    cache = SearchCache()
    engine = SearchEngine(lib, cache)
    assert engine.search("is:starred chinchilla").hits == []
    lib.set_starred(_chinchilla(lib), True)
    assert [h.paper_id for h in engine.search("is:starred chinchilla").hits] == [_chinchilla(lib)]
    first = engine.search("scaling")
    first.hits.clear()  # a caller's copy: what the cache keeps is untouched
    assert engine.search("scaling").hits
    kept = cache.result_keys()
    engine.search("added:<1d scaling")  # reads the clock: never kept
    assert cache.result_keys() == kept
    # A commit by another connection (the app's, while its worker searches) too.
    before = [h.paper_id for h in engine.search("is:starred").hits]
    with Library(lib.path) as other:
        other.set_starred(before[0], False)
    assert [h.paper_id for h in engine.search("is:starred").hits] == before[1:]


def test_kept_papers_are_read_once_and_follow_every_write(lib: Library) -> None:
    cache = SearchCache()
    cache.sync(lib.conn)
    reads: list[list[int]] = []

    def read(ids: list[int]) -> list[Paper]:
        reads.append(ids)
        return lib.get_many(ids)

    ids = lib.ids()[:3]
    assert [p.id for p in cache.papers(ids, read)] == ids
    assert [p.id for p in cache.papers([ids[1], ids[0], 10_000], read)] == [ids[1], ids[0]]
    assert reads == [ids, [10_000]]  # the kept ones were not read again
    lib.set_starred(ids[0], True)
    cache.sync(lib.conn)
    assert cache.papers(ids[:1], read)[0].starred  # the write emptied the cache

"""Property tests: no input makes the parser, the FTS escaping or the engine raise."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readinglist.core.sample import import_sample
from readinglist.core.search import SearchEngine, parse, quote
from readinglist.core.store import Library

# Pieces of the query language and of FTS5's own syntax, mixed with arbitrary text.
SYNTAX = [
    '"',
    "-",
    "!",
    "|",
    "||",
    "title:",
    "abstract:",
    "author:",
    "notes:",
    "tag:",
    "#",
    "is:",
    "has:",
    "year:",
    "year:>=",
    "year:2020..",
    "added:<",
    "added:7d",
    "sort:",
    "sort:year",
    "venue:",
    ":",
    "*",
    "(",
    ")",
    "{title}",
    "NEAR",
    "AND",
    "OR",
    "NOT",
    "^",
    "\0",
    "🙂",
    "ö",
    "ﬁ",
    "İ",
    "_",
    "language",
    "modl",
    "chinchil",
    "infinigram",
    " ",
    "  ",
    "\t",
    "\n",
    "'",
    "\\",
    "%",
    "é",
]
queries = st.one_of(
    st.text(max_size=80),
    st.lists(st.one_of(st.sampled_from(SYNTAX), st.text(max_size=6)), max_size=14).map("".join),
)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    with Library(tmp_path_factory.mktemp("fuzz") / "sample.db") as lib:
        import_sample(lib)
        yield lib


@given(queries)
@settings(max_examples=200, deadline=None)
def test_parser_never_raises(text: str) -> None:
    q = parse(text)
    assert all(c.terms for c in q.clauses)
    assert all(w for c in q.clauses for t in c.terms for w in t.words)


# Hypothesis cannot draw 10 kB strings directly: repeat a random piece up to 10 kB.
ten_kb = queries.filter(bool).map(lambda s: (s * (10_240 // len(s) + 1))[:10_240])


@given(ten_kb)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_10_kb_queries(sample: Library, text: str) -> None:
    assert len(text) == 10_240
    result = SearchEngine(sample).search(text, limit=20)
    assert "could not be searched" not in (result.hint or "")


@given(st.text(max_size=40))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_quoting_any_text_is_a_valid_fts_string(sample: Library, text: str) -> None:
    # A quoted string is one phrase whatever it holds; FTS5 accepts it (an empty
    # phrase simply matches nothing).
    sample.db.execute("SELECT count(*) FROM papers_fts WHERE papers_fts MATCH ?", [quote(text)]).fetchone()


@given(queries)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_engine_never_raises_and_never_sends_bad_fts(sample: Library, text: str) -> None:
    result = SearchEngine(sample).search(text, limit=20)
    # The engine would turn an FTS5 syntax error into this hint: it must never be needed.
    assert "could not be searched" not in (result.hint or "")
    assert len(result.hits) <= 20
    for hit in result.hits:
        for spans in hit.spans.values():
            assert all(0 <= s < e for s, e in spans)


@pytest.mark.parametrize(
    "text",
    [
        "\0",
        "\0language\0",
        '"',
        '""',
        '"unclosed',
        "-",
        "| |",
        "🙂" * 50,
        "x" * 10_000,
        "a " * 5_000,
        "title:",
        "#",
        "is:",
        "year:>=",
        "NEAR(a b)",
        "a AND OR NOT b",
        "{title}: x",
        "*",
        "^a",
    ],
    ids=lambda text: repr(text[:12]),
)
def test_nasty_inputs_give_results_or_a_hint(sample: Library, text: str) -> None:
    result = SearchEngine(sample).search(text)
    assert result.hits or result.hint, text[:20]


def test_library_is_unchanged_by_searching(sample: Library, tmp_path: Path) -> None:
    before = sample.db.execute("SELECT count(*), sum(starred), group_concat(status) FROM papers").fetchone()
    for text in ["a | b", '-"x"', "is:starred", "\0"]:
        SearchEngine(sample).search(text)
    after = sample.db.execute("SELECT count(*), sum(starred), group_concat(status) FROM papers").fetchone()
    assert before == after
    assert isinstance(sample.db.conn, sqlite3.Connection)

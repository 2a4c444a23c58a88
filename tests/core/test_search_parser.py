"""The query language: every syntax form, and the hints for what is ignored."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from readinglist.core.search.parser import MAX_TERMS, Term, parse

NOW = datetime(2026, 5, 20, 12, 0, tzinfo=UTC)


def words(text: str) -> list[tuple[str, ...]]:
    return [t.words for c in parse(text).clauses for t in c.terms]


def test_plain_words_are_and_clauses_and_last_is_prefix_while_typing() -> None:
    q = parse("retrieval augm")
    assert [c.terms for c in q.clauses] == [(Term(("retrieval",)),), (Term(("augm",), prefix=True),)]
    q = parse("retrieval augm ")
    assert not any(t.prefix for c in q.clauses for t in c.terms)


def test_words_are_case_folded_and_accents_stripped() -> None:
    assert words("Müller ÉCOLE") == [("muller",), ("ecole",)]


def test_hyphenated_word_splits_like_the_index() -> None:
    q = parse("KNN-LM ")
    assert [t.words for c in q.clauses for t in c.terms] == [("knn",), ("lm",)]
    q = parse("infini-gr")
    assert [(t.words, t.prefix) for c in q.clauses for t in c.terms] == [
        (("infini",), False),
        (("gr",), True),
    ]


def test_quoted_phrase() -> None:
    q = parse('"chain of thought" prompting')
    assert q.clauses[0].terms == (Term(("chain", "of", "thought"), phrase=True),)
    assert q.clauses[1].terms == (Term(("prompting",), prefix=True),)


def test_unclosed_quote_runs_to_the_end_with_a_hint() -> None:
    q = parse('"chain of tho')
    assert q.clauses[0].terms[0].words == ("chain", "of", "tho")
    assert q.clauses[0].terms[0].phrase
    assert any("unclosed quote" in h for h in q.hints)


@pytest.mark.parametrize("text", ["-survey llm", "!survey llm"])
def test_exclusion(text: str) -> None:
    q = parse(text)
    assert q.excluded == [Term(("survey",), phrase=True)]
    assert words(text) == [("llm",)]


def test_excluded_phrase() -> None:
    assert parse('-"large language" x').excluded == [Term(("large", "language"), phrase=True)]


def test_or_groups_adjacent_items() -> None:
    q = parse("diffusion | gan images")
    assert len(q.clauses) == 2
    assert [t.words for t in q.clauses[0].terms] == [("diffusion",), ("gan",)]
    assert [t.words for t in q.clauses[1].terms] == [("images",)]


@pytest.mark.parametrize("text", ["| a", "a |", "a | | b", "||", "a || b"])
def test_stray_or_is_harmless(text: str) -> None:
    q = parse(text)
    assert all(c.terms for c in q.clauses)


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("title:game", "title"),
        ("abstract:game", "abstract"),
        ("author:smith", "authors"),
        ("notes:game", "notes"),
    ],
)
def test_field_prefixes(text: str, column: str) -> None:
    assert parse(text).clauses[0].terms[0].field == column


def test_field_with_phrase() -> None:
    term = parse('title:"consensus game"').clauses[0].terms[0]
    assert term == Term(("consensus", "game"), "title", phrase=True)


def test_tags() -> None:
    q = parse("tag:survey #to-read x")
    assert q.tags == [("survey", False), ("to-read", False)]
    assert parse("#sur").tags == [("sur", True)]


@pytest.mark.parametrize("value", ["starred", "queued", "reading", "read", "unread"])
def test_is_filters(value: str) -> None:
    assert parse(f"is:{value} ").is_ == [value]


@pytest.mark.parametrize("value", ["notes", "code", "link"])
def test_has_filters(value: str) -> None:
    assert parse(f"has:{value} ").has == [value]


def test_is_value_being_typed_completes_when_unambiguous() -> None:
    assert parse("is:star").is_ == ["starred"]
    assert parse("is:rea").is_ == [] and parse("is:rea").hints == []  # read / reading: wait
    assert parse("is:rea ").hints


def test_bad_filter_values_are_hints() -> None:
    q = parse("is:happy has:cats year:soon added:later sort:random x")
    assert len(q.hints) == 5
    assert not (q.is_ or q.has or q.year or q.added)
    assert q.sort == "relevance"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("year:2024", [("=", 2024)]),
        ("year:>=2022", [(">=", 2022)]),
        ("year:<2020", [("<", 2020)]),
        ("year:2020..2023", [(">=", 2020), ("<=", 2023)]),
    ],
)
def test_year(text: str, expected: list[tuple[str, int]]) -> None:
    assert parse(text + " ").year == expected


def test_added_relative_and_absolute() -> None:
    assert parse("added:<7d ", now=NOW).added == [(">", "2026-05-13T12:00:00Z")]
    assert parse("added:>2w ", now=NOW).added == [("<", "2026-05-06T12:00:00Z")]
    assert parse("added:>=2024-05-01 ").added == [(">=", "2024-05-01")]
    assert parse("added:2024-05 ").added == [("=", "2024-05")]


@pytest.mark.parametrize("value", ["relevance", "added", "title", "year"])
def test_sort(value: str) -> None:
    assert parse(f"sort:{value} x").sort == value


def test_unknown_field_is_searched_as_text() -> None:
    q = parse("venue:neurips ")
    assert words("venue:neurips ") == [("venue",), ("neurips",)]
    assert q.hints == ["unknown field venue: searched as text"]


def test_url_like_input_is_text() -> None:
    assert ("github",) in words("https://github.com/x ")


def test_empty_and_symbol_only_queries_have_no_clauses() -> None:
    for text in ["", "   ", "🙂🙂", '- ! | " :', "\0\0"]:
        q = parse(text)
        assert q.clauses == [] and q.excluded == []


def test_nul_is_a_separator() -> None:
    assert words("lan\0guage ") == [("lan",), ("guage",)]


def test_long_input_is_capped_with_a_hint() -> None:
    q = parse("word " * 5000)
    assert sum(len(t.words) for c in q.clauses for t in c.terms) == MAX_TERMS
    assert any("too long" in h for h in q.hints)

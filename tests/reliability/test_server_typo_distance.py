"""The search's own typo distance gives rapidfuzz's figures (rapidfuzz no longer loads for a search)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from readinglist.core.search.vocab import osa_distance

# A small alphabet makes swaps, repeats and near-misses common.
words = st.text(alphabet="abcde", max_size=9)


@given(words, words, st.integers(min_value=0, max_value=3))
def test_osa_distance_matches_rapidfuzz(a: str, b: str, cutoff: int) -> None:
    assert osa_distance(a, b, cutoff) == OSA.distance(a, b, score_cutoff=cutoff)


@given(st.text(max_size=14), st.text(max_size=14), st.integers(min_value=0, max_value=2))
def test_osa_distance_matches_rapidfuzz_on_any_text(a: str, b: str, cutoff: int) -> None:
    assert osa_distance(a, b, cutoff) == OSA.distance(a, b, score_cutoff=cutoff)


def test_known_distances() -> None:
    assert osa_distance("chinchila", "chinchilla", 2) == 1  # a letter left out
    assert osa_distance("retreival", "retrieval", 2) == 1  # two letters swapped
    assert osa_distance("ca", "abc", 3) == 3  # OSA edits no substring twice (Damerau would say 2)
    assert osa_distance("quant", "quantum", 1) == 2  # beyond the cutoff: cutoff + 1

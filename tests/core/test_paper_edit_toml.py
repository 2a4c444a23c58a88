"""The editor's TOML document gives back every stored value unchanged (property), and checks values."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readinglist.core import paper_edit
from readinglist.core.models import Paper, Status

LINE = st.text(st.characters(exclude_categories=["Cs"]), max_size=40).map(lambda t: " ".join(t.split()))
ABSTRACT = st.text(st.characters(exclude_categories=["Cs"]), max_size=80).map(
    lambda t: paper_edit.check("abstract", t)
)


def _paper(title: str, authors: list[str], venue: str, abstract: str, year: int | None) -> Paper:
    return Paper(
        id=1,
        title=title or "t",
        abstract=abstract,
        authors=tuple(a for a in authors if a),
        year=year,
        date=None,
        arxiv_id=None,
        doi=None,
        url=None,
        links=(),
        source="",
        added_at="2020-01-01T00:00:00Z",
        starred=False,
        status=Status.UNREAD,
        queue_position=None,
        tags=(),
        notes="",
        notes_updated_at=None,
        venue=venue or None,
        key="k",
    )


@settings(max_examples=300, deadline=None)
@given(LINE, st.lists(LINE, max_size=3), LINE, ABSTRACT, st.one_of(st.none(), st.integers(1, 9999)))
def test_an_untouched_document_changes_nothing(
    title: str, authors: list[str], venue: str, abstract: str, year: int | None
) -> None:
    paper = _paper(title, authors, venue, abstract, year)
    assert paper_edit.from_toml(paper, paper_edit.to_toml(paper)) == {}


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("doi", "https://doi.org/10.1145/3.4", "10.1145/3.4"),
        ("arxiv_id", "https://arxiv.org/abs/2005.11401v2", "2005.11401"),
        ("date", "2020-05", "2020-05"),
        ("year", 2020, 2020),
        ("year", "", None),
        ("venue", "  NeurIPS   2020 ", "NeurIPS 2020"),
    ],
)
def test_values_are_stored_normalised(field: str, value: object, expected: object) -> None:
    assert paper_edit.check(field, value) == expected


@pytest.mark.parametrize(
    ("field", "value"),
    [("year", "20x4"), ("year", True), ("date", "2020-13"), ("url", "not a url"), ("authors", 3)],
)
def test_bad_values_are_refused(field: str, value: object) -> None:
    with pytest.raises(paper_edit.EditError):
        paper_edit.check(field, value)

"""Whatever text a paper holds, the RIS it is written as reads back as the same records."""

from __future__ import annotations

import io
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readinglist.core.formats import ris
from readinglist.core.models import Paper, PaperDraft, Status

TEXT = st.text(max_size=60)
# A comma in a stored name would be read as RIS's ``Last, First`` separator (documented).
NAME = st.text(max_size=20).filter(lambda s: "," not in s)


def ink(text: str) -> str:
    """The visible characters: what no RIS value can lose (white space and control characters aside)."""
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cc")


def one_line(text: str) -> str:
    return " ".join("".join(" " if unicodedata.category(c) == "Cc" else c for c in text).split())


def paper(n: int, title: str, abstract: str, authors: list[str], tags: list[str], notes: str) -> Paper:
    return Paper(
        id=n,
        title=title,
        abstract=abstract,
        authors=tuple(authors),
        year=1999,
        date="1999-02",
        arxiv_id=None,
        doi=None,
        url=None,
        links=(),
        source="",
        added_at="2024-01-01T00:00:00",
        starred=False,
        status=Status.UNREAD,
        queue_position=None,
        tags=tuple(tags),
        notes=notes,
        notes_updated_at=None,
    )


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            TEXT.filter(lambda s: one_line(s) != ""),
            TEXT,
            st.lists(NAME, max_size=3),
            st.lists(TEXT, max_size=3),
            TEXT,
        ),
        min_size=1,
        max_size=4,
    )
)
def test_written_records_read_back_one_for_one(
    items: list[tuple[str, str, list[str], list[str], str]],
) -> None:
    papers = [paper(n, *item) for n, item in enumerate(items, start=1)]
    out = io.StringIO()
    ris.write(papers, out)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.ris"
        path.write_text(out.getvalue(), encoding="utf-8", newline="")
        back = list(ris.read(path))
    assert len(back) == len(papers)
    for original, draft in zip(papers, back, strict=True):
        assert isinstance(draft, PaperDraft), draft
        assert draft.title == one_line(original.title)
        assert ink(draft.abstract) == ink(original.abstract)
        assert ink(draft.notes or "") == ink(original.notes)
        assert [ink(a) for a in draft.authors] == [ink(a) for a in original.authors if one_line(a)]
        assert draft.tags == tuple(one_line(t) for t in original.tags if one_line(t))
        assert (draft.year, draft.date) == (1999, "1999-02")

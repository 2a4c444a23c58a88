"""Generated field values cannot break an export: BibTeX, CSV and Markdown, checked by real parsers (#12)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from bibtexparser.entrypoint import parse_string
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from readinglist.core.formats import BadEntry, bibtex, csv_format, markdown
from readinglist.core.models import Paper, PaperDraft, Status

# Characters that have a meaning somewhere in these formats, mixed into ordinary text.
SPECIAL = "@{}\\%&$#_~^`[]()<>!*\"',;=+-\n\r\t |:/"
text = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Z", "Cc"])
    | st.sampled_from(SPECIAL)
)
words = text.filter(lambda t: t.split() != [])
SAFE = re.compile(r"^(?:https?://|doi:|arxiv:)", re.IGNORECASE)
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def paper(
    title: str, authors: list[str], url: str, doi: str, tags: list[str], abstract: str, notes: str
) -> Paper:
    return Paper(
        id=1,
        title=" ".join(title.split()),
        abstract=abstract,
        authors=tuple(" ".join(a.split()) for a in authors if a.split()),
        year=2024,
        date="2024-05",
        arxiv_id=None,
        doi=doi or None,
        url=url or None,
        links=(),
        source="",
        added_at="2024-01-01T00:00:00Z",
        starred=True,
        status=Status.READING,
        queue_position=None,
        tags=tuple(dict.fromkeys(" ".join(t.lstrip().lstrip("#").split()) for t in tags if t.split())),
        notes=notes,
        notes_updated_at=None,
        primary_link=url or "https://arxiv.org/search/?query=x",
    )


papers = st.builds(
    paper, words, st.lists(words, max_size=3), text, text, st.lists(words, max_size=3), text, text
)


@pytest.mark.slow
@FUZZ
@given(papers)
def test_bibtex_entry_is_always_one_entry_with_its_title(p: Paper) -> None:
    # Control characters are left out of BibTeX (a NUL makes the file binary).
    title = " ".join(CONTROL.sub(" ", p.title).split())
    assume(title)
    entry = bibtex.entry_for(p)
    parsed = parse_string(entry + "\n" + bibtex.entry_for(p, key="next"))
    assert [e.key for e in parsed.entries] == [bibtex.cite_key(p), "next"] and not parsed.failed_blocks
    with TemporaryDirectory() as folder:
        path = Path(folder) / "one.bib"
        path.write_text(entry, encoding="utf-8")
        (draft,) = list(bibtex.read(path))
    assert isinstance(draft, PaperDraft)
    assert draft.title == title
    assert draft.url == (bibtex.url_field(p.url) if p.url else None)


@pytest.mark.slow
@FUZZ
@given(papers)
def test_csv_row_reads_back_exactly(p: Paper) -> None:
    # A NUL is left out (no CSV reader takes one), and the reader trims what is left.
    title = " ".join(p.title.replace("\0", "").split())
    assume(title)
    out = io.StringIO()
    csv_format.write([p], out)
    cells = next(iter(list(csv.reader(io.StringIO(out.getvalue(), newline="")))[1:]))
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    with TemporaryDirectory() as folder:
        path = Path(folder) / "one.csv"
        path.write_text(out.getvalue(), encoding="utf-8", newline="")
        (draft,) = list(csv_format.read(path))
    assert not isinstance(draft, BadEntry)
    # Everything else comes back.
    assert (draft.title, draft.notes, draft.url, draft.starred, draft.status) == (
        title,
        p.notes.replace("\0", ""),
        p.url.replace("\0", "") if p.url else None,
        True,
        Status.READING,
    )
    assert draft.tags == tuple(t for t in (" ".join(t.replace("\0", "").split()) for t in p.tags) if t)
    assert draft.abstract == p.abstract.replace("\0", "").strip()


@pytest.mark.slow
@FUZZ
@given(st.lists(papers, min_size=1, max_size=3))
def test_markdown_renders_no_unsafe_link_image_or_html(ps: list[Paper]) -> None:
    out = io.StringIO()
    markdown.write(ps, out)
    md = MarkdownIt("commonmark")
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    tokens = [t for block in md.parse(out.getvalue()) for t in [block, *(block.children or [])]]
    hrefs = [str(t.attrs["href"]) for t in tokens if t.type == "link_open"]
    assert all(SAFE.match(h) for h in hrefs), hrefs
    assert not [t.type for t in tokens if t.type in ("image", "html_inline", "html_block")]

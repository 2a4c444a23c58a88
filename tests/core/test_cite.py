"""Citation texts for the copy menu."""

from __future__ import annotations

from pathlib import Path

import bibtexparser

from readinglist.core.cite import bibtex_entry, code_link, markdown_link
from readinglist.core.models import PaperDraft
from readinglist.core.store import Library
from tests.helpers import add_paper


def _paper(library: Library, **fields: object) -> int:
    draft = PaperDraft(**fields)  # type: ignore[arg-type]
    return add_paper(library, draft, stamp="2024-01-01T00:00:00Z")


def test_markdown_link_escapes_brackets(library: Library) -> None:
    paper = library.get(_paper(library, title="Evidence [sic] > Intuition", arxiv_id="2401.00001"))
    assert markdown_link(paper) == r"[Evidence \[sic\] > Intuition](https://arxiv.org/abs/2401.00001)"


def test_code_link_is_the_first_code_host(library: Library) -> None:
    abstract = "See https://example.org/project and https://github.com/a/b. Also https://gitlab.com/c/d"
    paper = library.get(_paper(library, title="T", abstract=abstract))
    assert code_link(paper) == "https://github.com/a/b"
    assert code_link(library.get(_paper(library, title="No code here"))) is None


def test_bibtex_entry_parses_back(library: Library) -> None:
    paper = library.get(
        _paper(
            library,
            title="Attention Is All You Need: 100% {of} it",
            authors=("Ashish Vaswani", "Noam Shazeer"),
            year=2017,
            arxiv_id="1706.03762",
        )
    )
    parsed = bibtexparser.parse_string(bibtex_entry(paper))  # type: ignore[attr-defined]
    assert len(parsed.entries) == 1 and not parsed.failed_blocks
    entry = parsed.entries[0]
    fields = {name: str(field.value) for name, field in entry.fields_dict.items()}
    assert entry.key == "vaswani2017attention"
    assert fields["eprint"] == "1706.03762"
    assert "Vaswani" in fields["author"]
    assert "100\\%" in fields["title"]


def test_bibtex_month_is_the_standard_macro_and_reads_back(library: Library, tmp_path: Path) -> None:
    from readinglist.core.formats import get_format

    paper = library.get(_paper(library, title="Dated", year=2024, date="2024-06-15"))
    entry = bibtex_entry(paper)
    assert "\n  month = jun" in entry and "{6}" not in entry
    path = tmp_path / "one.bib"
    path.write_text(entry, encoding="utf-8")
    read = get_format("bibtex").read
    assert read is not None
    (draft,) = list(read(path))
    assert (
        isinstance(draft, PaperDraft) and draft.date == "2024-06-15" and draft.year == 2024
    )  # day kept (#18)

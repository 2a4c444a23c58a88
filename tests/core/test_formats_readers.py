"""arXiv JSONL, arXiv Atom and CSV readers on real-shaped files, broken ones included."""

from __future__ import annotations

from pathlib import Path

import pytest

from readinglist.core.errors import FormatError
from readinglist.core.formats import BadEntry, arxiv_atom, arxiv_jsonl, csv_format, detect_format, formats
from readinglist.core.models import PaperDraft

DATA = Path(__file__).parent.parent / "data"


def split(items: list[PaperDraft | BadEntry]) -> tuple[list[PaperDraft], list[BadEntry]]:
    return [i for i in items if isinstance(i, PaperDraft)], [i for i in items if isinstance(i, BadEntry)]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("arxiv-snapshot.jsonl", "arxiv-jsonl"),
        ("arxiv-api.xml", "arxiv-atom"),
        ("papers.csv", "csv"),
        ("zotero.bib", "bibtex"),
        ("jabref.bib", "bibtex"),
    ],
)
def test_detection_reads_content(tmp_path: Path, name: str, fmt: str) -> None:
    renamed = tmp_path / "download.dat"
    renamed.write_bytes((DATA / name).read_bytes())
    assert detect_format(renamed).name == fmt


def test_csv_without_title_is_still_csv_by_its_name() -> None:
    # Detected by extension so that reading it gives the precise header error.
    assert detect_format(DATA / "no-title.csv").name == "csv"


def test_sample_layout_still_detected() -> None:
    from readinglist.core.sample import sample_path

    assert detect_format(sample_path()).name == "hf-text"


def test_sniff_order_puts_our_json_before_arxiv_jsonl() -> None:
    names = list(formats())
    assert names.index("json") < names.index("arxiv-jsonl")


def test_arxiv_snapshot_fields() -> None:
    good, bad = split(list(arxiv_jsonl.read(DATA / "arxiv-snapshot.jsonl")))
    assert not bad
    first, old, mistral = good
    assert (
        first.title == "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    )
    assert first.abstract.startswith("A fully differential calculation") and "\n" not in first.abstract
    assert first.authors == ("C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C. -P. Yuan")
    assert (first.year, first.date) == (2007, "2007-04-02")
    assert first.doi == "10.1103/PhysRevD.76.013009"
    assert first.arxiv_id == "0704.0001" and first.line == 1
    assert old.arxiv_id == "hep-th/9901001" and old.date == "1999-01-01"
    assert mistral.line == 3


def test_arxiv_bad_lines_are_reported_and_skipped_over() -> None:
    good, bad = split(list(arxiv_jsonl.read(DATA / "arxiv-bad-line.jsonl")))
    assert [g.title for g in good] == ["First good paper", "Second good paper"]
    assert good[1].authors == ("C. Three", "D. Four") and good[1].date == "2024-01-05"
    assert [(b.line, b.reason.split(":")[0]) for b in bad] == [(2, "invalid JSON"), (3, "paper has no title")]
    # The fast parser's refusals fall back to json: its wording, as before.
    assert bad[0].reason == "invalid JSON: Expecting ',' delimiter (column 76)"


def test_arxiv_lines_the_fast_parser_refuses_still_read_as_json_reads_them(tmp_path: Path) -> None:
    """NaN, a lone surrogate escape and a huge integer: json takes them, orjson does not."""
    path = tmp_path / "odd.jsonl"
    path.write_text(
        '{"id": "2401.00001", "title": "Lone \\ud800 surrogate", "abstract": "x"}\n'
        '{"id": "2401.00002", "title": "Not a number", "abstract": "y", "score": NaN}\n'
        '{"id": "2401.00003", "title": "Huge integer", "n": 123456789012345678901234567890}\n',
        encoding="utf-8",
    )
    good, bad = split(list(arxiv_jsonl.read(path)))
    assert bad == []
    assert [g.title for g in good] == ["Lone \ud800 surrogate", "Not a number", "Huge integer"]


def test_atom_feed_fields() -> None:
    good, bad = split(list(arxiv_atom.read(DATA / "arxiv-api.xml")))
    assert not bad
    mistral, attention = good
    assert mistral.title == "Mistral 7B"
    assert mistral.abstract.startswith("We introduce") and "performance & efficiency." in mistral.abstract
    assert mistral.authors == ("Albert Q. Jiang", "Alexandre Sablayrolles")
    assert mistral.arxiv_id == "http://arxiv.org/abs/2310.06825v1"
    assert (mistral.date, mistral.line) == ("2023-10-10", 10)
    assert attention.title == "Attention Is All You Need"
    assert attention.doi == "10.5555/3295222.3295349"
    assert attention.authors[1] == "Łukasz Kaiser"
    assert attention.year == 2017


def test_truncated_atom_keeps_complete_entries() -> None:
    good, bad = split(list(arxiv_atom.read(DATA / "arxiv-truncated.xml")))
    assert [g.title for g in good] == ["Mistral 7B"]
    assert len(bad) == 1 and "truncated feed" in bad[0].reason and bad[0].line > 30


def test_not_xml_at_all_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n<oops', encoding="utf-8"
    )
    with pytest.raises(FormatError, match=r"x\.xml:3: broken XML"):
        list(arxiv_atom.read(path))


def test_csv_fields_quoting_and_multiline_cells() -> None:
    good, bad = split(list(csv_format.read(DATA / "papers.csv")))
    assert not bad
    attention, bert, bare = good
    assert attention.authors == ("Ashish Vaswani", "Noam Shazeer")
    assert attention.tags == ("transformers", "classics")
    assert attention.arxiv_id == "1706.03762v5" and attention.year == 2017 and attention.line == 2
    assert bert.doi == "https://doi.org/10.18653/V1/N19-1423"
    assert bert.abstract.endswith('"Bidirectional".\nIt has two lines.')
    assert bert.line == 3
    assert bare.title == "A paper with only a title" and bare.line == 5


def test_csv_without_title_column_names_the_header() -> None:
    with pytest.raises(FormatError, match=r"no-title\.csv:1: CSV header has no 'title' column"):
        list(csv_format.read(DATA / "no-title.csv"))


def test_csv_bad_rows() -> None:
    good, bad = split(list(csv_format.read(DATA / "bad-rows.csv")))
    assert [g.title for g in good] == ["Good row", "Another good row"]
    assert [(b.line, b.reason) for b in bad] == [(3, "row has no title"), (4, "year 'soon' is not a year")]


def test_csv_semicolons_and_tabs(tmp_path: Path) -> None:
    path = tmp_path / "t.tsv"
    path.write_text("title\tyear\nTabbed, with a comma\t2021\n", encoding="utf-8")
    good, _ = split(list(csv_format.read(path)))
    assert good[0].title == "Tabbed, with a comma" and good[0].year == 2021


@pytest.mark.parametrize("name", ["papers.csv", "arxiv-api.xml", "zotero.bib", "arxiv-snapshot.jsonl"])
def test_readers_report_how_far_they_have_read(name: str) -> None:
    from readinglist.core.formats import get_format, textio

    path = DATA / name
    fmt = detect_format(path)
    assert fmt.read is not None and get_format(fmt.name) is fmt
    list(fmt.read(path))
    # Characters for text readers, bytes for XML: within a few percent of the size.
    assert textio.position(path) == pytest.approx(path.stat().st_size, rel=0.05)

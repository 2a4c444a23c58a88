"""CSL JSON import (#18): Zotero, Better BibTeX and DOI content negotiation, read exactly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from readinglist.core.errors import FormatError
from readinglist.core.formats import BadEntry, detect, get_format
from readinglist.core.formats.csl_json import read
from readinglist.core.importing import import_files
from readinglist.core.models import PaperDraft
from readinglist.core.store import Library

DATA = Path(__file__).parent / "data"


def drafts(path: Path) -> list[PaperDraft]:
    """Every draft of a file that must hold no bad item."""
    out: list[PaperDraft] = []
    for item in read(path):
        assert not isinstance(item, BadEntry), item.error()
        out.append(item)
    return out


def test_zotero_export_reads_every_field() -> None:
    deep, attention, report = drafts(DATA / "csl_zotero.json")
    assert deep.title == "Deep learning"
    assert deep.authors == ("Yann LeCun", "Yoshua Bengio", "Geoffrey Hinton")
    # Zotero writes the year as text and the month and day as numbers.
    assert (deep.year, deep.date) == (2015, "2015-05-28")
    assert deep.doi == "10.1038/nature14539"
    assert deep.url == "https://www.nature.com/articles/nature14539"
    assert deep.abstract.startswith("Deep learning allows computational models")
    assert deep.arxiv_id is None
    assert deep.line == 2
    assert attention.arxiv_id == "1706.03762"
    assert attention.doi == "10.48550/arxiv.1706.03762"
    assert (attention.year, attention.date) == (2017, "2017-12-05")
    # A literal (corporate) name stays whole; a particle stays in front of the family name.
    assert report.authors == ("U.S. Food and Drug Administration", "Ludwig van Beethoven")
    assert (report.year, report.date) == (2013, "2013-09")


def test_better_bibtex_export_keywords_become_tags() -> None:
    bert, rag = drafts(DATA / "csl_betterbibtex.json")
    assert bert.tags == ("language models", "pretraining", "NLP")
    assert bert.authors[1] == "Ming-Wei Chang"
    assert (bert.year, bert.date, bert.doi) == (2019, "2019-06", "10.18653/v1/n19-1423")
    assert rag.tags == ("retrieval", "RAG")
    assert (rag.year, rag.date) == (2020, None)
    # Better BibTeX keeps an arXiv preprint's id in "number".
    assert rag.arxiv_id == "2005.11401"


def test_crossref_answer_strips_jats_and_decodes_entities() -> None:
    (fold,) = drafts(DATA / "csl_crossref_negotiation.json")
    assert fold.title == "Highly accurate protein structure prediction with AlphaFold"
    assert fold.authors == ("John Jumper", "Richard Evans", "Demis Hassabis")
    assert (fold.year, fold.date) == (2021, "2021-07-15")
    assert fold.doi == "10.1038/s41586-021-03819-2"
    assert fold.abstract == (
        "Proteins are essential to life, and understanding their structure can facilitate a "
        "mechanistic understanding of their function. Here we provide the first computational "
        "method that can regularly predict protein structures with atomic accuracy & validate it "
        "in CASP14. AlphaFold greatly improves the accuracy of structure prediction <1Å."
    )


def test_datacite_answer_for_an_arxiv_doi() -> None:
    (paper,) = drafts(DATA / "csl_datacite_arxiv.json")
    assert paper.title == "Attention Is All You Need"
    assert paper.arxiv_id == "1706.03762"
    assert paper.doi == "10.48550/arxiv.1706.03762"
    assert paper.authors == ("Ashish Vaswani", "Noam Shazeer", "Niki Parmar")
    assert (paper.year, paper.date) == (2017, None)


@pytest.mark.parametrize(
    "name",
    [
        "csl_zotero.json",
        "csl_betterbibtex.json",
        "csl_crossref_negotiation.json",
        "csl_datacite_arxiv.json",
        "csl_olson2006.json",
    ],
)
def test_detected_as_csl_json_by_content(name: str, tmp_path: Path) -> None:
    assert detect(DATA / name) == (get_format("csl-json"), None)
    # Without a telling extension, the content alone decides.
    copy = tmp_path / "answer.txt"
    shutil.copy(DATA / name, copy)
    assert detect(copy)[0].name == "csl-json"


@pytest.mark.parametrize("suffix", [".csl.json", ".csljson"])
def test_csl_extensions_name_the_format(suffix: str, tmp_path: Path) -> None:
    # An item that on its own would not say CSL (no type), but the name does.
    path = tmp_path / f"refs{suffix}"
    path.write_text('[{"title": "Only a title", "author": [{"family": "Roe", "given": "Jo"}]}]\n')
    assert detect(path) == (get_format("csl-json"), None)
    (draft,) = drafts(path)
    assert (draft.title, draft.authors) == ("Only a title", ("Jo Roe",))


def test_our_json_export_is_still_ours(sample_library: Library, tmp_path: Path) -> None:
    from readinglist.core.exporter import export_to_file

    ours = tmp_path / "export.json"
    export_to_file(sample_library, "json", ours)
    assert detect(ours) == (get_format("json"), None)
    # ``readinglist list --json``'s bare array of papers too.
    bare = tmp_path / "list.json"
    bare.write_text(
        '[{"id": 3, "title": "T", "authors": ["A B"], "year": 2020, "arxiv_id": null, "tags": []}]'
    )
    assert detect(bare) == (get_format("json"), None)


def test_olson2006_imports_instead_of_failing_on_its_id(library: Library) -> None:
    report = import_files(library, [DATA / "csl_olson2006.json"])
    assert (report.added, report.skipped) == (1, [])
    (paper,) = library.get_many(library.ids())
    assert paper.title == "Species range shifts under climate change"
    assert paper.authors == ("David M. Olson", "Eric Dinerstein")
    assert paper.year == 2006


def test_malformed_items_are_bad_entries_with_lines() -> None:
    items = list(read(DATA / "csl_malformed.json"))
    good, untitled, not_item, broken, literal = items
    assert isinstance(good, PaperDraft)
    assert (good.title, good.year, good.date) == ("A Good Item", 2020, "2020-03-04")
    assert untitled == BadEntry(str(DATA / "csl_malformed.json"), 8, "item 'untitled2019' has no title")
    assert isinstance(not_item, BadEntry)
    assert not_item.line == 14
    assert "found str" in not_item.reason
    assert isinstance(broken, BadEntry)
    assert broken.line == 15
    assert broken.reason == "item 'broken2018': author must be a list of names, not str"
    assert isinstance(literal, PaperDraft)
    # CSL rich text in a title becomes plain text; a season's year is kept.
    assert (literal.title, literal.year, literal.date) == ("A Dated Book", 2017, None)


def test_strict_import_of_malformed_items_changes_nothing(library: Library) -> None:
    with pytest.raises(FormatError) as caught:
        import_files(library, [DATA / "csl_malformed.json"])
    # Every bad item is counted before anything is written; the first one is named.
    assert str(caught.value).startswith(
        f"{DATA / 'csl_malformed.json'}: 3 bad entries (first at {DATA / 'csl_malformed.json'}:8: "
    )
    assert library.ids() == []
    report = import_files(library, [DATA / "csl_malformed.json"], skip_bad=True)
    assert (report.added, len(report.skipped)) == (2, 3)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[]", "no items in this CSL JSON file"),
        ('[{"title": "x"}', "the file ends inside the item list"),
        ('"just text"', "expected a CSL JSON array of items"),
    ],
)
def test_files_that_are_not_csl_json_at_all(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "broken.csl.json"
    path.write_text(text)
    with pytest.raises(FormatError) as caught:
        list(read(path))
    assert reason in str(caught.value)


def test_invalid_json_in_one_item_is_stepped_over(tmp_path: Path) -> None:
    path = tmp_path / "refs.csl.json"
    path.write_text(
        '[\n{"type": "article", "title": "One"},\n{"type": "article", "title": },\n{"title": "Three"}\n]\n'
    )
    one, bad, three = read(path)
    assert isinstance(one, PaperDraft) and isinstance(three, PaperDraft)
    assert isinstance(bad, BadEntry)
    assert bad.line == 3
    assert bad.reason.startswith("invalid JSON")


def test_items_one_a_line_are_read_too(tmp_path: Path) -> None:
    path = tmp_path / "refs.txt"
    answer = (DATA / "csl_datacite_arxiv.json").read_text(encoding="utf-8")
    path.write_text(answer + "\n" + answer.replace("Attention Is All You Need", "Second") + "\n")
    assert detect(path)[0].name == "csl-json"
    first, second = drafts(path)
    assert (first.title, first.line) == ("Attention Is All You Need", 1)
    assert (second.title, second.line) == ("Second", 2)


def test_files_that_read_before_keep_their_format() -> None:
    # Differential: no file of the earlier formats is taken for CSL JSON now.
    expected = {
        "arxiv-api.xml": "arxiv-atom",
        "arxiv-bad-line.jsonl": "arxiv-jsonl",
        "arxiv-snapshot.jsonl": "arxiv-jsonl",
        "papers.csv": "csv",
        "zotero.bib": "bibtex",
        "jabref.bib": "bibtex",
    }
    older = Path(__file__).parent.parent / "data"
    assert {name: detect(older / name)[0].name for name in expected} == expected


def test_an_item_nested_too_deeply_is_a_bad_entry(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    deep = "[" * 100_000 + "]" * 100_000
    start = '[\n{"id": "a", "type": "article", "issued": {"date-parts": [[2001]]}, "x": '
    path.write_text(start + deep + "}\n]\n")
    assert detect(path)[0].name == "csl-json"
    (bad,) = read(path)
    assert isinstance(bad, BadEntry)
    assert (bad.line, bad.reason.split(" (")[0]) == (2, "invalid JSON: nested too deeply")

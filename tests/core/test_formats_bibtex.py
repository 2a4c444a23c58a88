"""BibTeX reading (Zotero and JabRef exports, broken files) and writing."""

from __future__ import annotations

from pathlib import Path

import pytest
from bibtexparser.entrypoint import parse_file, parse_string

from readinglist.core.errors import FormatError
from readinglist.core.formats import BadEntry, bibtex, detect_format
from readinglist.core.models import Paper, PaperDraft, Status

DATA = Path(__file__).parent.parent / "data"


def drafts(path: Path) -> list[PaperDraft]:
    items = list(bibtex.read(path))
    assert all(isinstance(i, PaperDraft) for i in items), items
    return [i for i in items if isinstance(i, PaperDraft)]


def make_paper(**over: object) -> Paper:
    base: dict[str, object] = {
        "id": 7,
        "title": "Attention Is All You Need",
        "abstract": "",
        "authors": ("Ashish Vaswani", "Noam Shazeer"),
        "year": 2017,
        "date": "2017-06-12",
        "arxiv_id": "1706.03762",
        "doi": None,
        "url": None,
        "links": (),
        "source": "",
        "added_at": "2024-01-01T00:00:00Z",
        "starred": False,
        "status": Status.UNREAD,
        "queue_position": None,
        "tags": (),
        "notes": "",
        "notes_updated_at": None,
    }
    base.update(over)
    return Paper(**base)  # type: ignore[arg-type]


def test_zotero_export_fields() -> None:
    mistral, attention, bert = drafts(DATA / "zotero.bib")
    assert mistral.title == "Mistral 7B"
    assert mistral.arxiv_id == "2310.06825"
    assert mistral.authors[:2] == ("Albert Q. Jiang", "Alexandre Sablayrolles")
    assert (mistral.year, mistral.date) == (2023, "2023-10")
    assert mistral.line == 2
    assert "Kaiser" in attention.authors[6] and attention.authors[6].startswith("Łukasz")
    assert attention.date == "2017-12"
    assert bert.title == "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"
    assert bert.doi == "10.18653/v1/n19-1423"
    assert bert.url == "https://aclanthology.org/N19-1423"


def test_jabref_strings_accents_months_and_arxiv_eprint() -> None:
    kpca, garcia = drafts(DATA / "jabref.bib")
    assert kpca.title == "Kernel PCA and De-Noising in Feature Spaces: a étude of Gödel's naïve Erdős problem"
    assert kpca.authors == ("Bernhard Schölkopf", "Alexander J. Smola", "Klaus-Robert Müller")
    assert kpca.date == "2001-02"
    assert kpca.url == "https://example.org/papers/kpca_denoise~v2.pdf"
    assert garcia.title == "Cross-lingual transfer with 100% more & better data — a survey"
    assert garcia.authors == ("María García", "Søren Østergaard", "The NLP Group")
    assert garcia.arxiv_id == "2007.01234"
    assert garcia.date == "2020-07"
    assert "cost $0." in garcia.abstract


def test_broken_file_reports_bad_entries_with_lines_and_keeps_going() -> None:
    items = list(bibtex.read(DATA / "broken.bib"))
    good = [i.title for i in items if isinstance(i, PaperDraft)]
    bad = [i for i in items if isinstance(i, BadEntry)]
    assert good == ["A Good First Entry", "A Good Second Entry"]
    assert [(b.line, b.reason) for b in bad] == [
        (7, "cannot parse BibTeX entry '@article{unclosed,' (unclosed brace?)"),
        (17, "entry 'notitle' has no title"),
    ]
    assert str(bad[0].error()).endswith(
        "broken.bib:7: cannot parse BibTeX entry '@article{unclosed,' (unclosed brace?)"
    )


def test_detected_from_content_not_extension(tmp_path: Path) -> None:
    path = tmp_path / "refs.txt"
    path.write_text((DATA / "zotero.bib").read_text(encoding="utf-8"), encoding="utf-8")
    assert detect_format(path).name == "bibtex"


def test_no_entries_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.bib"
    path.write_text("% only a comment\n@comment{nothing}\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"empty\.bib:1: no BibTeX entries"):
        list(bibtex.read(path))


def test_chunks_carry_string_macros_over(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bibtex, "CHUNK_ENTRIES", 2)
    body = ['@string{venue = "Some Venue"}']
    body += [
        f"@article{{k{i},\n  title = {{Paper {i}}},\n  journal = venue,\n  year = {2000 + i}\n}}"
        for i in range(7)
    ]
    path = tmp_path / "many.bib"
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    got = drafts(path)
    assert [d.title for d in got] == [f"Paper {i}" for i in range(7)]
    assert [d.line for d in got] == [2 + 5 * i for i in range(7)]


def test_cite_key_is_author_year_first_significant_word() -> None:
    assert bibtex.cite_key(make_paper()) == "vaswani2017attention"
    assert (
        bibtex.cite_key(make_paper(title="The Müller Effect", authors=("José Núñez",))) == "nunez2017muller"
    )
    assert bibtex.cite_key(make_paper(authors=(), year=None, title="?!")) == "paper7"


def test_entry_for_reads_back_through_bibtexparser_with_specials() -> None:
    title = "Cost of {braces}, 100% & $money$ #1 under_score ~tilde^caret \\back: Ünïcode"
    paper = make_paper(
        title=title,
        abstract="An abstract with 50% & more.",
        doi="10.1000/ABC_1",
        authors=("Zoë O'Brien", "Søren Kierkegaard"),
    )
    text = bibtex.entry_for(paper)
    assert text.startswith("@misc{obrien2017cost,\n")
    lib = parse_string(text)
    assert not lib.failed_blocks
    entry = lib.entries[0]
    assert entry["eprint"] == "1706.03762" and entry["archiveprefix"] == "arXiv"
    assert entry["doi"] == "10.1000/ABC\\_1"


def test_write_then_read_round_trip(tmp_path: Path) -> None:
    papers = [
        make_paper(id=1, title="Cost of {braces}, 100% & $x$ #1 a_b ~t^c: Ünïcode", abstract="50% & more"),
        make_paper(id=2, title="Attention is all you need, again", arxiv_id=None, doi="10.1000/xyz"),
        make_paper(id=3, title="Attention revisited", arxiv_id=None, url="https://example.org/a_b?x=1"),
    ]
    path = tmp_path / "out.bib"
    with path.open("w", encoding="utf-8") as out:
        bibtex.write(papers, out)
    keys = [e.key for e in parse_file(str(path)).entries]
    assert keys == ["vaswani2017cost", "vaswani2017attention", "vaswani2017attentiona"]
    back = drafts(path)
    assert [d.title for d in back] == [p.title for p in papers]
    assert back[0].abstract == "50% & more"
    assert back[0].authors == papers[0].authors
    assert [d.arxiv_id for d in back] == ["1706.03762", None, None]
    assert back[1].doi == "10.1000/xyz"
    assert back[2].url == "https://example.org/a_b?x=1"
    assert back[0].date == "2017-06-12"  # the day too, from biblatex's date (#18)

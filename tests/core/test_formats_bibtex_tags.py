"""BibTeX keywords as tags, the edge cases real files have, and a lossless BibTeX round trip."""

from __future__ import annotations

from pathlib import Path

from bibtexparser.entrypoint import parse_file

from readinglist.core import exporter
from readinglist.core.formats import bibtex
from readinglist.core.importing import import_files
from readinglist.core.models import PaperDraft
from readinglist.core.store import Library
from tests.helpers import add_paper

DATA = Path(__file__).parent.parent / "data"


def drafts(path: Path) -> list[PaperDraft]:
    items = list(bibtex.read(path))
    assert all(isinstance(i, PaperDraft) for i in items), items
    return [i for i in items if isinstance(i, PaperDraft)]


def tags_by_title(library: Library) -> dict[str, set[str]]:
    return {p.title: set(p.tags) for p in library.papers()}


def test_keywords_and_jabref_groups_are_read_as_tags() -> None:
    cot, rag, lstm, nmt = drafts(DATA / "zotero-tagged.bib")
    # Zotero: ", "-separated, arXiv subject tags included as Zotero exports them.
    assert cot.tags == (
        "Computer Science - Artificial Intelligence",
        "Computer Science - Computation and Language",
        "reasoning",
        "to read",
    )
    # Mixed separators, an escaped #, a braced comma and a LaTeX accent.
    assert rag.tags == (
        "RAG",
        "#retrieval",
        "NLP",
        "nlp",
        "Question answering, open-domain",
        "Schölkopf kernels",
    )
    # Mendeley: ";" without spaces.
    assert lstm.tags == ("LSTM", "recurrent networks", "classics")
    # JabRef: keywords, then the entry's explicit groups.
    assert nmt.tags == ("attention", "classics", "Thesis", "Attention")
    assert nmt.arxiv_id == "1409.0473" and nmt.date == "2014-09"


def test_imported_keywords_are_cleaned_like_every_other_tag(library: Library) -> None:
    report = import_files(library, [DATA / "zotero-tagged.bib"], tags=["#from-zotero"])
    assert (report.added, report.skipped) == (4, [])
    got = tags_by_title(library)
    rag = got["Retrieval-augmented generation for knowledge-intensive NLP tasks"]
    # "#" dropped, "NLP"/"nlp" one tag, the run's --tag added: the same rules as CSV tags and --tag.
    # No stored tag holds a comma (#15): a braced one is two tags.
    assert rag == {
        "RAG",
        "retrieval",
        "NLP",
        "Question answering",
        "open-domain",
        "Schölkopf kernels",
        "from-zotero",
    }
    nmt = got["Neural Machine Translation by Jointly Learning to Align and Translate"]
    assert nmt == {"attention", "classics", "Thesis", "from-zotero"}
    # Tags are shared case-insensitively across papers: one "classics" tag for two papers.
    assert dict(library.all_tags())["classics"] == 2


def test_reimport_leaves_the_users_tags_alone(library: Library, tmp_path: Path) -> None:
    paper_id = add_paper(library, PaperDraft(title="Long Short-Term Memory"), stamp="2024-01-01T00:00:00Z")
    library.tag(paper_id, add=["mine"])
    import_files(library, [DATA / "zotero-tagged.bib"])
    lstm = library.get(paper_id)
    # The stored twin is enriched (authors, DOI, year) but keeps exactly the user's tags.
    assert lstm.doi == "10.1162/neco.1997.9.8.1735" and lstm.year == 1997
    assert lstm.tags == ("mine",)
    library.tag(paper_id, remove=["mine"])
    import_files(library, [DATA / "zotero-tagged.bib"])
    assert library.get(paper_id).tags == ()


def test_edge_cases_of_hand_kept_files() -> None:
    gpt, old, biblatex, pubmed, day, ligatures = drafts(DATA / "hand-kept.bib")
    assert gpt.title == "The GPT-4 Technical Report on öld Caça, Škoda ß å ł"
    # An accent command at the start of a name keeps its accent.
    assert gpt.authors == ("Jörg Müller", "Émile Zola", "Özgür Çelik")
    assert (gpt.year, gpt.date, gpt.arxiv_id, gpt.line) == (2021, "2021-01", "2303.08774", 10)
    assert (old.date, old.arxiv_id) == ("1999-03", "hep-th/9901001")
    assert (biblatex.year, biblatex.date, biblatex.arxiv_id) == (2020, "2020-05-01", "2005.00001")
    assert pubmed.arxiv_id is None
    assert day.date == "2019-06"
    # TeX ligatures are decoded whether or not the value has other LaTeX in it,
    # and a bare % is a percent sign, not a comment that eats the rest.
    assert ligatures.title == "Plain text \N{EN DASH} with a dash"
    assert ligatures.abstract == "We gain 50% more — and “quoted” text."


def test_bibtex_round_trip_keeps_every_field_it_carries(sample_library: Library, tmp_path: Path) -> None:
    extra = [
        PaperDraft(
            title="Cost of {braces}, 100% & $x$ #1 a_b ~t^c -- ``q'' ?` --- Ünïcode",
            abstract="We spend 50% & more; see https://example.org/a_b?x=1&y=2.",
            authors=("Zoë O'Brien", "Émile Zola", "Jürgen Schmidhuber"),
            year=2021,
            doi="10.1000/ABC_1",
            url="https://example.org/a_b?x=1&y=%7Bz%7D",
        ),
        PaperDraft(title="Old-style arXiv id", arxiv_id="hep-th/9901001", year=1999),
    ]
    for draft in extra:
        add_paper(sample_library, draft, stamp="2024-01-01T00:00:00Z")
    ids = sample_library.ids()
    sample_library.tag(ids[0], add=["deep learning", "NLP", "to read"])
    # No tag holds a comma any more (#15); a ";" is still braced on the way out.
    sample_library.tag(ids[1], add=["x;y", "50% & {c}", "Ünïcode-tag"])
    sample_library.tag(ids[-1], add=["physics"])

    path = tmp_path / "all.bib"
    count = exporter.export_to_file(sample_library, "bibtex", path)
    parsed = parse_file(str(path))
    assert count == 222 and len(parsed.entries) == 222 and not parsed.failed_blocks
    keywords = {str(e["keywords"]) for e in parsed.entries if "keywords" in e}
    # Zotero's shape: ", " between tags; a tag holding a separator is braced.
    assert "deep learning, NLP, to read" in keywords
    assert any("{x;y}" in k for k in keywords)
    with Library(tmp_path / "fresh.db") as fresh:
        report = import_files(fresh, [path])
        assert (report.added, report.skipped) == (222, [])

        def fields(lib: Library) -> dict[str, tuple[object, ...]]:
            return {
                p.title: (p.authors, p.year, p.arxiv_id, p.doi, p.url, p.abstract, set(p.tags))
                for p in lib.papers()
            }

        # Everything comes back as it was, the url too: none is made up for an arXiv paper (#18).
        want = fields(sample_library)
        assert fields(fresh) == want
        assert sorted(fresh.all_tags()) == sorted(sample_library.all_tags())

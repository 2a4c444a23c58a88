"""Venue and citation key from BibTeX: kept on import, given back on export, round-tripped (#15, #18)."""

from __future__ import annotations

import io
from pathlib import Path

from bibtexparser.entrypoint import parse_string

from readinglist.core import exporter
from readinglist.core.importing import import_files
from readinglist.core.store import Library

DATA = Path(__file__).parent / "data"


def _by_title(library: Library) -> dict[str, tuple[str | None, str]]:
    return {p.title: (p.venue, p.key) for p in library.papers()}


def test_bibtex_venue_and_key_are_kept(library: Library) -> None:
    import_files(library, [DATA / "venue-key.bib"])
    got = _by_title(library)
    rag = "Retrieval-Augmented Generation for Knowledge-Intensive NLP Tasks"
    assert got[rag] == ("Advances in Neural Information Processing Systems", "lewis2020rag")
    assert got["Attention Is All You Need"] == ("Journal of Imaginary Transformers", "Vaswani_Attention")
    # crossref: the child inherits its parent's booktitle
    assert got["A Workshop Paper"] == ("Proceedings of the Workshop on Analytical Engines", "child")
    # Google Scholar's "arXiv preprint" journal is no venue; the arXiv id is still read from it.
    assert got["A Preprint Cited From Scholar"] == (None, "scholar")
    # A keyless entry gets a key generated once, the way the export made keys.
    assert got["No Key At All"] == (None, "turing1950no")


def test_bibtex_export_writes_entry_type_venue_and_key(library: Library) -> None:
    import_files(library, [DATA / "venue-key.bib"])
    out = io.StringIO()
    exporter.export(library, "bibtex", out)
    parsed = parse_string(out.getvalue())
    entries = {e.key: e for e in parsed.entries}
    rag = entries["lewis2020rag"]
    assert rag.entry_type == "inproceedings"
    assert rag["booktitle"] == "Advances in Neural Information Processing Systems"
    article = entries["Vaswani_Attention"]
    assert (article.entry_type, article["journal"]) == ("article", "Journal of Imaginary Transformers")
    assert entries["turing1950no"].entry_type == "misc"
    assert "journal" not in entries["scholar"].fields_dict


def test_bibtex_round_trip_keeps_keys_and_venues(library: Library, tmp_path: Path) -> None:
    import_files(library, [DATA / "venue-key.bib"])
    before = _by_title(library)
    out = tmp_path / "out.bib"
    exporter.export_to_file(library, "bibtex", out)
    with Library(tmp_path / "again.db") as again:
        import_files(again, [out])
        assert _by_title(again) == before


def test_a_taken_key_gets_a_letter_and_a_notice(library: Library, tmp_path: Path) -> None:
    import_files(library, [DATA / "venue-key.bib"])
    other = tmp_path / "other.bib"
    other.write_text("@article{lewis2020rag,\n  title = {A Different Paper},\n  year = {1999}\n}\n")
    report = import_files(library, [other])
    assert _by_title(library)["A Different Paper"] == (None, "lewis2020raga")
    assert any("'lewis2020rag' is taken" in n for n in report.notices)


def test_enrichment_fills_venue_and_key_only_when_empty(library: Library, tmp_path: Path) -> None:
    bare = tmp_path / "bare.bib"
    bare.write_text(
        "@misc{mine,\n  title = {Attention Is All You Need},\n  doi = {10.5555/attention.2017}\n}\n"
    )
    import_files(library, [bare])
    import_files(library, [DATA / "venue-key.bib"])
    # The venue was empty: filled. The key was not: kept.
    assert _by_title(library)["Attention Is All You Need"] == ("Journal of Imaginary Transformers", "mine")

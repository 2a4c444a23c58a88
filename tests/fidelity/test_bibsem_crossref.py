"""BibTeX ``crossref``: children take what they lack from their parent, wherever it is (#18)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from readinglist.core.formats import BadEntry, bibtex
from readinglist.core.formats.bibtex_crossref import file_targets
from readinglist.core.importing import import_files
from readinglist.core.models import PaperDraft
from readinglist.core.store import Library

DATA = Path(__file__).parent / "data"
DBLP = DATA / "bibsem-dblp-crossref.bib"


def read(path: Path) -> dict[str, PaperDraft | BadEntry]:
    """What the reader gives, by title (drafts) or by reason (bad entries)."""
    out: dict[str, PaperDraft | BadEntry] = {}
    for item in bibtex.read(path):
        out[item.title if isinstance(item, PaperDraft) else item.reason] = item
    return out


def draft(items: dict[str, PaperDraft | BadEntry], title: str) -> PaperDraft:
    item = items[title]
    assert isinstance(item, PaperDraft)
    return item


def test_children_inherit_year_and_date_from_a_parent_after_them() -> None:
    items = read(DBLP)
    # DBLP puts the @proceedings after its papers; the year is only there.
    attention = draft(items, "Attention is All you Need")
    shap = draft(items, "A Unified Approach to Interpreting Model Predictions")
    assert (attention.year, shap.year) == (2017, 2017)
    # The month comes with the year (crossref key matched case-insensitively, as BibTeX does).
    adam = draft(items, "Adam: A Method for Stochastic Optimization")
    assert (adam.year, adam.date, adam.arxiv_id) == (2015, "2015-05", "1412.6980")


def test_children_keep_their_own_identity() -> None:
    items = read(DBLP)
    attention = draft(items, "Attention is All you Need")
    shap = draft(items, "A Unified Approach to Interpreting Model Predictions")
    # The proceedings' DOI and URL name the volume, not the paper: not inherited,
    # or every paper of a conference would look like one.
    assert attention.doi is None and shap.doi is None and shap.url is None
    assert attention.url is not None and attention.url.startswith(
        "https://proceedings.neurips.cc/paper/2017/hash/"
    )
    assert attention.authors[0] == "Ashish Vaswani" and shap.authors == ("Scott M. Lundberg", "Su-In Lee")


def test_a_child_without_a_title_takes_its_parents() -> None:
    items = read(DBLP)
    chapter = [d for d in items.values() if isinstance(d, PaperDraft) and d.line == 84]
    assert len(chapter) == 1
    assert chapter[0].title == "The Art of Computer Programming, Volume 1: Fundamental Algorithms"
    assert (chapter[0].authors, chapter[0].year, chapter[0].doi) == (("Donald E. Knuth",), 1997, None)


def test_parents_are_papers_too_and_nothing_is_lost_or_doubled() -> None:
    items = list(bibtex.read(DBLP))
    assert all(isinstance(i, PaperDraft) for i in items)
    # 7 entries in the file, 7 drafts, each at its own line (children after the parent they waited for).
    assert sorted(i.line for i in items) == [1, 22, 33, 52, 64, 75, 84]


def test_a_childs_own_date_is_never_mixed_with_its_parents(tmp_path: Path) -> None:
    path = tmp_path / "mixed.bib"
    path.write_text(
        "@inproceedings{child, title = {Child}, year = {2019}, crossref = {parent}}\n"
        "@inproceedings{dated, title = {Dated}, date = {2018-11-02}, crossref = {parent}}\n"
        "@proceedings{parent, title = {Parent}, year = {2020}, month = mar, editor = {Ed Itor}}\n",
        encoding="utf-8",
    )
    items = read(path)
    assert (draft(items, "Child").year, draft(items, "Child").date) == (2019, None)
    assert (draft(items, "Dated").year, draft(items, "Dated").date) == (2018, "2018-11-02")


def test_chains_loops_and_missing_parents(tmp_path: Path) -> None:
    path = tmp_path / "chain.bib"
    path.write_text(
        "@inbook{ch, pages = {1--2}, crossref = {book}}\n"
        "@book{book, title = {The Book}, crossref = {series}}\n"
        "@mvbook{series, title = {The Series}, year = {1999}}\n"
        "@misc{a, title = {Loop A}, crossref = {b}}\n"
        "@misc{b, title = {Loop B}, crossref = {a}}\n"
        "@inproceedings{orphan, author = {Jane Doe}, crossref = {Conf/Missing/2020}}\n",
        encoding="utf-8",
    )
    items = read(path)
    # Through two links: the chapter gets the book's title and the series' year.
    chapters = [d for d in items.values() if isinstance(d, PaperDraft) and d.line == 1]
    assert [(c.title, c.year) for c in chapters] == [("The Book", 1999)]
    assert draft(items, "Loop A").title == "Loop A" and draft(items, "Loop B").title == "Loop B"
    bad = [i for i in items.values() if isinstance(i, BadEntry)]
    assert [(b.line, b.reason) for b in bad] == [
        (6, "entry 'orphan' has no title (its crossref 'Conf/Missing/2020' is not in the file)")
    ]


def test_children_wait_across_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bibtex, "CHUNK_ENTRIES", 2)
    path = tmp_path / "many.bib"
    children = "".join(
        f"@inproceedings{{c{n}, title = {{Paper {n}}}, crossref = {{conf}}}}\n" for n in range(7)
    )
    path.write_text(children + "@proceedings{conf, title = {Conf}, year = {2021}}\n", encoding="utf-8")
    items = list(bibtex.read(path))
    years = {i.title: i.year for i in items if isinstance(i, PaperDraft)}
    assert years == {**{f"Paper {n}": 2021 for n in range(7)}, "Conf": 2021}


def test_the_pre_pass_reads_any_encoding(tmp_path: Path) -> None:
    text = '@misc{x, title = {Ünï}, crossref = "Parent:Key"}\n@misc{parent:key, title={P}}\n'
    for encoding in ("utf-8", "utf-16", "latin-1"):
        path = tmp_path / f"{encoding}.bib"
        path.write_text(text, encoding=encoding)
        assert file_targets(path) == frozenset({"parent:key"})
    assert file_targets(tmp_path / "absent.bib") == frozenset()


def test_import_through_the_cli_gives_children_their_year(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    result = subprocess.run(
        [sys.executable, "-m", "readinglist", "--db", str(db), "import", str(DBLP)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    with Library(db) as lib:
        years = {p.title: p.year for p in lib.papers()}
    assert years["Attention is All you Need"] == 2017
    assert years["A Unified Approach to Interpreting Model Predictions"] == 2017
    assert years["Adam: A Method for Stochastic Optimization"] == 2015
    assert None not in years.values()


def test_without_crossref_the_reader_gives_what_it_gave(tmp_path: Path) -> None:
    # A differential check: the same entries without crossref fields read the
    # same as before (own fields only), so files that do not use it are unchanged.
    plain = tmp_path / "plain.bib"
    plain.write_text(DBLP.read_text(encoding="utf-8").replace("crossref", "xnote"), encoding="utf-8")
    items = list(bibtex.read(plain))
    shap = [i for i in items if isinstance(i, PaperDraft) and i.title.startswith("A Unified")]
    assert shap[0].year is None
    untitled = [i for i in items if isinstance(i, BadEntry)]
    assert [u.reason for u in untitled] == ["entry 'knuth1997ch2' has no title"]


def test_library_import_of_crossref_file(library: Library) -> None:
    report = import_files(library, [DBLP])
    assert report.skipped == []
    assert all(p.year for p in library.papers())


def test_the_pre_pass_finds_keys_cut_by_its_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from readinglist.core.formats import bibtex_crossref

    monkeypatch.setattr(bibtex_crossref, "_BLOCK", 7)
    monkeypatch.setattr(bibtex_crossref, "_OVERLAP", 40)
    path = tmp_path / "cut.bib"
    path.write_bytes(
        b"@misc{x, title={T},\n  crossref = {DBLP:conf/nips/2017}}\n@misc{y, crossref={Other}}\n"
    )
    assert {"dblp:conf/nips/2017", "other"} <= file_targets(path)

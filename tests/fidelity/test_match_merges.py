"""No silent merges (#18 §1): papers that share a title but not their identity are kept apart.

Through the real command line, on BibTeX shaped as Zotero, JabRef and Google
Scholar write it; the library file is read back to count papers and check fields.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.reliability.input_cli import cli, err, out

DATA = Path(__file__).parent / "data"
SAME_TITLES = DATA / "match_same_titles.bib"
TWINS = DATA / "match_twins.bib"
SHARED_EPRINT = DATA / "match_shared_eprint.bib"


def papers(db: Path) -> list[dict[str, object]]:
    """Every paper of the library, in id order, read straight from the file."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute("SELECT id, title, year, date, doi, arxiv_id, authors FROM papers ORDER BY id")
        return [dict(r) for r in rows]
    finally:
        conn.close()


def kept_apart(text: str) -> list[str]:
    return [line for line in text.splitlines() if "so it is a different paper from" in line]


def test_same_title_different_works_all_import(tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    result = cli(db, "import", SAME_TITLES)
    assert result.returncode == 0, err(result)
    assert out(result) == "7 added, 0 already in the library\n"
    stored = papers(db)
    assert [(p["title"], p["year"]) for p in stored] == [
        ("A Survey of Augmented Reality", 2015),
        ("A Survey of Augmented Reality", 1997),
        ("Counterfactuals", 1973),
        ("Counterfactuals", 1986),
        ("Introduction", 2004),
        ("Introduction", 2012),
        ("Introduction", 2019),
    ]
    assert [p["doi"] for p in stored[:2]] == ["10.1561/1100000049", "10.1162/pres.1997.6.4.355"]
    # Each one kept apart is reported once, with the reason, the way near-duplicates are.
    lines = kept_apart(err(result))
    assert len(lines) == 4, err(result)
    assert lines[0] == (
        f"readinglist: {SAME_TITLES}:14: title 'A Survey of Augmented Reality' matches but its DOI is "
        "10.1162/pres.1997.6.4.355, not 10.1561/1100000049, so it is a different paper from 1 "
        "'A Survey of Augmented Reality'; kept both"
    )
    assert lines[1] == (
        f"readinglist: {SAME_TITLES}:33: title 'Counterfactuals' matches but it is from 1986, not 1973, "
        "by another first author, so it is a different paper from 3 'Counterfactuals'; kept both"
    )
    assert "is nearly the same" not in err(result)  # not reported a second time


def test_importing_again_finds_each_one(tmp_path: Path) -> None:
    # Two stored papers called "Introduction": the third import of each finds its own.
    db = tmp_path / "library.db"
    assert cli(db, "import", SAME_TITLES).returncode == 0
    before = papers(db)
    again = cli(db, "import", SAME_TITLES)
    assert (again.returncode, out(again)) == (0, "0 added, 7 already in the library\n"), err(again)
    assert err(again) == ""
    assert papers(db) == before


def test_the_same_work_from_two_tools_still_merges(tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    result = cli(db, "import", TWINS)
    assert result.returncode == 0, err(result)
    # A preprint and its proceedings (a year apart), a reprint by the same author decades later.
    assert out(result) == "3 added, 3 already in the library, 2 enriched\n"
    assert kept_apart(err(result)) == []
    stored = {p["title"]: p for p in papers(db)}
    attention = stored["Attention Is All You Need"]
    assert (attention["year"], attention["date"], attention["arxiv_id"]) == (2017, "2017-06-12", "1706.03762")
    resnet = stored["Deep Residual Learning for Image Recognition"]
    assert (resnet["year"], resnet["doi"], resnet["arxiv_id"]) == (2015, "10.1109/cvpr.2016.90", "1512.03385")


def test_a_shared_wrong_eprint_does_not_fold_papers(tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    result = cli(db, "import", SHARED_EPRINT)
    assert result.returncode == 0, err(result)
    # Sentence-BERT carries BERT's eprint but its own DOI: kept, and reported. BERT's
    # preprint (arXiv's own DOI) is the same work as the proceedings paper.
    assert out(result) == "2 added, 1 already in the library\n"
    assert [str(p["title"])[:13] for p in papers(db)] == ["BERT: Pre-tra", "Sentence-BERT"]
    assert kept_apart(err(result)) == [
        f"readinglist: {SHARED_EPRINT}:14: arXiv id 1810.04805 matches but its DOI is 10.18653/v1/d19-1410, "
        "not 10.18653/v1/n19-1423, so it is a different paper from 1 'BERT: Pre-training of Deep "
        "Bidirectional Transformers for Language Understanding'; kept both"
    ]


def test_across_imports_a_conflicting_doi_keeps_both(tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    first, second = tmp_path / "zotero.bib", tmp_path / "jabref.bib"
    # Only the 2015 survey goes in first.
    first.write_text(SAME_TITLES.read_text(encoding="utf-8").split("@article{azuma")[0], encoding="utf-8")
    azuma = (
        "@article{azuma,\n  title = {A survey of augmented reality},\n  doi = {10.1162/pres.1997.6.4.355}\n}"
    )
    second.write_text(azuma, encoding="utf-8")
    assert cli(db, "import", first).returncode == 0
    result = cli(db, "import", second)
    assert (result.returncode, out(result)) == (0, "1 added, 0 already in the library\n"), err(result)
    assert len(kept_apart(err(result))) == 1
    assert len(papers(db)) == 2


def test_enrichment_never_contradicts_a_date(tmp_path: Path) -> None:
    # A paper with a date and no year, matched by title and first author to an older
    # printing: its year is not filled from the other one.
    db = tmp_path / "library.db"
    stored = tmp_path / "stored.json"
    stored.write_text(
        json.dumps(
            [{"title": "Structure and Interpretation", "authors": ["Abelson, Harold"], "date": "2015-03"}]
        ),
        encoding="utf-8",
    )
    other = tmp_path / "other.bib"
    other.write_text(
        "@book{abelson,\n  title = {Structure and Interpretation},\n  author = {Abelson, Harold},\n"
        "  year = {1997},\n  doi = {10.7551/mitpress/6515.001.0001}\n}\n",
        encoding="utf-8",
    )
    assert cli(db, "import", stored).returncode == 0
    result = cli(db, "import", other)
    assert (result.returncode, out(result)) == (0, "0 added, 1 already in the library, 1 enriched\n"), err(
        result
    )
    (paper,) = papers(db)
    assert (paper["year"], paper["date"], paper["doi"]) == (None, "2015-03", "10.7551/mitpress/6515.001.0001")


def test_enrichment_never_gives_a_year_another_date(tmp_path: Path) -> None:
    # The other way round: a paper with a year gets no date from another year.
    db = tmp_path / "library.db"
    stored = tmp_path / "stored.bib"
    stored.write_text(
        "@book{abelson,\n  title = {Structure and Interpretation},\n  author = {Abelson, Harold},\n"
        "  year = {2015}\n}\n",
        encoding="utf-8",
    )
    other = tmp_path / "other.json"
    paper = {"title": "Structure and Interpretation", "authors": ["Harold Abelson"], "date": "1997-05-01"}
    other.write_text(json.dumps([{**paper, "abstract": "A classic."}]), encoding="utf-8")
    assert cli(db, "import", stored).returncode == 0
    result = cli(db, "import", other)
    assert out(result) == "0 added, 1 already in the library, 1 enriched\n", err(result)
    (stored_paper,) = papers(db)
    assert (stored_paper["year"], stored_paper["date"]) == (2015, None)

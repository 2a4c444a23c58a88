"""arXiv feeds as arXiv writes them (#18 §5): its error feed is an error, an empty feed says so."""

from __future__ import annotations

from pathlib import Path

from tests.reliability.input_cli import cli, dump, err, one_line, out

DATA = Path(__file__).parent / "data"
MESSAGE = "arXiv API error: incorrect id format for 2401.999999"


def start(tmp_path: Path) -> Path:
    db = tmp_path / "library.db"
    first = tmp_path / "start.bib"
    first.write_text("@article{x,\n  title = {Already here}\n}\n", encoding="utf-8")
    assert cli(db, "import", first).returncode == 0
    return db


def test_the_error_feed_is_an_error(tmp_path: Path) -> None:
    db = start(tmp_path)
    path = DATA / "match_arxiv_error.xml"
    before = dump(db)
    result = cli(db, "import", path)
    assert result.returncode == 1
    assert one_line(err(result)) == f"readinglist: {path}: {MESSAGE}"
    assert out(result) == ""
    assert dump(db) == before


def test_an_empty_feed_says_so(tmp_path: Path) -> None:
    db = start(tmp_path)
    path = DATA / "match_arxiv_empty.xml"
    before = dump(db)
    result = cli(db, "import", path)
    # Like an empty file of any format: a one-line message and exit status 1.
    assert result.returncode == 1
    assert one_line(err(result)) == f"readinglist: {path}: no papers in this feed"
    assert dump(db) == before


def test_the_error_feed_with_other_files_under_skip_bad(tmp_path: Path) -> None:
    db = start(tmp_path)
    good = tmp_path / "good.bib"
    good.write_text("@article{g,\n  title = {A good paper}\n}\n", encoding="utf-8")
    path = DATA / "match_arxiv_error.xml"
    result = cli(db, "import", "--skip-bad", good, path)
    assert result.returncode == 0, err(result)
    assert err(result) == f"readinglist: skipped {path}: {MESSAGE}\n"
    assert out(result) == "1 added, 0 already in the library, 1 skipped\n"

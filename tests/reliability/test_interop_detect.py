"""A known extension decides the format unless the content clearly contradicts it, said in a notice (#12)."""

from __future__ import annotations

from pathlib import Path

from readinglist.core.formats import detect
from readinglist.core.store import Library

from .interop_cli import run_cli

DATA = Path(__file__).parent.parent / "data"


def copy(src: Path, dest: Path) -> Path:
    dest.write_bytes(src.read_bytes())
    return dest


def test_matching_extension_and_content_say_nothing() -> None:
    for name, fmt in (("zotero.bib", "bibtex"), ("papers.csv", "csv"), ("arxiv-api.xml", "arxiv-atom")):
        assert (detect(DATA / name)[0].name, detect(DATA / name)[1]) == (fmt, None)


def test_a_csv_whose_note_quotes_bibtex_stays_csv(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text('title,notes\nA paper,"see\n@article{x,\n  title={Y}\n}"\n', encoding="utf-8")
    fmt, notice = detect(path)
    assert (fmt.name, notice) == ("csv", None)


def test_content_that_contradicts_the_extension_wins_with_a_notice(tmp_path: Path, db_path: Path) -> None:
    path = copy(DATA / "zotero.bib", tmp_path / "refs.csv")
    fmt, notice = detect(path)
    assert fmt.name == "bibtex"
    assert notice == (
        f"{path}: named .csv but the content looks like BibTeX (.bib) from Zotero, JabRef, Google Scholar "
        "or arXiv; reading it as bibtex (--format csv forces the other)"
    )
    result = run_cli("import", path, db=db_path)
    assert (result.returncode, result.stdout) == (0, "3 added, 0 already in the library\n")
    assert result.stderr == f"readinglist: {notice}\n"


def test_a_json_named_bib_is_read_as_json(tmp_path: Path) -> None:
    path = tmp_path / "export.bib"
    path.write_text('{"format": "readinglist", "version": 1, "papers": [\n]}\n', encoding="utf-8")
    fmt, notice = detect(path)
    assert fmt.name == "json" and notice is not None and "named .bib" in notice


def test_unrecognised_content_leaves_the_named_format_to_explain(tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_text("nothing that looks like any format\n", encoding="utf-8")
    assert detect(path) == (detect(DATA / "zotero.bib")[0], None)
    result = run_cli("import", path, db=db_path)
    assert (result.returncode, result.stderr) == (1, f"readinglist: {path}:1: no BibTeX entries found\n")
    with Library(db_path) as lib:
        assert lib.count() == 0

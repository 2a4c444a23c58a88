"""``readinglist edit``: --set and the TOML document in a real (scripted) editor, against a library file."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from readinglist.cli import main
from readinglist.core.store import Library
from tests.curate_support import ScriptedEditor, dump, fill


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "lib.db"
    with Library(path) as lib:
        fill(lib)
    return path


@pytest.fixture
def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ScriptedEditor:
    return ScriptedEditor(tmp_path / "editor", monkeypatch)


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_set_changes_fields(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys,
        db,
        "edit",
        "2",
        "--set",
        "venue=NeurIPS 2017",
        "--set",
        "year=2018",
        "--set",
        "authors=A B; C D",
    )
    assert code == 0 and "edited paper 2" in err
    with Library(db) as lib:
        paper = lib.get(2)
    assert (paper.venue, paper.year, paper.authors) == ("NeurIPS 2017", 2018, ("A B", "C D"))


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("year=20x4", "year '20x4' is not a year"),
        ("doi=not-a-doi", "doi 'not-a-doi' is not a DOI"),
        ("title=", "title cannot be empty"),
        ("colour=red", "unknown field 'colour'"),
        ("key=lewis2020rag", "key 'lewis2020rag' is another paper's"),
        ("key=a b", "key 'a b' holds a space"),
    ],
)
def test_a_bad_value_changes_nothing(
    db: Path, capsys: pytest.CaptureFixture[str], setting: str, message: str
) -> None:
    before = dump(db)
    code, _, err = run(capsys, db, "edit", "2", "--set", setting)
    assert code == 1
    assert err.startswith("readinglist: ") and message in err and err.count("\n") == 1
    assert dump(db) == before


def test_the_editor_edits_the_toml_document(
    db: Path, editor: ScriptedEditor, capsys: pytest.CaptureFixture[str]
) -> None:
    editor.plan(
        [
            ('title = "Attention Is All You Need"', 'title = "Attention, Revisited"'),
            ('venue = ""', 'venue = "NIPS"'),
        ]
    )
    code, _, err = run(capsys, db, "edit", "2")
    assert code == 0, err
    (shown,) = editor.seen()
    assert "year = 2017\n" in shown and 'authors = [\n  "Ashish Vaswani",\n]' in shown
    with Library(db) as lib:
        paper = lib.get(2)
    assert (paper.title, paper.venue) == ("Attention, Revisited", "NIPS")
    assert lib_title_key(db, 2) == "attention revisited"


def lib_title_key(db: Path, paper_id: int) -> str:
    with Library(db) as lib:
        return str(lib.conn.execute("SELECT title_key FROM papers WHERE id = ?", [paper_id]).fetchone()[0])


def test_a_bad_value_reopens_the_editor_with_the_error_on_top(
    db: Path, editor: ScriptedEditor, capsys: pytest.CaptureFixture[str]
) -> None:
    editor.plan([("year = 2017", 'year = "20x4"')], [('year = "20x4"', "year = 2024")])
    code, _, _ = run(capsys, db, "edit", "2")
    assert code == 0
    _, second = editor.seen()
    assert second.startswith("# ERROR: year '20x4' is not a year\n")
    assert 'year = "20x4"' in second  # the user's text is kept below the error
    with Library(db) as lib:
        assert lib.get(2).year == 2024


def test_quitting_without_saving_changes_nothing(
    db: Path, editor: ScriptedEditor, capsys: pytest.CaptureFixture[str]
) -> None:
    before = dump(db)
    editor.plan(None)
    code, _, err = run(capsys, db, "edit", "2")
    assert (code, err) == (0, "readinglist: paper 2 unchanged\n")
    # Also after an error: the second opening is left as it was.
    editor.plan([('doi = ""', 'doi = "nope"')], None)
    code, _, err = run(capsys, db, "edit", "2")
    assert (code, err, editor.left()) == (0, "readinglist: paper 2 unchanged\n", 0)
    assert dump(db) == before


def test_an_editor_that_fails_changes_nothing_and_says_the_paper_is_unchanged(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "failing.py"
    # It writes, then fails: what it wrote is not read.
    script.write_text("import sys\nopen(sys.argv[-1], 'a').write('x = 1')\nsys.exit(3)\n", encoding="utf-8")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    before = dump(db)
    code, _, err = run(capsys, db, "edit", "2")
    assert code == 1 and err.count("\n") == 1
    assert err.startswith("readinglist: editor ") and err.endswith("exited with status 3; paper unchanged\n")
    assert dump(db) == before


def test_an_abstract_round_trips_through_the_document(
    db: Path, editor: ScriptedEditor, capsys: pytest.CaptureFixture[str]
) -> None:
    editor.plan([("Transformers.", "Two lines:\nsee https://example.org/code and 'quotes'.")])
    assert run(capsys, db, "edit", "2")[0] == 0
    with Library(db) as lib:
        paper = lib.get(2)
    assert paper.abstract == "Two lines:\nsee https://example.org/code and 'quotes'."
    assert paper.links == ("https://example.org/code",)


def user_data(db: Path) -> list[str]:
    """The library's user data as SQL (the history and the search indexes left out)."""
    tables = ("papers", "tags", "paper_tags", "saved_views")
    return [line for line in dump(db) if any(f'INSERT INTO "{t}"' in line for t in tables)]


def test_a_key_generated_by_edit_is_undone_and_redone_with_it(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = user_data(db)
    code, _, err = run(capsys, db, "edit", "1", "--set", "key=")
    assert code == 0, err
    with Library(db) as lib:
        assert lib.get(1).key == "lewis2020retrieval"  # generated, as the BibTeX export makes them
    after = user_data(db)
    code, out, err = run(capsys, db, "undo")
    assert (code, out) == (0, 'undid: edited "Retrieval-Augmented Generation"\n'), err
    assert user_data(db) == before
    code, out, err = run(capsys, db, "redo")
    assert (code, out) == (0, 'redid: edited "Retrieval-Augmented Generation"\n'), err
    assert user_data(db) == after

"""Saved views travel with a whole-library JSON export and come back with its import (issue #15)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readinglist.cli import main
from readinglist.core.store import Library
from tests.curate_support import dump, fill

VIEWS: list[dict[str, str | None]] = [
    {"name": "Old RAG", "query": "year:<2021", "view": "all", "tag": "rag"},
    {"name": "starred nlp", "query": "", "view": "starred", "tag": "nlp"},
    {"name": "close to rl", "query": "like: reinforcement learning", "view": "all", "tag": None},
]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "lib.db"
    with Library(path) as lib:
        fill(lib)
    for view in VIEWS:
        name, query, where, tag = (view[k] or "" for k in ("name", "query", "view", "tag"))
        args = ["views", "save", name, "--query", query, "--view", where, *(["--tag", tag] if tag else [])]
        assert main(["--db", str(path), *args]) == 0
    return path


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def views_of(capsys: pytest.CaptureFixture[str], db: Path) -> list[dict[str, object]]:
    code, out, _ = run(capsys, db, "views", "list", "--json")
    assert code == 0
    rows: list[dict[str, object]] = json.loads(out)
    return rows


def export(capsys: pytest.CaptureFixture[str], db: Path, target: Path, *args: str) -> Path:
    code, _, err = run(capsys, db, "export", "--format", "json", "-o", str(target), *args)
    assert code == 0, err
    return target


def papers_of(capsys: pytest.CaptureFixture[str], db: Path) -> list[dict[str, object]]:
    out = json.loads(run(capsys, db, "list", "--json")[1])
    return sorted(out, key=lambda p: p["id"])


def test_round_trip_through_the_cli(tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert views_of(capsys, db) == VIEWS
    path = export(capsys, db, tmp_path / "all.json")
    first = path.read_text(encoding="utf-8").splitlines()[0]
    # The views ride on the header line, before the papers: a reader that only knows
    # format, version and papers (every earlier readinglist) reads the file as before.
    header = json.loads(first + "]}")
    assert header == {"format": "readinglist", "version": 1, "views": VIEWS, "papers": []}
    assert len(json.loads(path.read_text())["papers"]) == 4

    other = tmp_path / "other.db"
    code, out, err = run(capsys, other, "import", str(path))
    assert code == 0 and out == "4 added, 0 already in the library\n"
    assert err == "readinglist: added 3 saved views: Old RAG, starred nlp, close to rl\n"
    assert views_of(capsys, other) == VIEWS
    assert papers_of(capsys, other) == papers_of(capsys, db)
    # The imported view works like the one saved here.
    assert (
        run(capsys, other, "list", "--view", "old rag")[1] == run(capsys, db, "list", "--view", "Old RAG")[1]
    )


def test_a_name_in_use_keeps_the_library_view(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = export(capsys, db, tmp_path / "all.json")
    other = tmp_path / "other.db"
    with Library(other):
        pass  # an empty library: commands other than import want one that exists
    assert run(capsys, other, "views", "save", "OLD rag", "--query", "mine")[0] == 0
    code, _, err = run(capsys, other, "import", str(path))
    assert code == 0
    assert err.splitlines() == [
        "readinglist: added 2 saved views: starred nlp, close to rl",
        """readinglist: a saved view is already called "OLD rag": kept the library's, not the file's""",
    ]
    assert views_of(capsys, other)[0] == {"name": "OLD rag", "query": "mine", "view": "all", "tag": None}
    # Importing the same export again changes nothing and says so.
    before = views_of(capsys, other), papers_of(capsys, other)
    code, out, err = run(capsys, other, "import", str(path))
    assert code == 0 and out == "0 added, 4 already in the library\n"
    assert err.count("kept the library's") == 3 and "added" not in err
    assert (views_of(capsys, other), papers_of(capsys, other)) == before


def test_undo_of_the_import_takes_its_views_away(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = export(capsys, db, tmp_path / "all.json")
    other = tmp_path / "other.db"
    assert run(capsys, other, "import", str(path))[0] == 0
    assert run(capsys, other, "undo")[0] == 0
    assert views_of(capsys, other) == [] and papers_of(capsys, other) == []


def test_a_selection_leaves_the_views_out(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for args in (("--query", "tag:rag"), ("--view", "starred"), ("--view", "Old RAG")):
        data = json.loads(export(capsys, db, tmp_path / "part.json", *args).read_text())
        assert "views" not in data and set(data) == {"format", "version", "papers"}, args


def test_a_reformatted_export_keeps_its_views(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(export(capsys, db, tmp_path / "all.json").read_text())
    # As `jq -S .` would write it: keys sorted (papers before views), indented.
    pretty = tmp_path / "pretty.json"
    pretty.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
    other = tmp_path / "other.db"
    assert run(capsys, other, "import", str(pretty))[0] == 0
    assert views_of(capsys, other) == VIEWS


def test_an_export_without_views_imports_as_before(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = export(capsys, db, tmp_path / "all.json")
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = '{"format": "readinglist", "version": 1, "papers": ['  # what earlier versions wrote
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    other = tmp_path / "other.db"
    code, out, err = run(capsys, other, "import", str(path))
    assert (code, out, err) == (0, "4 added, 0 already in the library\n", "")
    assert views_of(capsys, other) == []


@pytest.mark.parametrize(
    ("views", "message"),
    [
        ('"nope"', "views must be a list, not str"),
        ('[{"name": "x", "view": "later"}]', "saved view \"x\": unknown view 'later'"),
        ('[{"name": "starred"}]', '"starred" is a built-in view; choose another name'),
        ('[{"query": "a"}]', "a saved view needs a name"),
    ],
)
def test_a_bad_view_stops_the_import(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str], views: str, message: str
) -> None:
    path = export(capsys, db, tmp_path / "all.json")
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = '{"format": "readinglist", "version": 1, "views": ' + views + ', "papers": ['
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    other = tmp_path / "other.db"
    with Library(other):
        pass
    before = dump(other)
    code, out, err = run(capsys, other, "import", str(path))
    assert (code, out, err) == (1, "", f"readinglist: {path}:1: {message}\n")
    assert dump(other) == before
    # --skip-bad leaves the bad view out and imports the rest.
    code, out, err = run(capsys, other, "import", "--skip-bad", str(path))
    assert code == 0 and out == "4 added, 0 already in the library, 1 skipped\n"
    assert f"readinglist: skipped {path}:1: {message}" in err.splitlines()

"""Saved searches through the command line: views save/list/rename/delete, list and export --view NAME."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from readinglist.cli import main
from readinglist.core.sample import sample_path


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "library.db"
    assert run(capsys, path, "import", str(sample_path()))[0] == 0
    for paper in ("3", "5", "8"):
        run(capsys, path, "tag", paper, "+rag")
    run(capsys, path, "star", "5")
    return path


def stored(db: Path) -> list[tuple[str, str, str, str | None]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT name, query, view, tag FROM saved_views ORDER BY id").fetchall()
    finally:
        conn.close()


def test_save_list_rename_delete_and_undo(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, db, "views", "save", "starred rag", "--view", "starred", "--tag", "rag")[1] == (
        "saved: starred rag\n"
    )
    assert run(capsys, db, "views", "save", "Surveys", "--query", "survey")[0] == 0
    assert stored(db) == [("starred rag", "", "starred", "rag"), ("Surveys", "survey", "all", None)]
    out = run(capsys, db, "views")[1]
    assert out == 'starred rag  (starred #rag)\nSurveys  (all)  "survey"\n'
    assert json.loads(run(capsys, db, "views", "--json")[1])[1] == {
        "name": "Surveys",
        "query": "survey",
        "view": "all",
        "tag": None,
    }
    assert run(capsys, db, "views", "rename", "surveys", "Reviews")[0] == 0
    assert run(capsys, db, "views", "delete", "STARRED RAG")[0] == 0
    assert stored(db) == [("Reviews", "survey", "all", None)]
    out = run(capsys, db, "undo", "2")[1]
    assert out == 'undid: deleted the view "starred rag"\nundid: renamed the view "Surveys" to "Reviews"\n'
    assert stored(db) == [("starred rag", "", "starred", "rag"), ("Surveys", "survey", "all", None)]


def test_list_and_export_take_a_saved_view(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, db, "views", "save", "starred rag", "--view", "starred", "--tag", "rag")
    run(capsys, db, "views", "save", "rag search", "--query", "tag:rag forgetting")
    out = run(capsys, db, "list", "--view", "starred rag", "--json")[1]
    assert [p["id"] for p in json.loads(out)] == [5]
    out = run(capsys, db, "list", "--view", "rag search", "--json")[1]
    assert [p["id"] for p in json.loads(out)] == [3]
    code, out, _ = run(capsys, db, "export", "--view", "starred rag", "--format", "json")
    assert code == 0 and [p["id"] for p in json.loads(out)["papers"]] == [5]
    # Built-in views still work, and an unknown one says which there are.
    assert run(capsys, db, "list", "--view", "starred", "--json")[0] == 0
    code, _, err = run(capsys, db, "list", "--view", "nope")
    assert code == 1
    assert err == (
        'readinglist: no view called "nope": the views are all, queue, starred, unread, read '
        "(saved views: starred rag, rag search)\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["views", "save", "starred"], '"starred" is a built-in view; choose another name'),
        (["views", "save", "   "], "a saved view needs a name"),
        (["views", "save", "x" * 61], "a view name has at most 60 characters (61 given)"),
        (["views", "delete", "gone"], 'no saved view called "gone" (saved views: mine)'),
        (["views", "save", "MINE"], 'a saved view is already called "mine"'),
        (["views", "rename", "mine"], "usage: readinglist views rename OLD NEW"),
    ],
)
def test_bad_names_are_one_line_errors_and_change_nothing(
    db: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    run(capsys, db, "views", "save", "mine", "--query", "x")
    code, _, err = run(capsys, db, *args)
    assert code == 1 and err == f"readinglist: {message}\n"
    assert stored(db) == [("mine", "x", "all", None)]


def test_saved_views_travel_with_a_backup(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, db, "views", "save", "starred rag", "--view", "starred", "--tag", "rag")
    copy = tmp_path / "copy.db"
    assert run(capsys, db, "backup", str(copy))[0] == 0
    assert run(capsys, db, "views", "delete", "starred rag")[0] == 0
    assert stored(db) == []
    assert stored(copy) == [("starred rag", "", "starred", "rag")]
    code, _, err = run(capsys, db, "restore", str(copy))
    assert code == 0, err
    assert stored(db) == [("starred rag", "", "starred", "rag")]
    assert [p["id"] for p in json.loads(run(capsys, db, "list", "--view", "starred rag", "--json")[1])] == [5]

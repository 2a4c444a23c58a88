"""``readinglist tags``: the tree with counts, rename, merge, delete; ``tag:ml`` finds ``ml/rl``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readinglist.cli import main
from readinglist.core.search import SearchEngine
from readinglist.core.store import Library
from tests.curate_support import dump, fill


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "lib.db"
    with Library(path) as lib:
        fill(lib)  # 1 (rag, nlp), 2 (nlp), 3 (ml/rl), 4 (rag, survey)
        lib.tag(2, ["ml/nlp", "machine learning"])
    return path


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_tags_lists_a_tree_with_counts(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, db, "tags")
    assert code == 0
    assert out.splitlines() == [
        '     1  "machine learning"',
        "     0  ml",
        "     1    nlp",
        "     1    rl",
        "     2  nlp",
        "     2  rag",
        "     1  survey",
    ]
    rows = json.loads(run(capsys, db, "tags", "--json")[1])
    assert {"name": "ml/rl", "count": 1, "parent": "ml"} in rows
    assert {"name": "rag", "count": 2, "parent": None} in rows


def test_a_parent_tag_finds_its_children(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, db, "search", "tag:ml")[1]
    assert sorted(line.split()[0] for line in out.splitlines()) == ["2", "3"]
    out = run(capsys, db, "list", "--tag", "ml")[1]
    assert sorted(line.split()[0] for line in out.splitlines()) == ["2", "3"]
    # ml/rl alone finds only its own paper.
    assert [line.split()[0] for line in run(capsys, db, "search", "tag:ml/rl")[1].splitlines()] == ["3"]


def test_rename_takes_the_children_along(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, db, "tags", "rename", "ml", "learning")
    assert code == 0 and "2 papers" in out
    with Library(db) as lib:
        assert lib.get(3).tags == ("learning/rl",)
        assert "learning/nlp" in lib.get(2).tags
        # Search sees the new names.
        assert sorted(h.paper_id for h in SearchEngine(lib).search("learning").hits) == [2, 3]


def test_rename_into_an_existing_tag_merges(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, db, "tags", "rename", "survey", "rag")[0] == 0
    with Library(db) as lib:
        assert lib.get(4).tags == ("rag",)
        assert [t for t, _ in lib.all_tags()].count("rag") == 1


def test_merge_and_delete(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, db, "tags", "merge", "survey", "nlp", "reading")
    assert code == 0 and "3 papers" in out
    assert run(capsys, db, "tags", "delete", "rag")[0] == 0
    with Library(db) as lib:
        assert [lib.get(i).tags for i in (1, 4)] == [("reading",), ("reading",)]
        assert "rag" not in [t for t, _ in lib.all_tags()]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("rename", "nope", "x"), "no tag 'nope'"),
        (("rename", "rag", "a,b"), "holds a comma"),
        (("merge", "rag", "x/"), "empty level"),
        (("delete", "nope"), "no tag 'nope'"),
    ],
)
def test_bad_tag_changes_change_nothing(
    db: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    before = dump(db)
    code, _, err = run(capsys, db, "tags", *args)
    assert code == 1 and message in err and err.count("\n") == 1
    assert dump(db) == before


def test_list_quotes_a_tag_with_a_space(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, db, "list", "--tag", "machine learning")[1]
    assert out.rstrip().endswith('#"machine learning" #ml/nlp #nlp')


def test_a_tag_with_a_comma_from_an_older_version_can_be_renamed(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Library(db) as lib, lib.write() as sql:
        sql.execute("INSERT INTO tags(name) VALUES ('QA, open-domain')")
        sql.execute(
            "INSERT INTO paper_tags(paper_id, tag_id) SELECT 1, id FROM tags WHERE name = 'QA, open-domain'"
        )
    assert run(capsys, db, "tags", "rename", "QA, open-domain", "qa/open-domain")[0] == 0
    with Library(db) as lib:
        assert "qa/open-domain" in lib.get(1).tags

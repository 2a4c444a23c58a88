"""Saved views follow their tags: renaming or merging a tag renames it in every saved view."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readinglist.cli import main
from readinglist.core import saved_views
from readinglist.core.models import View
from readinglist.core.store import Library
from tests.core.test_history import user_dump
from tests.curate_support import fill


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "lib.db"
    with Library(path) as lib:
        fill(lib)  # 1 (rag, nlp), 2 (nlp), 3 (ml/rl), 4 (rag, survey)
        lib.tag(2, ["ml/nlp", "machine learning"])
        saved_views.save(lib, "rag to read", "", View.UNREAD, "rag")
        saved_views.save(lib, "old rag", "tag:rag year:<2030", View.ALL, None)
        saved_views.save(lib, "rl", '#ml/rl "tag:rag" notrag tag:ragged', View.ALL, "ml")
        saved_views.save(lib, "words", "machine", View.ALL, "machine learning")
    return path


def views(db: Path) -> dict[str, tuple[str, str | None]]:
    with Library(db) as lib:
        return {v.name: (v.query, v.tag) for v in saved_views.all_views(lib)}


def listed(db: Path, capsys: pytest.CaptureFixture[str], name: str) -> list[int]:
    assert main(["--db", str(db), "list", "--view", name, "--json"]) == 0
    return sorted(paper["id"] for paper in json.loads(capsys.readouterr().out))


def test_rename_follows_into_tags_and_queries(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = listed(db, capsys, "old rag")
    assert before == [1, 4]
    assert main(["--db", str(db), "tags", "rename", "RAG", "retrieval"]) == 0
    capsys.readouterr()
    assert views(db) == {
        "rag to read": ("", "retrieval"),
        "old rag": ("tag:retrieval year:<2030", None),
        # A phrase "tag:rag", a word and a longer tag name are not the tag rag.
        "rl": ('#ml/rl "tag:rag" notrag tag:ragged', "ml"),
        "words": ("machine", "machine learning"),
    }
    assert listed(db, capsys, "old rag") == before  # the same papers under the new name


def test_rename_takes_the_tags_below_along(db: Path) -> None:
    assert main(["--db", str(db), "tags", "rename", "ml", "learning"]) == 0
    assert views(db)["rl"] == ('#learning/rl "tag:rag" notrag tag:ragged', "learning")


def test_a_name_with_a_space_is_quoted(db: Path) -> None:
    assert main(["--db", str(db), "tags", "rename", "rag", "retrieval augmented"]) == 0
    assert views(db)["old rag"] == ('tag:"retrieval augmented" year:<2030', None)
    assert views(db)["rag to read"] == ("", "retrieval augmented")


def test_merge_follows_and_one_undo_takes_both_back(db: Path) -> None:
    start = user_dump(db)
    assert main(["--db", str(db), "tags", "merge", "rag", "survey", "reading"]) == 0
    assert views(db)["old rag"] == ("tag:reading year:<2030", None)
    assert views(db)["rag to read"] == ("", "reading")
    assert main(["--db", str(db), "undo"]) == 0
    assert user_dump(db) == start


def test_merge_leaves_the_tags_below_where_they_are(db: Path) -> None:
    assert main(["--db", str(db), "tag", "1", "+ml"]) == 0  # ml is now a tag of its own
    assert main(["--db", str(db), "tags", "merge", "ml", "learning"]) == 0
    assert views(db)["rl"] == ('#ml/rl "tag:rag" notrag tag:ragged', "learning")

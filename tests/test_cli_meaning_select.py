"""``~`` and ``like:`` select the same papers in every command that takes a query (issue #17)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readinglist.cli import main
from readinglist.core.exporter import MEANING_LIMIT
from readinglist.core.sample import import_sample
from readinglist.core.semantic import model
from readinglist.core.store import Library

DESCRIPTION = "making big models answer faster by letting a small model guess ahead"
PREFIXES = ("~", "like:", "like: ", "LIKE:", "  ~ ")


@pytest.fixture
def db(indexed_db: Path) -> Path:
    return indexed_db


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def search_ids(capsys: pytest.CaptureFixture[str], db: Path, query: str) -> list[int]:
    code, out, _ = run(capsys, db, "search", query, "--json")
    assert code == 0
    return [row["id"] for row in json.loads(out)]


def export_ids(capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path, *args: str) -> list[int]:
    target = tmp_path / "out.json"
    code, _, err = run(capsys, db, "export", "--format", "json", "-o", str(target), *args)
    assert code == 0, err
    return [paper["id"] for paper in json.loads(target.read_text())["papers"]]


def test_export_of_a_meaning_query_is_what_search_lists(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wanted = search_ids(capsys, db, "~" + DESCRIPTION)
    assert len(wanted) == MEANING_LIMIT
    for prefix in PREFIXES:
        query = prefix + DESCRIPTION
        assert search_ids(capsys, db, query) == wanted, prefix
        # The JSON export is in id order (so that an import gives ids back); the set is the search's.
        assert export_ids(capsys, db, tmp_path, "--query", query) == sorted(wanted), prefix
        target = tmp_path / "out.csv"
        assert run(capsys, db, "export", "--format", "csv", "-o", str(target), "--query", query)[0] == 0
        rows = target.read_text().splitlines()[1:]
        assert [int(row.split(",", 1)[0]) for row in rows] == wanted, prefix


def test_filters_apply_to_a_meaning_query_in_export(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, db, "tag", *map(str, range(1, 41)), "+early")[0] == 0
    query = "like: tag:early " + DESCRIPTION
    wanted = search_ids(capsys, db, query)
    assert len(wanted) == MEANING_LIMIT and set(wanted) <= set(range(1, 41))
    assert export_ids(capsys, db, tmp_path, "--query", query) == sorted(wanted)


def test_tag_and_saved_views_select_the_same_papers_for_both_prefixes(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wanted = search_ids(capsys, db, "like:" + DESCRIPTION)
    assert run(capsys, db, "tag", "--query", "~" + DESCRIPTION, "+tilde")[0] == 0
    assert run(capsys, db, "tag", "--query", "like:" + DESCRIPTION, "+like")[0] == 0
    with Library(db) as lib:
        assert sorted(lib.ids(tag="tilde")) == sorted(lib.ids(tag="like")) == sorted(wanted)
    for name, prefix in (("by tilde", "~"), ("by like", "like:")):
        assert run(capsys, db, "views", "save", name, "--query", prefix + DESCRIPTION)[0] == 0
        code, out, _ = run(capsys, db, "list", "--view", name, "--json")
        assert code == 0 and [p["id"] for p in json.loads(out)] == wanted, name


def test_a_word_query_still_exports_its_word_matches_only(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, db, "search", "speculative decoding", "--json", "--limit", "200")
    assert code == 0
    words = [row["id"] for row in json.loads(out) if row["match"] == "words"]
    assert words and len(words) < len(json.loads(out))  # search fills in by meaning below
    assert export_ids(capsys, db, tmp_path, "--query", "speculative decoding") == sorted(words)


def test_without_the_model_a_meaning_export_is_a_one_line_error(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(model, "package_dir", lambda: None)
    target = tmp_path / "out.json"
    for prefix in ("~", "like:"):
        code, out, err = run(capsys, db, "export", "-o", str(target), "--query", prefix + DESCRIPTION)
        assert (code, out, err) == (1, "", f"readinglist: {model.MISSING_HINT}\n")
        assert not target.exists()


def test_without_vectors_a_meaning_selection_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plain.db"
    with Library(path) as lib:
        import_sample(lib)  # never indexed
    with Library(path) as lib:
        before = list(lib.conn.iterdump())
    for prefix in ("~", "like:"):
        for args in (
            ("tag", "--query", prefix + DESCRIPTION, "+x"),
            ("rm", "--yes", "--query", prefix + "x"),
        ):
            code, out, err = run(capsys, path, *args)
            assert (code, out) == (1, "") and err.startswith("readinglist: ") and err.count("\n") == 1
            assert "readinglist index" in err, err
    with Library(path) as lib:
        assert list(lib.conn.iterdump()) == before

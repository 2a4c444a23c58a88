"""Paper commands on several papers (ids, --query, --view) and ``rm``, against a library file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readinglist.cli import main
from readinglist.core.models import Status, View
from readinglist.core.store import Library
from tests.curate_support import dump, fill


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "lib.db"
    with Library(path) as lib:
        # 1 RAG (rag, nlp, 2020), 2 Attention (nlp, 2017), 3 Deep RL (ml/rl, 2013), 4 Old Survey (rag, 2001)
        fill(lib)
    return path


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_tag_by_query_and_by_ids(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, db, "tag", "--query", "tag:rag year:<2021", "+old")
    assert code == 0
    assert out.splitlines() == ["     1 nlp old rag", "     4 old rag survey"]
    assert run(capsys, db, "tag", "2", "3", "+to read", "-nlp")[0] == 0
    with Library(db) as lib:
        assert [lib.get(i).tags for i in (2, 3)] == [("to read",), ("ml/rl", "to read")]
    # A multi-word tag is printed so its words stay one tag.
    assert run(capsys, db, "tag", "2")[1] == '"to read"\n'


def test_status_star_and_queue_take_several_papers(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, db, "star", "1", "3")[0] == 0
    code, _, err = run(capsys, db, "status", "--view", "starred", "read")
    assert code == 0 and "2 papers" in err
    assert run(capsys, db, "queue", "add", "4", "2")[0] == 0
    assert run(capsys, db, "unstar", "--query", "tag:rag")[0] == 0
    with Library(db) as lib:
        assert [lib.get(i).status for i in (1, 3)] == [Status.READ, Status.READ]
        assert lib.ids(View.QUEUE) == [4, 2]
        assert lib.ids(View.STARRED) == [3]


def test_show_takes_several_papers(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, db, "show", "1", "2")
    assert code == 0 and out.startswith("[1] Retrieval") and "\n\n[2] Attention" in out
    assert "Venue:   NeurIPS" in out and "key:lewis2020rag" in out


def test_an_unknown_id_changes_nothing(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = dump(db)
    code, _, err = run(capsys, db, "star", "1", "99")
    assert (code, err) == (1, "readinglist: no paper with id 99\n")
    code, _, err = run(capsys, db, "rm", "2", "99")
    assert code == 1
    assert dump(db) == before


def test_a_command_without_papers_is_a_usage_error(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run(capsys, db, "star")
    assert exit_info.value.code == 2
    assert "star needs paper IDs, --query Q or --view V" in capsys.readouterr().err


def test_a_comma_in_a_tag_is_refused(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = dump(db)
    code, _, err = run(capsys, db, "tag", "1", "+a,b")
    assert code == 1 and err.count("\n") == 1 and "holds a comma" in err
    assert dump(db) == before


def test_rm_deletes_tags_note_and_queue_place(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Library(db) as lib:
        for paper_id in (1, 2, 3):
            lib.queue_add(paper_id)
        lib.set_note(2, "gone with it")
    code, out, _ = run(capsys, db, "rm", "2")
    assert (code, out) == (0, "deleted 2 Attention Is All You Need\n")
    with Library(db) as lib:
        assert lib.ids(View.QUEUE) == [1, 3]
        assert [lib.get(1).queue_position, lib.get(3).queue_position] == [1, 2]
        assert lib.conn.execute("SELECT count(*) FROM paper_tags WHERE paper_id = 2").fetchone() == (0,)
        hits = lib.conn.execute("SELECT rowid FROM papers_fts WHERE papers_fts MATCH 'gone'").fetchall()
        assert hits == []


def test_rm_by_query_needs_yes(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = dump(db)
    code, _, err = run(capsys, db, "rm", "--query", "tag:rag")
    # A refusal like the others: one line, exit 1, not argparse's "error:" form (exit 2).
    assert code == 1
    assert err == (
        "readinglist: this would delete 2 papers; nothing was deleted "
        "(add --yes to delete what --query/--view selects)\n"
    )
    assert dump(db) == before
    assert run(capsys, db, "rm", "--query", "tag:rag", "--yes")[0] == 0
    with Library(db) as lib:
        assert sorted(lib.ids()) == [2, 3]


def test_show_json_is_an_object_for_one_id_and_an_array_otherwise(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    one = json.loads(run(capsys, db, "show", "1", "--json")[1])
    assert (one["venue"], one["key"]) == ("NeurIPS", "lewis2020rag")
    many = json.loads(run(capsys, db, "show", "--query", "tag:nlp", "--json")[1])
    assert sorted(p["id"] for p in many) == [1, 2]


def test_view_takes_a_saved_view_as_export_does(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, db, "star", "1", "2", "4")[0] == 0
    assert run(capsys, db, "views", "save", "starred rag", "--view", "starred", "--tag", "rag")[0] == 0
    assert run(capsys, db, "views", "save", "old rag", "--query", "tag:rag year:<2021")[0] == 0
    exported = json.loads(run(capsys, db, "export", "--view", "starred rag")[1])
    assert sorted(p["id"] for p in exported["papers"]) == [1, 4]
    code, _, err = run(capsys, db, "status", "--view", "starred rag", "read")
    assert code == 0 and "2 papers" in err
    code, out, _ = run(capsys, db, "tag", "--view", "old rag", "+old")
    assert code == 0 and out.splitlines() == ["     1 nlp old rag", "     4 old rag survey"]
    with Library(db) as lib:
        assert sorted(p.id for p in lib.papers(View.READ)) == [1, 4]
    before = dump(db)
    code, _, err = run(capsys, db, "star", "--view", "nope")
    assert code == 1 and err.startswith('readinglist: no view called "nope"') and err.count("\n") == 1
    assert dump(db) == before

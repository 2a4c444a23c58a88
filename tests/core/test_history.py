"""The undo history: every change through the CLI is undone and redone, on the library file."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from readinglist.cli import main
from readinglist.core import history
from readinglist.core.errors import LibraryError
from readinglist.core.sample import sample_path
from readinglist.core.store import Library

USER_TABLES = ("papers", "tags", "paper_tags", "saved_views")


def user_dump(db: Path) -> list[str]:
    """The library's user data as SQL text (the full-text index and the history left out)."""
    conn = sqlite3.connect(db)
    try:
        return [line for line in conn.iterdump() if any(f'INSERT INTO "{t}"' in line for t in USER_TABLES)]
    finally:
        conn.close()


def fts_ok(db: Path) -> None:
    """Raise unless both full-text indexes match the papers table exactly."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("INSERT INTO papers_fts(papers_fts, rank) VALUES('integrity-check', 1)")
        conn.execute("INSERT INTO papers_title_fts(papers_title_fts, rank) VALUES('integrity-check', 1)")
    finally:
        conn.close()


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "library.db"
    assert run(capsys, path, "import", str(sample_path()))[0] == 0
    return path


CHANGES = [
    (["star", "3"], "starred"),
    (["unstar", "3"], None),  # not starred: nothing changes, nothing to record
    (["tag", "3", "+rag", "+survey"], "tagged"),
    (["status", "4", "read"], "marked"),
    (["status", "5", "queued"], "queued"),
    (["queue", "add", "10"], "queued"),
    (["queue", "top", "7"], "to the top of the queue"),
    (["queue", "down", "9"], "down the queue"),
    (["queue", "up", "7"], "up the queue"),
    (["queue", "remove", "9"], "out of the queue"),
    (["note", "8", "--set", "a *note*"], "saved the note"),
    (["star", "3", "4", "5"], "starred 3 papers"),
    (["status", "3", "4", "5", "read"], "marked 3 papers read"),
    (["tag", "--query", "retrieval", "+found"], "papers +found"),
    (["queue", "remove", "9", "6"], "2 papers"),
    (["edit", "3", "--set", "title=A New Title", "--set", "venue=ICML"], "edited"),
    (["rm", "6", "12"], "deleted 2 papers"),
    (["rm", "9"], "deleted"),  # out of the queue too: the queue closes up, and opens again
    (["add", "--title", "By Hand", "--author", "A. Person", "--year", "2024", "--star"], 'added "By Hand"'),
    (["tags", "rename", "seed", "sown"], "renamed tag seed to sown"),
    (["tags", "merge", "seed", "other", "into"], "merged tags seed, other into into"),
    (["tags", "delete", "seed"], "deleted tag seed"),
    (["views", "save", "mine", "--query", "rag", "--view", "starred"], 'saved the view "mine"'),
]


@pytest.mark.parametrize(("args", "said"), CHANGES, ids=[" ".join(a) for a, _ in CHANGES])
def test_each_cli_change_undoes_and_redoes(
    db: Path, capsys: pytest.CaptureFixture[str], args: list[str], said: str | None
) -> None:
    for paper in ("9", "6", "7"):  # a queue to move within
        run(capsys, db, "queue", "add", paper)
    run(capsys, db, "tag", "3", "4", "+seed")
    run(capsys, db, "tag", "5", "+other", "+seed")
    before = user_dump(db)
    assert run(capsys, db, *args)[0] == 0
    after = user_dump(db)
    if said is None:
        assert after == before
        assert run(capsys, db, "undo")[1].startswith("undid: tagged")  # the earlier action
        return
    assert after != before
    code, out, _ = run(capsys, db, "undo")
    assert code == 0
    assert out.startswith("undid: ") and said in out
    assert user_dump(db) == before
    code, out, _ = run(capsys, db, "redo")
    assert code == 0 and out.startswith("redid: ") and said in out
    assert user_dump(db) == after
    fts_ok(db)


def test_undo_import_removes_its_papers_and_the_fields_it_filled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "lib.db"
    run(capsys, db, "import", str(sample_path()))
    run(capsys, db, "tag", "2", "+kept")
    before = user_dump(db)
    conn = sqlite3.connect(db)
    cursor = conn.execute("SELECT title, abstract, authors FROM papers WHERE id IN (2, 3) ORDER BY id")
    stored = cursor.fetchall()
    conn.close()
    rows = [
        {"title": t, "abstract": a, "authors": json.loads(au), "url": f"https://ex.org/{i}", "tags": ["new"]}
        for i, (t, a, au) in enumerate(stored)
    ]
    rows += [{"title": f"A new paper {i}", "authors": ["Ada L"], "tags": ["new", "kept"]} for i in range(4)]
    src = tmp_path / "more.json"
    src.write_text(json.dumps(rows), encoding="utf-8")
    assert run(capsys, db, "import", str(src), "--tag", "run")[0] == 0
    after = user_dump(db)
    code, out, _ = run(capsys, db, "undo")
    assert code == 0
    assert out == "undid: imported 4 papers, filled in 2 from more.json\n"
    assert user_dump(db) == before
    fts_ok(db)
    assert run(capsys, db, "redo")[0] == 0
    assert user_dump(db) == after
    fts_ok(db)


def test_import_is_logged_compactly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "lib.db"
    run(capsys, db, "import", str(sample_path()))
    conn = sqlite3.connect(db)
    # 220 papers: one range row, not 220 row images.
    assert conn.execute("SELECT count(*) FROM history_log").fetchone()[0] == 1
    conn.close()


def test_history_lists_newest_first_and_survives_a_restart(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, db, "star", "3")
    run(capsys, db, "tag", "3", "+x")
    run(capsys, db, "undo")
    out = run(capsys, db, "history", "--json")[1]
    entries = json.loads(out)
    assert [e["undone"] for e in entries] == [True, False, False]
    assert entries[0]["description"].startswith("tagged ") and entries[0]["description"].endswith(" +x")
    assert entries[2]["description"] == "imported 220 papers from hf-papers-seed.txt"
    out = run(capsys, db, "history")[1]
    assert out.splitlines()[0].endswith("+x (undone)")
    # Each CLI call above opened and closed the library: the history is in the file.
    with Library(db) as lib:
        assert lib.redo() == [entries[0]["description"]]
        assert lib.get(3).tags == ("x",)
        assert len(lib.undo(2)) == 2
        assert not lib.get(3).starred


def test_nothing_to_undo_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "empty.db"
    Library(db, create=True).close()  # a new --db path is only created by import and add
    code, _, err = run(capsys, db, "undo")
    assert code == 1 and err == "readinglist: nothing to undo\n"
    code, _, err = run(capsys, db, "redo", "3")
    assert code == 1 and err == "readinglist: nothing to redo\n"


def test_undo_n_stops_when_the_history_runs_out(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, db, "star", "3")
    code, out, err = run(capsys, db, "undo", "5")
    assert code == 0
    assert out.count("undid: ") == 2 and "only 2 to undo" in err
    assert user_dump(db) == []


def test_a_new_change_forgets_what_could_be_redone(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, db, "star", "3")
    run(capsys, db, "undo")
    run(capsys, db, "star", "4")
    code, _, err = run(capsys, db, "redo")
    assert code == 1 and "nothing to redo" in err


def other_process(db: Path, sql: str) -> None:
    """Change the library from another process, with plain SQL (the way any program could)."""
    script = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()"
    subprocess.run([sys.executable, "-c", script, str(db), sql], check=True)


def test_undo_refuses_after_another_program_changed_the_rows(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, db, "star", "3")
    other_process(db, "UPDATE papers SET starred = 0, status = 'read' WHERE id = 3")
    before = user_dump(db)
    code, out, err = run(capsys, db, "undo")
    assert code == 1 and out == ""
    assert err.startswith('readinglist: cannot undo "starred ')
    assert err.endswith(": paper 3 was changed since by another program\n")
    assert user_dump(db) == before
    # A change to other rows is no reason to refuse.
    run(capsys, db, "star", "4")
    other_process(db, "UPDATE papers SET status = 'read' WHERE id = 5")
    assert run(capsys, db, "undo")[1].startswith("undid: starred")


def test_undo_n_names_what_it_undid_before_a_refusal(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, db, "star", "3")
    run(capsys, db, "tag", "3", "+later")
    other_process(db, "UPDATE papers SET starred = 0 WHERE id = 3")
    code, out, err = run(capsys, db, "undo", "3")
    # The tagging was undone (its own transaction) and is named; the starring is refused.
    assert code == 1 and out.startswith('undid: tagged "') and out.endswith(" +later\n")
    assert err.startswith('readinglist: cannot undo "starred ') and err.count("\n") == 1
    with Library(db) as lib:
        assert lib.get(3).tags == () and [e.undone for e in lib.history(2)] == [True, False]


def test_undo_of_an_import_refuses_when_another_program_changed_one_of_its_papers(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other_process(db, "UPDATE papers SET title = 'Renamed elsewhere' WHERE id = 17")
    code, _, err = run(capsys, db, "undo")
    assert code == 1 and err.endswith("paper 17 was changed since by another program\n")
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM papers").fetchone()[0] == 220
    conn.close()


def test_another_readinglist_process_changes_are_actions_of_their_own(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Library(db) as app:  # an app left open
        app.set_starred(3, True)
        assert run(capsys, db, "tag", "3", "+cli")[0] == 0  # the CLI, meanwhile
        assert app.undo() == [app.history()[0].description]
        assert app.get(3).tags == () and app.get(3).starred


def test_the_history_is_bounded(library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    from readinglist.core.models import PaperDraft
    from tests.helpers import add_paper

    add_paper(library, PaperDraft(title="One paper"))
    monkeypatch.setattr(history, "MAX_ACTIONS", 5)
    for i in range(12):
        library.set_starred(1, i % 2 == 0)
    entries = library.history()
    assert len(entries) == 5
    oldest = min(e.id for e in entries)
    assert (
        library.conn.execute("SELECT min(seq) FROM history_log").fetchone()[0]
        >= (library.conn.execute("SELECT first_seq FROM history WHERE id = ?", [oldest]).fetchone()[0])
    )
    monkeypatch.setattr(history, "MAX_BYTES", 10)
    library.set_starred(1, True)
    assert len(library.history()) == 1  # the newest action is kept whatever its size
    assert len(library.undo(3)) == 1


def test_a_failed_change_records_nothing(library: Library) -> None:
    from readinglist.core.models import PaperDraft
    from tests.helpers import add_paper

    add_paper(library, PaperDraft(title="One paper"))
    before = library.history()
    with pytest.raises(LibraryError, match="not in the queue"), library.action("starred and moved"):
        library.set_starred(1, True)
        library.queue_move(1, 1)
    assert library.history() == before
    assert not library.get(1).starred


def test_triggers_follow_a_new_column(db: Path) -> None:
    """A later migration that adds a column: the history triggers are rebuilt to carry it."""
    conn = sqlite3.connect(db)
    conn.execute("ALTER TABLE papers ADD COLUMN publisher TEXT")
    conn.commit()
    conn.close()
    with Library(db) as lib:
        with lib.action("set a publisher"):
            lib.conn.execute("UPDATE papers SET publisher = 'ACM' WHERE id = 3")
        assert lib.undo() == ["set a publisher"]
        assert lib.conn.execute("SELECT publisher FROM papers WHERE id = 3").fetchone()[0] is None
        lib.redo()
        assert lib.conn.execute("SELECT publisher FROM papers WHERE id = 3").fetchone()[0] == "ACM"


def test_note_autosaves_fold_into_one_action(library: Library) -> None:
    from readinglist.core.models import PaperDraft
    from tests.helpers import add_paper

    add_paper(library, PaperDraft(title="One paper"))
    library.set_note(1, "a")
    library.set_note(1, "ab")
    library.set_note(1, "abc")  # typing, saved as it goes
    library.set_starred(1, True)
    library.set_note(1, "abcd")  # after another change: an action of its own
    assert [e.description for e in library.history()[:3]] == [
        'saved the note of "One paper"',
        'starred "One paper"',
        'saved the note of "One paper"',
    ]
    library.undo(2)
    assert library.note(1) == "abc"
    library.undo()
    assert library.note(1) == ""

"""The command line against a temporary library: output, JSON shape and errors."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from readinglist.cli import main
from readinglist.core.sample import sample_path

PAPER_KEYS = {
    "id",
    "title",
    "abstract",
    "authors",
    "year",
    "tags",
    "starred",
    "status",
    "queue_position",
    "links",
    "primary_link",
    "notes",
}


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def sample_cli_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library made by ``import --sample``, once for the module."""
    path = tmp_path_factory.mktemp("cli") / "cli.db"
    with contextlib.redirect_stdout(io.StringIO()) as out:
        assert main(["--db", str(path), "import", "--sample"]) == 0
    assert out.getvalue() == "220 added, 0 already in the library\n"
    return path


@pytest.fixture
def db(tmp_path: Path, sample_cli_db: Path) -> Path:
    """A copy of :func:`sample_cli_db` of the test's own: tests change it."""
    path = tmp_path / "cli.db"
    shutil.copyfile(sample_cli_db, path)
    return path


def test_import_sample_twice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.db"
    assert run(capsys, path, "import", "--sample") == (0, "220 added, 0 already in the library\n", "")
    assert run(capsys, path, "import", str(sample_path())) == (0, "0 added, 220 already in the library\n", "")


def test_db_option_after_the_subcommand(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["stats", "--json", "--db", str(db)])
    assert code == 0
    assert json.loads(capsys.readouterr().out)["papers"] == 220


def test_readinglist_db_environment_variable(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READINGLIST_DB", str(db))
    assert main(["stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["papers"] == 220


def test_search_json_has_the_documented_shape(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, db, "search", "retrieval", "augmented", "--limit", "3", "--json")
    assert code == 0
    papers = json.loads(out)
    assert 1 <= len(papers) <= 3
    assert PAPER_KEYS <= set(papers[0])
    assert all("retriev" in (p["title"] + p["abstract"]).lower() for p in papers)


def test_show_text_and_json(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, db, "show", "1")
    assert code == 0 and out.startswith("[1] The Consensus Game")
    code, out, _ = run(capsys, db, "show", "1", "--json")
    assert json.loads(out)["title"].startswith("The Consensus Game")


def test_star_tag_note_queue_and_stats(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, db, "star", "5")[0] == 0
    assert run(capsys, db, "tag", "5", "+rag", "+to-read", "-nothing") == (0, "rag to-read\n", "")
    assert run(capsys, db, "tag", "5", "-to-read") == (0, "rag\n", "")
    assert run(capsys, db, "note", "5", "--set", "Read section 3.")[0] == 0
    assert run(capsys, db, "note", "5") == (0, "Read section 3.\n", "")
    for pid in ("7", "5", "9"):
        assert run(capsys, db, "queue", "add", pid)[0] == 0
    assert run(capsys, db, "queue", "top", "9")[0] == 0
    _, out, _ = run(capsys, db, "queue", "list", "--json")
    assert [p["id"] for p in json.loads(out)] == [9, 7, 5]
    assert [p["queue_position"] for p in json.loads(out)] == [1, 2, 3]
    assert run(capsys, db, "queue", "remove", "7")[0] == 0
    assert run(capsys, db, "status", "9", "read")[0] == 0
    _, out, _ = run(capsys, db, "stats", "--json")
    assert json.loads(out) == {"papers": 220, "starred": 1, "queued": 1, "read": 1, "tags": 1, "notes": 1}
    _, out, _ = run(capsys, db, "list", "--view", "starred", "--json")
    [paper] = json.loads(out)
    assert (paper["id"], paper["tags"], paper["notes"], paper["starred"]) == (
        5,
        ["rag"],
        "Read section 3.",
        True,
    )
    _code, out, _ = run(capsys, db, "list", "--tag", "rag")
    assert out.split()[0] == "5"


def test_note_edit_uses_the_editor(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    script = db.parent / "fake-editor.sh"
    script.write_text('#!/bin/sh\nprintf "edited in editor\\n" > "$1"\n')
    script.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(script))
    monkeypatch.delenv("VISUAL", raising=False)
    assert run(capsys, db, "note", "3", "--edit")[0] == 0
    assert run(capsys, db, "note", "3") == (0, "edited in editor\n\n", "")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["show", "999"], 1, "readinglist: no paper with id 999\n"),
        (["star", "999"], 1, "readinglist: no paper with id 999\n"),
        (["queue", "up", "3"], 1, "readinglist: paper 3 is not in the queue\n"),
        (["tag", "3", "oops"], 2, None),
        (["queue", "add"], 2, None),
        (["import"], 2, None),
    ],
)
def test_user_and_usage_errors(
    db: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: int, message: str | None
) -> None:
    if code == 2:
        with pytest.raises(SystemExit) as exc:
            main(["--db", str(db), *args])
        assert exc.value.code == 2
        err = capsys.readouterr().err
        assert "error:" in err and "Traceback" not in err
        return
    assert run(capsys, db, *args) == (1, "", message)


def test_bad_import_file_leaves_library_unchanged(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("SubscribeA title\nAn abstract.\nAn orphan title\n")
    code, _out, err = run(capsys, db, "import", str(bad))
    assert code == 1
    assert err == (
        f"readinglist: {bad}:3: title with no abstract: 'An orphan title'"
        "; nothing imported; run again with --skip-bad to import the other 1\n"
    )
    assert json.loads(run(capsys, db, "stats", "--json")[1])["papers"] == 220


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "readinglist", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def test_not_a_library_no_traceback(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"SQLite format 3\0" + b"garbage" * 1000)
    result = _cli("--db", str(junk), "list")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    # An SQLite header over garbage: a damaged library, not some other file.
    assert result.stderr.startswith(f"readinglist: {junk}: the library file is damaged")


def test_missing_import_path_no_traceback(tmp_path: Path) -> None:
    result = _cli("--db", str(tmp_path / "l.db"), "import", str(tmp_path / "missing.bib"))
    assert (result.returncode, result.stderr) == (
        1,
        f"readinglist: {tmp_path / 'missing.bib'}: no such file\n",
    )


def test_locked_library_no_traceback(db: Path) -> None:
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    # The real command in its own process, but giving up on the lock after 50 ms
    # rather than the 5 s a user's command waits (the message is the same).
    code = (
        "import sys, readinglist.core.connection as c; c.BUSY_TIMEOUT_S = 0.05\n"
        "from readinglist.entry import main; sys.exit(main())"
    )
    try:
        result = subprocess.run(
            [sys.executable, "-c", code, "--db", str(db), "star", "1"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 1
    assert "locked" in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_every_command_has_a_handler_and_parses_on_its_own() -> None:
    from readinglist.cli import HANDLERS, PATH_HANDLERS
    from readinglist.cli_parser import COMMANDS, build_parser, command_of

    assert set(COMMANDS) == set(HANDLERS) | set(PATH_HANDLERS)
    assert not set(HANDLERS) & set(PATH_HANDLERS)
    assert command_of(["--db", "x.db", "search", "q"]) == "search"
    assert command_of(["--db=x.db", "stats"]) == "stats"
    assert command_of(["--help", "search"]) is None
    assert command_of(["serch"]) is None
    args = build_parser("tag").parse_args(["tag", "3", "+nlp", "-old"])
    # The ids and the changes come as one list (a change may start with -): the handler splits them.
    assert (args.command, args.changes) == ("tag", ["3", "+nlp", "-old"])


def test_a_mistyped_command_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    from readinglist.cli_parser import COMMANDS

    with pytest.raises(SystemExit) as exit_info:
        main(["serch", "attention"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'serch'" in err
    assert all(f"'{name}'" in err for name in COMMANDS)


def test_an_upgrade_is_announced_once_and_a_new_library_is_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "lib.db"
    assert main(["import", "--sample", "--db", str(db)]) == 0  # a new library: made by import only
    assert "upgrading" not in capsys.readouterr().err
    con = sqlite3.connect(db)
    with con:
        con.execute("DELETE FROM _sqlite_migrations WHERE name = 'm005_added_index_with_status'")
    con.close()
    assert main(["stats", "--db", str(db)]) == 0
    err = capsys.readouterr().err
    assert err.startswith("readinglist: upgrading the library") and err.count("\n") == 1
    assert main(["stats", "--db", str(db)]) == 0
    assert capsys.readouterr().err == ""

"""A mistyped ``--db`` never creates a library: only import (and add) make one at a new path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from readinglist.cli import main
from readinglist.cli_library import CREATES_AT_NEW_PATH, READING_COMMANDS, missing_library

READS: list[list[str]] = [["stats"], ["list"], ["show", "1"], ["search", "attention"], ["export"]]


@pytest.mark.parametrize("command", READS, ids=lambda c: c[0])
def test_reading_commands_refuse_a_missing_library(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    db = tmp_path / "nonexist" / "x.db"
    assert main(["--db", str(db), *command]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"readinglist: no library at {db}") and err.count("\n") == 1
    assert not db.parent.exists()  # neither the folder nor the file was made


@pytest.mark.parametrize("command", READS, ids=lambda c: c[0])
def test_reading_commands_refuse_a_missing_default_library(
    isolated_env: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    assert main(command) == 1
    assert "no library at" in capsys.readouterr().err
    assert not (isolated_env / "library.db").exists()


def test_writing_commands_refuse_a_new_db_path_but_import_creates_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "new" / "x.db"
    assert main(["--db", str(db), "star", "1"]) == 1
    assert "does not create one at a new --db path" in capsys.readouterr().err
    assert not db.exists()
    assert main(["--db", str(db), "import", "--sample"]) == 0
    assert db.exists()
    capsys.readouterr()
    assert main(["--db", str(db), "star", "1"]) == 0
    assert main(["--db", str(db), "stats"]) == 0


def test_a_writing_command_creates_the_default_library(
    isolated_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The default library is made on first use (here the paper is missing: exit 1, but the file exists).
    assert main(["tag", "1"]) == 1
    assert "no library at" not in capsys.readouterr().err
    assert (isolated_env / "library.db").exists()


def test_the_rule_as_a_function(tmp_path: Path) -> None:
    missing = tmp_path / "x.db"
    assert {"import", "add"} <= CREATES_AT_NEW_PATH
    assert all(missing_library(c, missing, explicit=True) for c in READING_COMMANDS)
    assert all(missing_library(c, missing, explicit=False) for c in READING_COMMANDS)
    assert missing_library(None, missing, explicit=False) is None  # the app's first start
    assert missing_library(None, missing, explicit=True) is not None  # the app at a mistyped --db
    assert missing_library("import", missing, explicit=True) is None
    missing.touch()
    assert missing_library("stats", missing, explicit=True) is None


def test_the_quick_search_process_refuses_a_missing_library(tmp_path: Path) -> None:
    db = tmp_path / "nope" / "x.db"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from readinglist.entry import main; sys.exit(main())",
            "--db",
            str(db),
            "search",
            "attention",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    assert done.stderr.startswith("readinglist: no library at") and done.stderr.count("\n") == 1
    assert not db.parent.exists()

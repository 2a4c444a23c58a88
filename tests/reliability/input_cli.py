"""Running the real command line in a child process, and reading a library file back."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

Arg = str | bytes | Path


def cli(
    db: Path, *args: Arg, stdin: bytes | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[bytes]:
    """``python -m readinglist --db DB ARGS`` as a user would run it (bytes arguments go as they are)."""
    command: list[Arg] = [sys.executable, "-m", "readinglist", "--db", str(db), *args]
    return subprocess.run(command, input=stdin, capture_output=True, timeout=timeout, check=False)


def out(result: subprocess.CompletedProcess[bytes]) -> str:
    return result.stdout.decode("utf-8", "backslashreplace")


def err(result: subprocess.CompletedProcess[bytes]) -> str:
    return result.stderr.decode("utf-8", "backslashreplace")


def dump(db: Path) -> list[str]:
    """Every statement that would rebuild the library: equal dumps, equal libraries."""
    with sqlite3.connect(db) as conn:
        return list(conn.iterdump())


def titles(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [t for (t,) in conn.execute("SELECT title FROM papers ORDER BY id")]


def one_line(text: str) -> str:
    """``text`` is exactly one line (no traceback); return it without its newline."""
    assert "Traceback" not in text, text
    lines = text.splitlines()
    assert len(lines) == 1, text
    return lines[0]


def write(path: Path, parts: Sequence[str]) -> Path:
    path.write_text("".join(parts), encoding="utf-8")
    return path

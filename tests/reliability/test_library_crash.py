"""kill -9 of an import at any moment leaves the library intact, with all of the import or none of it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from readinglist.core import backups

from .library_helpers import cli, seeded_library, snapshot, write_papers

PAPERS = 16000
"""Enough that the import is still inserting at 0.5 s on an idle machine (8,000 could finish first)."""


def _wal_size(path: Path) -> int:
    try:
        return Path(f"{path}-wal").stat().st_size
    except FileNotFoundError:
        return -1


def _import_killed_when(path: Path, papers: Path, ready: Callable[[float], bool]) -> bool:
    """Start an import in its own process group and SIGKILL the whole group once ``ready(elapsed)``.

    Returns:
        Whether the kill came before the import finished on its own.
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "readinglist", "--db", str(path), "import", str(papers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # the parsing helper process is in the group too
    )
    start = time.monotonic()
    try:
        while process.poll() is None:
            if ready(time.monotonic() - start):
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                break
            time.sleep(0.002)
        killed = process.returncode == -signal.SIGKILL
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)  # nothing of the import outlives it
    return killed


@pytest.mark.slow
def test_kill_9_during_an_import_leaves_all_or_nothing(tmp_path: Path) -> None:
    path = seeded_library(tmp_path / "lib" / "library.db")
    papers = write_papers(tmp_path / "papers.json", PAPERS)
    before = snapshot(path)
    assert before[:2] == ("ok", 220)
    moments: dict[str, Callable[[float], bool]] = {
        # Reading and inserting, nothing written to the WAL yet.
        "inserting": lambda t: t > 0.5 and _wal_size(path) == 0,
        # Copying the library to backups/ just before the commit.
        "backing up": lambda t: (path.parent / "backups").exists(),
        # Writing the commit into the WAL.
        "committing": lambda t: _wal_size(path) > 0,
    }
    outcomes: dict[str, tuple[bool, int]] = {}
    for moment, ready in moments.items():
        killed = _import_killed_when(path, papers, ready)
        after = snapshot(path)
        outcomes[moment] = (killed, after[1])
        assert after[0] == "ok", moment
        if moment == "inserting":
            assert killed and after == before
        # Killed during the commit, it may or may not have landed; never half of it.
        assert after[1] in (220, 220 + PAPERS), moment
        if after[1] == 220:
            assert after == before, moment
        else:
            break
    print(outcomes)  # which kills landed before the commit (shown with -s)
    # Whatever the kills left (a half-written .part backup), the next import completes.
    done = cli("--db", str(path), "import", str(papers))
    assert done.returncode == 0, done.stderr
    assert snapshot(path)[:2] == ("ok", 220 + PAPERS)
    assert all(info.path.suffix == ".db" for info in backups.list_backups(path))
    # The history was written with the papers, all or nothing: undo takes back exactly the
    # import that completed (a killed one left no action behind).
    done = cli("--db", str(path), "undo")
    assert done.returncode == 0 and done.stdout.startswith("undid: imported "), done.stderr
    assert snapshot(path) == before

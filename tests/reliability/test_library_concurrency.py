"""Two processes writing to one library at once: every write of both lands."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from readinglist.core.store import Library

from .library_helpers import seeded_library, snapshot

WRITES = 120

# Each writer tags papers it shares with the other writer, and rewrites the
# notes of its own half of the papers, one short transaction per change.
WRITER = """
import sys, time
from pathlib import Path
import pytest

from readinglist.core.store import Library

path, me, writes, go = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
with Library(path) as lib:
    ids = lib.ids()
    while not go.exists():
        time.sleep(0.005)
    for k in range(writes):
        shared = ids[k % len(ids)]
        lib.tag(shared, [f"w{me}-{k}"])
        own = ids[(2 * k + me) % len(ids)]
        lib.set_note(own, f"writer {me} write {k}")
print("done")
"""


@pytest.mark.slow
def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = seeded_library(tmp_path / "library.db")
    go = tmp_path / "go"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(me), str(WRITES), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for me in (0, 1)
    ]
    time.sleep(0.3)  # both have opened the library and wait
    go.touch()
    for writer in writers:
        out, err = writer.communicate(timeout=120)
        assert (writer.returncode, out, err) == (0, "done\n", "")
    assert snapshot(path)[0] == "ok"
    with Library(path) as lib:
        ids = lib.ids()
        expected_notes: dict[int, str] = {}
        for me in (0, 1):
            for k in range(WRITES):
                assert f"w{me}-{k}" in lib.get(ids[k % len(ids)]).tags, (me, k)
                expected_notes[ids[(2 * k + me) % len(ids)]] = f"writer {me} write {k}"
        # The two writers' note papers never overlap (even and odd places), so the last write wins.
        for paper_id, note in expected_notes.items():
            assert lib.get(paper_id).notes == note
        assert sum(n for _, n in lib.all_tags()) == 2 * WRITES

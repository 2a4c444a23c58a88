#!/usr/bin/env python3
"""Acting on many papers at once: marking every paper of a view and tagging them, then undoing it.

Imports the generated arXiv corpus once into ``bench-data/batch-<n>.db``
(kept between runs), then, on a fresh copy of it each run, times what the
app does when the user presses ``*`` (every id the view lists, into the marks
set) then ``t`` with ``+bench`` (one undoable action over all of them), and
what ``u`` then does (undo, with its check that no row changed since). Then the
tag administration on a tag every paper carries: ``tags rename``, ``tags merge``
and ``tags delete`` (the delete undone again), and untagging all of them (``t -other``).
Each step prints its wall seconds and, in brackets, its CPU seconds (the machine
may be shared: CPU shows the work itself).

    .venv/bin/python benchmarks/bench_batch.py            # 100k papers
    .venv/bin/python benchmarks/bench_batch.py -n 20000 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench-data"
MAKE_CORPUS = Path(
    os.environ.get("READINGLIST_MAKE_CORPUS", ROOT.parent.parent / "shared/bench/make_corpus.py")
)


def library(n: int) -> Path:
    """A library of ``n`` generated arXiv papers, made on first use."""
    from readinglist.core.importing import import_files
    from readinglist.core.store import Library

    path = DATA / f"batch-{n}.db"
    if path.exists():
        return path
    DATA.mkdir(exist_ok=True)
    src = DATA / f"arxiv-jsonl-{n}.jsonl"
    if not src.exists():
        subprocess.run(
            [sys.executable, str(MAKE_CORPUS), "-n", str(n), "-f", "arxiv-jsonl", "-o", str(src)], check=True
        )
    tmp = path.with_suffix(".tmp")
    with Library(tmp, keep_backups=0) as lib:
        import_files(lib, [src], format_name="arxiv-jsonl")
    tmp.rename(path)
    return path


class Clock:
    """Wall and CPU seconds of each step, by name."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    def step(self, name: str, work: Callable[[], object]) -> object:
        wall, cpu = time.perf_counter(), time.process_time()
        out = work()
        self.wall[name] = time.perf_counter() - wall
        self.cpu[name] = time.process_time() - cpu
        return out


def run_once(source: Path) -> tuple[int, Clock]:
    from readinglist.core import batch, tag_admin
    from readinglist.core.models import View
    from readinglist.core.store import Library

    clock = Clock()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "lib.db"
        shutil.copy(source, db)
        with Library(db) as lib:
            marks = clock.step("mark", lambda: set(lib.ids(View.ALL)))  # `*`: the ids the list holds
            assert isinstance(marks, set)
            ids = sorted(marks)
            changed = clock.step("tag", lambda: batch.tag(lib, ids, ["bench"]))
            clock.step("undo", lib.undo)
            assert changed == len(ids), (changed, len(ids))
            assert lib.count(View.ALL, "bench") == 0
            clock.step("redo", lib.redo)
            clock.step("rename", lambda: tag_admin.rename(lib, "bench", "bench2"))
            lib.tag(1, ["other"])
            clock.step("merge", lambda: tag_admin.merge(lib, ["bench2"], "other"))
            clock.step("delete", lambda: tag_admin.delete(lib, "other"))
            assert lib.count(View.ALL, "other") == 0
            clock.step("undo delete", lib.undo)
            assert lib.count(View.ALL, "other") == len(ids)
            clock.step("untag", lambda: batch.tag(lib, ids, remove=["other"]))
            assert lib.count(View.ALL, "other") == 0
        return len(ids), clock


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=100_000, help="papers in the library")
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    source = library(args.n)
    print(f"library: {source.name}; cpus: {os.cpu_count()}; load average before: {os.getloadavg()[0]:.2f}")
    steps = ("mark", "tag", "undo", "redo", "rename", "merge", "delete", "undo delete", "untag")
    print("wall s (CPU s) of each step")
    print("| run | papers | " + " | ".join(steps) + " |")
    print("| --- " * (2 + len(steps)) + "|")
    for i in range(1, args.repeat + 1):
        papers, clock = run_once(source)
        cells = [f"{clock.wall[k]:.2f} ({clock.cpu[k]:.2f})" for k in steps]
        print(f"| {i} | {papers:,} | " + " | ".join(cells) + " |")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

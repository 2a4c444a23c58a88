#!/usr/bin/env python3
"""Acting on many papers at once: marking every paper of a view and tagging them, then undoing it.

Imports the generated arXiv corpus once into ``bench-data/batch-<n>.db``
(kept between runs), then, on a fresh copy of it each run, times what the
app does when the user presses ``*`` (every id the view lists, into the marks
set) then ``t`` with ``+bench`` (one undoable action over all of them), and
what ``u`` then does (undo, with its check that no row changed since).

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


def run_once(source: Path) -> dict[str, float]:
    from readinglist.core import batch
    from readinglist.core.models import View
    from readinglist.core.store import Library

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "lib.db"
        shutil.copy(source, db)
        with Library(db) as lib:
            t0 = time.perf_counter()
            marks = set(lib.ids(View.ALL))  # `*`: the ids the list already holds, as a set
            t1 = time.perf_counter()
            changed = batch.tag(lib, sorted(marks), ["bench"])
            t2 = time.perf_counter()
            lib.undo()
            t3 = time.perf_counter()
            assert changed == len(marks), (changed, len(marks))
            assert lib.count(View.ALL, "bench") == 0
        return {"papers": len(marks), "mark": t1 - t0, "tag": t2 - t1, "undo": t3 - t2}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=100_000, help="papers in the library")
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    source = library(args.n)
    print(f"library: {source.name}; cpus: {os.cpu_count()}; load average before: {os.getloadavg()[0]:.2f}")
    print("| run | papers | mark all s | tag all s | mark + tag s | undo s |")
    print("| --- | --- | --- | --- | --- | --- |")
    for i in range(1, args.repeat + 1):
        r = run_once(source)
        print(
            f"| {i} | {r['papers']:,.0f} | {r['mark']:.3f} | {r['tag']:.2f} | "
            f"{r['mark'] + r['tag']:.2f} | {r['undo']:.2f} |"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

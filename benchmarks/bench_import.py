#!/usr/bin/env python3
"""Import speed and memory for the arXiv metadata snapshot layout (JSONL).

Generates the input once with ``make_corpus.py`` (beside this script) into ``bench-data/``
(gitignored), imports it into a fresh library in a child process, and prints
papers per second and the child's peak RSS. The child imports through the same
code path as ``readinglist import``, full-text index included, and its run is
checked afterwards: every paper is in the library and in the index.

    .venv/bin/python benchmarks/bench_import.py            # 100k papers
    .venv/bin/python benchmarks/bench_import.py -n 20000 --repeat 3
    .venv/bin/python benchmarks/bench_import.py -f bibtex -n 100000 --cli   # whole command
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAKE_CORPUS = ROOT / "benchmarks" / "make_corpus.py"
DATA = ROOT / "bench-data"

CHILD = r"""
import json, resource, sqlite3, sys, time
from pathlib import Path
from readinglist.core.importing import import_files
from readinglist.core.store import Library

src, db = Path(sys.argv[1]), Path(sys.argv[2])
with Library(db) as lib:
    t0, c0 = time.perf_counter(), time.process_time()
    report = import_files(lib, [src], format_name=sys.argv[3] if len(sys.argv) > 3 else None)
    seconds, writer_cpu = time.perf_counter() - t0, time.process_time() - c0
# The helper process that parsed the file has been joined: its CPU time is here.
reader_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
reader_cpu = reader_cpu.ru_utime + reader_cpu.ru_stime
conn = sqlite3.connect(db)
papers = conn.execute("SELECT count(*) FROM papers").fetchone()[0]
indexed = conn.execute("SELECT count(*) FROM papers_fts_docsize").fetchone()[0]
# Raises if the index does not match the papers table exactly.
conn.execute("INSERT INTO papers_fts(papers_fts, rank) VALUES('integrity-check', 1)")
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "writer_cpu": writer_cpu, "reader_cpu": reader_cpu,
                  "added": report.added, "existing": report.existing,
                  "near": len(report.near_duplicates), "papers": papers, "indexed": indexed,
                  "peak_rss_mib": peak_kib / 1024}))
"""


def corpus(n: int, fmt: str, data: Path = DATA) -> Path:
    """The generated input file, made on first use."""
    ext = {"arxiv-jsonl": "jsonl", "bibtex": "bib", "hf-text": "txt"}[fmt]
    path = data / f"{fmt}-{n}.{ext}"
    if not path.exists():
        data.mkdir(exist_ok=True)
        print(f"generating {path.name} with {MAKE_CORPUS.name} ...", file=sys.stderr)
        subprocess.run(
            [sys.executable, str(MAKE_CORPUS), "-n", str(n), "-f", fmt, "-o", str(path)], check=True
        )
    return path


def run_once(src: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(src), str(Path(tmp) / "bench.db")],
            check=True,
            capture_output=True,
            text=True,
        )
        return json.loads(out.stdout)  # type: ignore[no-any-return]


def run_cli(src: Path, fmt: str) -> dict[str, float]:
    """One whole ``readinglist --db NEW import FILE``: wall time, the command's peak RSS, the result."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        # keep = 0: no automatic backup of the (empty) library before a large run.
        (Path(tmp) / "config.toml").write_text("[backups]\nkeep = 0\n")
        env = {**os.environ, "XDG_CONFIG_HOME": tmp, "READINGLIST_CONFIG": str(Path(tmp) / "config.toml")}
        cmd = [
            sys.executable,
            "-m",
            "readinglist",
            "--db",
            str(db),
            "import",
            "--skip-bad",
            "--format",
            fmt,
            str(src),
        ]
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            raise SystemExit(f"import failed: {proc.stderr.read().decode() if proc.stderr else ''}")
        conn = sqlite3.connect(db)
        papers = conn.execute("SELECT count(*) FROM papers").fetchone()[0]
        indexed = conn.execute("SELECT count(*) FROM papers_fts_docsize").fetchone()[0]
        conn.execute("INSERT INTO papers_fts(papers_fts, rank) VALUES('integrity-check', 1)")
        conn.close()
        return {
            "seconds": seconds,
            "papers": papers,
            "indexed": indexed,
            "peak_rss_mib": usage.ru_maxrss / 1024,
            # The reading helper is the command's child: Linux counts its CPU time here too.
            "cpu": usage.ru_utime + usage.ru_stime,
        }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=100_000, help="papers in the generated file")
    ap.add_argument("-f", "--format", default="arxiv-jsonl", choices=["arxiv-jsonl", "bibtex", "hf-text"])
    ap.add_argument("--repeat", type=int, default=1, help="import runs (each into a fresh library)")
    ap.add_argument(
        "--data", type=Path, default=DATA, help=f"where generated inputs are kept (default {DATA})"
    )
    ap.add_argument(
        "--cli",
        action="store_true",
        help="time a whole `readinglist import` command (wall, peak RSS)",
    )
    args = ap.parse_args()
    src = corpus(args.n, args.format, args.data)
    size_mib = src.stat().st_size / 2**20
    print(
        f"input: {src.name}, {args.n:,} papers, {size_mib:.0f} MiB; cpus: {os.cpu_count()}; "
        f"load average before: {os.getloadavg()[0]:.2f}"
    )
    if args.cli:
        print("| run | wall s | CPU s (both processes) | papers/s | papers | peak RSS MiB | FTS ok |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for i in range(1, args.repeat + 1):
            r = run_cli(src, args.format)
            ok = r["indexed"] == r["papers"]
            print(
                f"| {i} | {r['seconds']:.2f} | {r['cpu']:.2f} | {r['papers'] / r['seconds']:,.0f} | "
                f"{r['papers']:,} | "
                f"{r['peak_rss_mib']:.0f} | {'yes' if ok else 'NO'} |"
            )
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        return 0
    print(
        "| run | wall s | papers/s | writer CPU s | reader CPU s | added | already there | near-dups "
        "| peak RSS MiB | FTS ok |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for i in range(1, args.repeat + 1):
        r = run_once(src)
        rate = (r["added"] + r["existing"]) / r["seconds"]
        fts_ok = r["indexed"] == r["papers"] == r["added"]
        print(
            f"| {i} | {r['seconds']:.2f} | {rate:,.0f} | {r['writer_cpu']:.2f} | {r['reader_cpu']:.2f} | "
            f"{r['added']:,} | {r['existing']:,} | "
            f"{r['near']:,} | {r['peak_rss_mib']:.0f} | {'yes' if fts_ok else 'NO'} |"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print("Wall time depends on what else runs; on an idle machine it is about the larger of the two")
    print("CPU times, since the reader process parses while the writer indexes.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``readinglist search`` as a whole process against ``fzf --filter`` over the titles alone.

Each command is one process start, as a user at the shell pays for it: the same
queries, the commands alternating run by run (which one goes first flips every
round), so both see the same machine load. Before timing, the package is
byte-compiled (``python -m compileall``) and the children may write bytecode
caches, as a pip-installed user has them.

Make a 100k library once (from a clone; ``benchmarks/make_corpus.py`` is the project's
corpus generator, any arXiv-snapshot JSONL file works)::

    .venv/bin/python benchmarks/make_corpus.py -n 100000 -f arxiv-jsonl -o bench-data/arxiv-100k.jsonl
    .venv/bin/readinglist --db bench-data/cli-100k.db import bench-data/arxiv-100k.jsonl

or let this script do it (``--corpus FILE`` imports FILE into ``--db`` when that
library does not exist yet). Then::

    .venv/bin/python benchmarks/bench_cli_search.py --db bench-data/cli-100k.db
    .venv/bin/python benchmarks/bench_cli_search.py --db LIB --runs 20 --queries quant "mixture of experts"
    # another build of readinglist alongside, e.g. an older checkout:
    .venv/bin/python benchmarks/bench_cli_search.py --db LIB \
        --also "old=env PYTHONPATH=../old .venv/bin/python -m readinglist"
    # where a search's start-up goes (python -X importtime, median of N runs per module):
    .venv/bin/python benchmarks/bench_cli_search.py --db LIB --importtime 15

fzf must be on PATH (``apt-get install fzf``); without it only our timings print.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

QUERIES = [
    "speculative decoding",
    "retreival augmented",
    "mixture of experts",
    "chinchila",
    "quant",
    "language models",
]
"""Selective words, a typo, a prefix and a common phrase, as a user types them at the shell."""


def default_command() -> list[str]:
    """The ``readinglist`` console script installed beside this interpreter (what a user runs)."""
    script = Path(sys.executable).with_name("readinglist")
    return [str(script)] if script.exists() else [sys.executable, "-m", "readinglist"]


def child_env() -> dict[str, str]:
    """The environment for the timed commands: bytecode caches allowed, as in a normal shell."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def compile_package(python: str) -> None:
    """Byte-compile the ``readinglist`` package that ``python`` imports, as pip does on install."""
    where = subprocess.run(
        [python, "-c", "import os, readinglist; print(os.path.dirname(readinglist.__file__))"],
        capture_output=True,
        text=True,
        check=True,
        env=child_env(),
    ).stdout.strip()
    subprocess.run([python, "-m", "compileall", "-q", where], check=True, env=child_env())


def ensure_library(db: Path, corpus: Path | None, command: list[str]) -> None:
    """Import ``corpus`` into ``db`` with the CLI itself when the library does not exist yet."""
    if db.exists():
        return
    if corpus is None:
        sys.exit(f"{db} does not exist: pass --corpus FILE to build it")
    db.parent.mkdir(parents=True, exist_ok=True)
    print(f"importing {corpus} into {db} ...", flush=True)
    subprocess.run([*command, "--db", str(db), "import", str(corpus)], check=True, stdout=subprocess.DEVNULL)


def titles_file(db: Path) -> Path:
    """Every title of the library, one a line: what fzf searches (written once beside the library)."""
    path = db.with_name(db.name + ".titles.txt")
    if not path.exists() or path.stat().st_mtime < db.stat().st_mtime:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            titles = [row[0].replace("\n", " ") for row in con.execute("SELECT title FROM papers")]
        finally:
            con.close()
        path.write_text("\n".join(titles) + "\n", encoding="utf-8")
    return path


_NEUTRAL = tempfile.mkdtemp(prefix="bench-cli-")
"""The commands' working folder: ``python -m`` puts it first on ``sys.path``, so not a checkout."""


def timed(cmd: list[str], stdin: Path | None = None) -> tuple[float, float, bytes]:
    """Wall time and CPU time (user + system, all threads) of one whole process, and its output.

    The CPU time hardly depends on what else the machine is doing; the wall
    time, what a user waits for, does.
    """
    with open(stdin or os.devnull, "rb") as fh:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(cmd, stdin=fh, capture_output=True, check=False, env=child_env(), cwd=_NEUTRAL)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # fzf exits 1 when nothing matches
        sys.exit(f"{shlex.join(cmd)} failed ({done.returncode}): {done.stderr.decode(errors='replace')}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return elapsed, cpu, done.stdout


def machine() -> str:
    """One line naming the machine, its load and the software versions."""
    cpu = platform.processor() or "unknown CPU"
    with open("/proc/cpuinfo") if os.path.exists("/proc/cpuinfo") else open(os.devnull) as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    fzf = shutil.which("fzf")
    fzf_version = (
        subprocess.run([fzf, "--version"], capture_output=True, text=True).stdout.strip() if fzf else "-"
    )
    return (
        f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, "
        f"fzf {fzf_version}; load average {load}; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )


def bench(
    db: Path, commands: dict[str, list[str]], queries: list[str], runs: int, limit: int
) -> dict[str, float]:
    """Time every command on every query, alternating; print the medians and return each overall one (ms)."""
    fzf = shutil.which("fzf")
    titles = titles_file(db)
    with titles.open("rb") as fh:
        n_titles = sum(1 for _ in fh)
    jobs: dict[tuple[str, str], tuple[list[str], Path | None]] = {}
    for name, query in ((name, q) for name in commands for q in queries):
        cmd = [*commands[name], "--db", str(db), "search", "--limit", str(limit), "--", query]
        jobs[name, query] = (cmd, None)
    if fzf:
        for query in queries:
            jobs["fzf", query] = ([fzf, "--filter", query], titles)
    names = [*commands, *(["fzf"] if fzf else [])]
    wall: dict[tuple[str, str], list[float]] = defaultdict(list)
    cpu: dict[tuple[str, str], list[float]] = defaultdict(list)
    hits: dict[tuple[str, str], int] = {}
    for key, (cmd, stdin) in jobs.items():  # once untimed: page cache and bytecode caches
        hits[key] = timed(cmd, stdin)[2].count(b"\n")
    for round_no in range(runs):
        for query in queries:
            for name in names if round_no % 2 == 0 else names[::-1]:
                elapsed, used, _ = timed(*jobs[name, query])
                wall[name, query].append(elapsed * 1000)
                cpu[name, query].append(used * 1000)
    print(f"library {db} ({n_titles:,} titles); {runs} runs per command and query, alternating")
    print("median wall ms / median CPU ms (lines printed)")
    print()
    print("| query | " + " | ".join(names) + " |")
    print("| --- |" + " --- |" * len(names))
    med = statistics.median
    for query in queries:
        cells = [f"{med(wall[n, query]):.0f} / {med(cpu[n, query]):.0f} ({hits[n, query]})" for n in names]
        print(f"| `{query}` | " + " | ".join(cells) + " |")
    overall = {n: med([t for q in queries for t in wall[n, q]]) for n in names}
    overall_cpu = {n: med([t for q in queries for t in cpu[n, q]]) for n in names}
    totals = [f"**{overall[n]:.0f} / {overall_cpu[n]:.0f}**" for n in names]
    print("| **all queries** | " + " | ".join(totals) + " |")
    print()
    if fzf:
        for name in commands:
            slower = [q for q in queries if med(wall[name, q]) > med(wall["fzf", q])]
            verdict = "no slower than fzf" if overall[name] <= overall["fzf"] else "SLOWER than fzf"
            print(f"{name}: median wall time over all queries {verdict}")
            print(f"  slower than fzf on: {', '.join(slower) or 'none'}")
    print(machine())
    return overall


_IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def importtime(db: Path, commands: dict[str, list[str]], query: str, runs: int, top: int) -> None:
    """Print where each command's start-up goes, module by module (``-X importtime``).

    The commands alternate run by run; each figure is the median of ``runs``
    runs (after one untimed run). ``self`` is a module's own code, ``cumulative``
    includes what it imports; the total is the sum of every module's self time.
    """
    selfs: dict[str, dict[str, list[int]]] = {name: defaultdict(list) for name in commands}
    cumulative: dict[str, dict[str, list[int]]] = {name: defaultdict(list) for name in commands}
    totals: dict[str, list[int]] = {name: [] for name in commands}
    env = child_env() | {"PYTHONPROFILEIMPORTTIME": "1"}
    names = list(commands)
    for run in range(runs + 1):
        for name in names if run % 2 == 0 else names[::-1]:
            cmd = [*commands[name], "--db", str(db), "search", "--", query]
            done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True, cwd=_NEUTRAL)
            if run == 0:
                continue  # fills the page cache and the bytecode caches
            total = 0
            for line in done.stderr.splitlines():
                m = _IMPORT_LINE.match(line)
                if m:
                    selfs[name][m[4]].append(int(m[1]))
                    cumulative[name][m[4]].append(int(m[2]))
                    total += int(m[1])
            totals[name].append(total)
    for name in names:
        med = {mod: statistics.median(v) / 1000 for mod, v in selfs[name].items()}
        cum = {mod: statistics.median(v) / 1000 for mod, v in cumulative[name].items()}
        print(f"## {name}: `{shlex.join(commands[name])} --db LIB search -- {query}`")
        print()
        all_ms = statistics.median(totals[name]) / 1000
        print(f"{len(med)} modules imported, {all_ms:.1f} ms in all (median of {runs} runs)")
        print()
        print("| module | self ms | cumulative ms |")
        print("| --- | --- | --- |")
        for mod in sorted(cum, key=lambda n: -cum[n])[:top]:
            print(f"| `{mod}` | {med[mod]:.1f} | {cum[mod]:.1f} |")
        print()
    print(machine())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, required=True, help="the library to search (100k papers)")
    ap.add_argument("--corpus", type=Path, help="import this file into --db first if --db does not exist")
    ap.add_argument("--runs", type=int, default=12, help="timed runs per command and query")
    ap.add_argument("--limit", type=int, default=20, help="readinglist's --limit (its default is 20)")
    ap.add_argument("--queries", nargs="+", default=QUERIES)
    ap.add_argument(
        "--readinglist",
        default=None,
        metavar="CMD",
        help="how to run readinglist (default: its script)",
    )
    ap.add_argument("--also", action="append", default=[], metavar="NAME=CMD", help="another command to time")
    ap.add_argument("--no-compile", action="store_true", help="leave bytecode caches as they are")
    ap.add_argument("--importtime", type=int, metavar="N", help="instead: import times, median of N runs")
    ap.add_argument("--top", type=int, default=25, help="modules listed by --importtime")
    args = ap.parse_args()
    ours = shlex.split(args.readinglist) if args.readinglist else default_command()
    commands = {"readinglist": ours}
    for spec in args.also:
        name, _, cmd = spec.partition("=")
        commands[name] = shlex.split(cmd)
    ensure_library(args.db, args.corpus, ours)
    if not args.no_compile:
        compile_package(sys.executable)
    if args.importtime:
        importtime(args.db, commands, args.queries[0], args.importtime, args.top)
        return 0
    if not shutil.which("fzf"):
        print("fzf is not on PATH (apt-get install fzf): timing readinglist alone")
    bench(args.db, commands, args.queries, args.runs, args.limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())

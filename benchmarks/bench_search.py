"""Search benchmark: in-process latency at 100k and 1M papers, CLI vs fzf, memory.

Builds libraries from ``make_corpus.py`` output (arxiv-jsonl, beside this script) with
a bulk loader of its own (insert through the schema with the index triggers
off, then one FTS ``rebuild`` and one word-list refresh), caches them under
bench-data/, and prints a table.

    .venv/bin/python benchmarks/bench_search.py            # 100k (+1M if built)
    .venv/bin/python benchmarks/bench_search.py --sizes 100000 1000000
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from readinglist.core import links  # noqa: E402
from readinglist.core.search import SearchCache, SearchEngine, refresh_vocab  # noqa: E402
from readinglist.core.store import Library  # noqa: E402

DATA = ROOT / "bench-data"
MAKE_CORPUS = ROOT / "benchmarks" / "make_corpus.py"
LABEL = {100_000: "100k", 1_000_000: "1m", 10_000: "10k"}

# A fixed mix: common words, rare words, typos, prefixes, fields, phrases, filters.
QUERIES = [
    # common
    "language models",
    "large language models",
    "llms",
    "reasoning",
    "training data",
    "benchmark",
    "attention",
    "performance",
    "model",
    "learning",
    # rare-ish words of the seed vocabulary
    "chinchilla",
    "consensus game",
    "equilibrium",
    "rucola",
    "condenser",
    "replug",
    "infini-gram",
    "knn-lm",
    "tabular",
    "roofline",
    "forgetting",
    "neuroscience",
    # typos
    "retreival augmented",
    "langauge modles",
    "transformr",
    "equilibirum",
    "hallucinaton",
    "optimisation",
    "generalisation",
    "reasonning",
    "quantisation",
    "chinchila",
    # prefixes (the last word being typed)
    "chinchil",
    "quant",
    "retri",
    "l",
    "la",
    "lang",
    "language mod",
    "knowledge dist",
    "in-context lea",
    "mixture of exp",
    # fields and filters
    "title:diffusion",
    "title:reasoning models",
    "author:müller",
    "author:zhang reasoning",
    "year:>=2022 retrieval",
    "year:2024 agents",
    "is:starred",
    "is:starred language",
    "has:notes",
    "#survey",
    "sort:year reasoning",
    "-llms retrieval",
    # phrases and operators
    '"language models"',
    '"in-context learning"',
    '"chain of thought"',
    "retrieval | generation",
    "diffusion | gan images",
    "!survey benchmark",
]


def corpus(n: int) -> Path:
    path = DATA / f"arxiv-{LABEL.get(n, n)}.jsonl"
    if not path.exists():
        DATA.mkdir(exist_ok=True)
        subprocess.run(
            [sys.executable, str(MAKE_CORPUS), "-n", str(n), "-f", "arxiv-jsonl", "-o", str(path)], check=True
        )
    return path


def build(n: int) -> Path:
    """Build (once) a library of n generated papers; returns its path."""
    db_path = DATA / f"library-{LABEL.get(n, n)}.db"
    if db_path.exists():
        return db_path
    src = corpus(n)
    tmp = db_path.with_suffix(".building")
    for p in tmp.parent.glob(tmp.name + "*"):
        p.unlink()
    t0 = time.perf_counter()
    lib = Library(tmp)
    db = lib.db
    triggers = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'papers'"
    ).fetchall()
    for name, _ in triggers:
        db.execute(f"DROP TRIGGER {name}")
    rng = random.Random(7)
    rows = []
    with src.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            rec = json.loads(line)
            title = " ".join(rec["title"].split())
            abstract = rec["abstract"].strip()
            authors = [f"{first} {last}".strip() for last, first, _ in rec["authors_parsed"]]
            date = rec["update_date"]
            rows.append(
                (
                    title,
                    abstract,
                    json.dumps(authors, ensure_ascii=False),
                    int(date[:4]),
                    date,
                    rec["id"],
                    rec["doi"],
                    None,
                    "[]",
                    src.name,
                    f"{date}T12:00:{i % 60:02d}Z",
                    links.normalize_title(title),
                    int(rng.random() < 0.01),
                    "unread",
                    "note about " + title if rng.random() < 0.005 else "",
                )
            )
            if len(rows) == 20_000:
                _insert(db, rows)
                rows = []
    _insert(db, rows)
    db.conn.commit()
    t_insert = time.perf_counter() - t0
    db.execute("INSERT INTO papers_fts(papers_fts) VALUES ('rebuild')")
    db.execute("INSERT INTO papers_title_fts(papers_title_fts) VALUES ('rebuild')")
    db.conn.commit()
    t_fts = time.perf_counter() - t0 - t_insert
    for _, sql in triggers:
        db.execute(sql)
    db.execute("INSERT INTO search_dirty (paper_id, fresh) SELECT id, 1 FROM papers")
    db.conn.commit()
    refresh_vocab(lib)
    t_vocab = time.perf_counter() - t0 - t_insert - t_fts
    db.execute("PRAGMA optimize")
    lib.close()
    shutil.move(tmp, db_path)
    for extra in tmp.parent.glob(tmp.name + "-*"):
        extra.unlink()
    print(
        f"built {db_path.name}: insert {t_insert:.1f} s, fts rebuild {t_fts:.1f} s, "
        f"word list {t_vocab:.1f} s, {db_path.stat().st_size / 2**20:.0f} MiB",
        flush=True,
    )
    return db_path


def _insert(db: object, rows: list[tuple[object, ...]]) -> None:
    assert isinstance(getattr(db, "conn", None), sqlite3.Connection)
    db.conn.executemany(  # type: ignore[attr-defined]
        """INSERT INTO papers (title, abstract, authors, year, date, arxiv_id, doi, url, links, source,
           added_at, title_key, starred, status, notes) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
        rows,
    )


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bench_inprocess(db_path: Path, runs: int, show: bool) -> dict[str, float]:
    lib = Library(db_path)
    # Rows, abstracts and expansions stay cached across runs, as in the app; whole
    # results are not kept, or every run after the warm-up would be a lookup.
    engine = SearchEngine(lib, SearchCache(max_results=0))
    samples: list[float] = []
    cpu: list[float] = []
    per_query: list[tuple[float, str, int | None]] = []
    for q in QUERIES:
        engine.search(q)  # warm the page cache once per query
        times = []
        for _ in range(runs):
            t, c = time.perf_counter(), time.process_time()
            result = engine.search(q, limit=200)
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
        samples += times
        per_query.append((statistics.median(times), q, result.total))
    # The same words typed one key at a time, as the TUI sees them.
    typed: list[float] = []
    for q in ["retrieval augmented generation", "chinchila scaling", "title:reasoning lang"]:
        for k in range(1, len(q) + 1):
            t = time.perf_counter()
            engine.search(q[:k])
            typed.append((time.perf_counter() - t) * 1000)
    if show:
        for ms, q, total in sorted(per_query, reverse=True)[:8]:
            print(f"    slowest: {ms:7.1f} ms  {q!r} (total {total})")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lib.close()
    return {
        "p50": statistics.median(samples),
        "p95": pct(samples, 95),
        "cpu_p95": pct(cpu, 95),
        "max": max(samples),
        "typed_p95": pct(typed, 95),
        "rss": rss,
    }


def bench_cli_vs_fzf(db_path: Path, runs: int) -> tuple[float, float] | None:
    """``readinglist search`` as a whole process against ``fzf --filter`` over the titles.

    The comparison itself lives in ``bench_cli_search.py`` (which also runs on
    its own); this prints its table for the library just built and returns the
    two overall medians in ms.
    """
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_cli_search as cli

    if shutil.which("fzf") is None:
        print("fzf not installed (apt-get install fzf): skipping the CLI comparison")
        return None
    cli.compile_package(sys.executable)
    overall = cli.bench(db_path, {"readinglist": cli.default_command()}, cli.QUERIES, runs * 4, 20)
    return overall["readinglist"], overall["fzf"]


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = int(Path("/proc/meminfo").read_text().split()[1]) / 2**20
    load = Path("/proc/loadavg").read_text().split()[:3]
    return (
        f"Machine: {cpu}, {len(__import__('os').sched_getaffinity(0))} cores, {mem:.0f} GiB; "
        f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}; load average {' '.join(load)}"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--runs", type=int, default=3, help="timed runs per query")
    ap.add_argument("--build-only", action="store_true")
    ap.add_argument("--quiet", action="store_true", help="do not list the slowest queries")
    ap.add_argument("--cli-only", action="store_true", help="only the CLI-vs-fzf comparison")
    args = ap.parse_args()
    rows = []
    for n in args.sizes:
        db_path = build(n)
        if args.build_only:
            continue
        if args.cli_only:
            bench_cli_vs_fzf(db_path, args.runs)
            print(machine())
            continue
        print(f"{n:>9,} papers ({len(QUERIES)} queries x {args.runs} runs):", flush=True)
        res = bench_inprocess(db_path, args.runs, not args.quiet)
        cmp = bench_cli_vs_fzf(db_path, args.runs) if n <= 100_000 else None
        rows.append((n, res, cmp))
    if rows:
        print()
        print(machine())
        print()
        print(
            "| papers | p50 ms | p95 ms | CPU p95 ms | max ms | as-you-type p95 ms | RSS MiB "
            "| CLI ms | fzf ms |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for n, r, c in rows:
            cli = " | ".join(f"{x:.0f}" for x in c) if c else "- | -"
            print(
                f"| {n:,} | {r['p50']:.1f} | {r['p95']:.1f} | {r['cpu_p95']:.1f} | {r['max']:.1f} "
                f"| {r['typed_p95']:.1f} | {r['rss']:.0f} | {cli} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

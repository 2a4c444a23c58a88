"""Typing benchmark: the in-process search the TUI runs per key, cold, as a user types.

Every prefix of a few phrases (``r``, ``re``, ... ``retrieval augmented generation``)
is searched once, in order, the way the TUI's search worker does it
(``SearchEngine(lib).search(text, limit=200, count=False)`` on one connection,
with the engine's cache held across keys when there is one). Each pass runs in
a fresh process, so per-process caches start cold as in a real session. The
garbage collector is paced as the TUI paces it (``readinglist.ui.gc_pacing``:
no automatic collection, young objects collected between keys) unless
``--gc auto``.

``--against DIR`` runs the same passes with another checkout's ``readinglist``
package (for example ``git archive main readinglist | tar -x -C /tmp/base``),
interleaved with ours so both see the same machine load.

    .venv/bin/python benchmarks/bench_typing.py --runs 5
    .venv/bin/python benchmarks/bench_typing.py --runs 5 --against /tmp/base
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHRASES = ["retrieval augmented generation", "mixture of experts", "speculative decoding"]


def child(db: Path, phrases: list[str], paced: bool) -> None:
    """One typing pass in this process; prints ``[[prefix, ms], ...]`` as JSON."""
    from readinglist.core import search
    from readinglist.core.store import Library

    lib = Library(db)
    if paced:
        gc.collect()
        gc.freeze()
        gc.disable()
    cache_cls = getattr(search, "SearchCache", None)
    cache = cache_cls() if cache_cls is not None else None
    kwargs = {"cache": cache} if cache is not None else {}
    out = []
    for phrase in phrases:
        for k in range(1, len(phrase) + 1):
            text = phrase[:k]
            t = time.perf_counter()
            search.SearchEngine(lib, **kwargs).search(text, limit=200, count=False)
            out.append((text, (time.perf_counter() - t) * 1000))
            if paced:
                gc.collect(1)
    lib.close()
    print(json.dumps(out))


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def one_pass(src: Path, db: Path, phrases: list[str], gc_mode: str) -> list[tuple[str, float]]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(src)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "--db", str(db), "--gc", gc_mode]
    cmd += ["--phrases", *phrases]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True, cwd=src)
    return [(t, ms) for t, ms in json.loads(done.stdout.splitlines()[-1])]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, default=ROOT / "bench-data" / "library-100k.db")
    ap.add_argument("--runs", type=int, default=5, help="fresh-process passes per variant")
    ap.add_argument("--against", type=Path, help="a folder holding another readinglist package")
    ap.add_argument("--phrases", nargs="+", default=PHRASES)
    ap.add_argument("--slowest", type=int, default=6, help="list this many slowest prefixes")
    ap.add_argument("--gc", choices=["paced", "auto"], default="paced", help="garbage collection (see above)")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.db, args.phrases, args.gc == "paced")
        return 0
    variants = {"this": ROOT}
    if args.against:
        variants["against"] = args.against.resolve()
    for src in variants.values():
        one_pass(src, args.db, args.phrases, args.gc)  # untimed: page cache and bytecode
    samples: dict[str, list[tuple[str, float]]] = {name: [] for name in variants}
    for _ in range(args.runs):
        for name, src in variants.items():
            samples[name] += one_pass(src, args.db, args.phrases, args.gc)
    keys = sum(len(p) for p in args.phrases)
    print(f"{args.db.name}: {keys} keys x {args.runs} cold passes, limit=200, count=False, gc {args.gc} (ms)")
    for name, rows in samples.items():
        ms = [m for _, m in rows]
        print(
            f"  {name:<8} {variants[name]}: median {statistics.median(ms):5.1f}  p95 {pct(ms, 95):5.1f}  "
            f"p99 {pct(ms, 99):5.1f}  max {max(ms):5.1f}  mean {statistics.fmean(ms):5.1f}"
        )
        per_prefix: dict[str, list[float]] = {}
        for text, m in rows:
            per_prefix.setdefault(text, []).append(m)
        slow = sorted(per_prefix.items(), key=lambda kv: -statistics.median(kv[1]))[: args.slowest]
        print(
            "           slowest (median): " + ", ".join(f"{t!r} {statistics.median(v):.1f}" for t, v in slow)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

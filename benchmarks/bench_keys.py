#!/usr/bin/env python3
"""What stored citation keys cost: the upgrade that gives every paper its key, and an import's key step.

Builds a library of N synthetic papers (authors, years and titles drawn with
many repeats, so clashing keys get letters) at the schema before
``m006_venue_and_key``, then times the upgrade (the migration generates and
writes every key) and, separately, :func:`readinglist.core.paper_keys.settle`
over the same papers (what the end of an import run does for new papers).

    .venv/bin/python benchmarks/bench_keys.py            # 100k papers
    .venv/bin/python benchmarks/bench_keys.py -n 20000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from pathlib import Path

from sqlite_utils import Database

from readinglist.core import paper_keys
from readinglist.core.migrations import migrations
from readinglist.core.store import Library

FIRST = ["Ana", "Bo", "Chen", "Dmitri", "Elif", "François", "Gita", "Hiro", "Ines", "Jonas", "Kwame", "Lena"]
LAST = ["Abebe", "Becker", "Costa", "Dubois", "Erdős", "Fischer", "García", "Hansen", "Ito", "Jensen", "Kim"]
LAST += ["Li", "Müller", "Nakamura", "Okafor", "Petrov", "Quispe", "Rossi", "Schmidt", "Tanaka", "Wang"]
WORDS = """retrieval augmented generation attention graph neural diffusion sparse learning model
transformer language vision policy reward agent memory search index ranking quantization pruning
distillation alignment reasoning planning robust efficient scalable federated causal contrastive""".split()


def build(path: Path, n: int, clash: bool) -> None:
    rng = random.Random(1)
    names = [f"{f} {last}" for f in FIRST for last in LAST][: 4 if clash else None]
    words = WORDS[: 3 if clash else None]
    db = Database(path)
    migrations.apply(db, stop_before="m006_venue_and_key")
    rows = []
    for i in range(1, n + 1):
        title = " ".join(rng.choice(words) for _ in range(6)).capitalize()
        authors = json.dumps(rng.sample(names, 2), ensure_ascii=False)
        rows.append((i, title, authors, rng.randint(1990, 2025), "2020-01-01T00:00:00Z", title.lower()))
    with db.conn:
        db.conn.executemany(
            "INSERT INTO papers (id, title, authors, year, added_at, title_key) VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100_000)
    parser.add_argument("--clash", action="store_true", help="4 authors, 3 title words: most keys clash")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "lib.db"
        build(path, args.n, args.clash)
        t0 = time.perf_counter()
        with Library(path) as lib:
            upgrade = time.perf_counter() - t0
            keys = lib.conn.execute("SELECT count(DISTINCT key), count(*) FROM papers").fetchone()
            with lib.write() as db:
                db.execute("UPDATE papers SET key = ''")
            t1 = time.perf_counter()
            with lib.write() as db:
                paper_keys.settle(db, 1)
            settle = time.perf_counter() - t1
    load = os.getloadavg()[0]
    bases = "clashing" if args.clash else "varied"
    print(f"papers: {args.n} ({bases} authors and titles)  distinct keys: {keys[0]} of {keys[1]}")
    print(f"upgrade (m006, keys for every paper, whole open): {upgrade:.2f} s")
    per = settle / args.n * 1e6
    print(f"settle (an import's key step) for all {args.n}: {settle:.2f} s ({per:.1f} µs a paper)")
    print(f"load average at the end: {load:.2f}")


if __name__ == "__main__":
    main()

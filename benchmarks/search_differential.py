#!/usr/bin/env python3
"""A differential of search results on the bundled sample: dump them, then compare two dumps.

Runs some 5,000 queries on a fresh copy of the sample (every title word as
typed, complete and half-typed, with a swapped-letter typo; title bigrams and
trigrams; 600 abstract words; the held-out queries of
``tests/core/test_search_quality.py``) and writes each query's ranked ids,
scores, spans, total and hint. Run it before and after a change that must not
change results, then compare:

    .venv/bin/python benchmarks/search_differential.py dump before.json   # on the old code
    .venv/bin/python benchmarks/search_differential.py dump after.json    # on the new code
    .venv/bin/python benchmarks/search_differential.py compare before.json after.json
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORD = re.compile(r"[^\W_]+")


def queries(titles: list[str], abstracts: list[str], held_out: list[str]) -> list[str]:
    """The queries, in a fixed order (seeded)."""
    rnd = random.Random(7)
    out = list(held_out)
    for w in sorted({w.lower() for t in titles for w in WORD.findall(t)}):
        out += [w, w + " "]
        if len(w) >= 4:
            out.append(w[: max(3, len(w) - 2)])
        if len(w) >= 5:
            i = rnd.randrange(len(w) - 1)
            out.append(w[:i] + w[i + 1] + w[i] + w[i + 2 :] + " ")
    for t in titles:
        ws = WORD.findall(t.lower())
        for i in range(0, len(ws) - 1, 2):
            out += [" ".join(ws[i : i + 2]), " ".join(ws[i : i + 3]) + " "]
    words = sorted({w.lower() for a in abstracts for w in re.findall(r"[^\W_]{5,}", a)})
    out += rnd.sample(words, min(600, len(words)))
    return list(dict.fromkeys(out))


def dump(path: Path) -> None:
    from readinglist.core.sample import seed_if_new
    from readinglist.core.search import SearchEngine
    from readinglist.core.store import Library

    sys.path.insert(0, str(ROOT / "tests" / "core"))
    from test_search_quality import HELD_OUT

    with tempfile.TemporaryDirectory() as tmp, Library(Path(tmp) / "sample.db") as lib:
        seed_if_new(lib)
        papers = lib.get_many(lib.ids())
        engine = SearchEngine(lib)
        out = {}
        for q in queries([p.title for p in papers], [p.abstract for p in papers], [q for q, _ in HELD_OUT]):
            r = engine.search(q, limit=30)
            out[q] = {
                "ids": [h.paper_id for h in r.hits],
                "scores": [h.score for h in r.hits],
                "spans": [h.spans for h in r.hits],
                "total": r.total,
                "hint": r.hint,
            }
    path.write_text(json.dumps(out))
    print(f"{len(out)} queries -> {path}")


def compare(a_path: Path, b_path: Path) -> int:
    a, b = json.loads(a_path.read_text()), json.loads(b_path.read_text())
    if a.keys() != b.keys():
        print("the two dumps ran different queries")
        return 1
    fields = ("ids", "scores", "spans", "total", "hint")
    differ = {field: [q for q in a if a[q][field] != b[q][field]] for field in fields}
    print(f"{len(a)} queries; differing: " + ", ".join(f"{k} {len(v)}" for k, v in differ.items()))
    for q in differ["ids"][:10]:
        print(f"  {q!r}: {a[q]['ids'][:8]} -> {b[q]['ids'][:8]}")
    return 1 if any(differ.values()) else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("dump").add_argument("out", type=Path)
    cmp = sub.add_parser("compare")
    cmp.add_argument("a", type=Path)
    cmp.add_argument("b", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.out)
        return 0
    return compare(args.a, args.b)


if __name__ == "__main__":
    sys.exit(main())

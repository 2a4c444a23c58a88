"""Finding papers by meaning: embedding throughput, search and related at 100k, memory, quality.

Prints a table per part. Parts (all by default)::

    .venv/bin/python benchmarks/bench_semantic.py                 # everything
    .venv/bin/python benchmarks/bench_semantic.py --part quality  # top-5 hit rates only
    .venv/bin/python benchmarks/bench_semantic.py --part speed --papers 100000 --runs 200
    .venv/bin/python benchmarks/bench_semantic.py --part process --base ../base-checkout

* ``quality``: the description queries of ``benchmarks/data/discovery_queries.json``
  over the bundled sample; a query is a hit when a paper the reader would
  accept is among the first five. Four rankings: the word engine alone
  (every word must match), a plain bm25 OR over the same words, meaning
  alone, and what ``readinglist search`` shows (word matches, then meaning
  fused with bm25 by reciprocal rank fusion).
* ``throughput``: ``Embedder.embed`` over texts made of the sample's words
  (each synthetic paper mixes the title and abstract words of three sample
  papers, so words repeat as in a real library), cold (a fresh model, every
  word new) and warm.
* ``speed``: a library of ``--papers`` vectors (sample vectors mixed and
  perturbed, written to ``paper_vectors`` as ``readinglist index`` writes
  them), then the p50/p95 of a meaning search (embed the query and take the
  top 50) and of ``related`` (top 50), in process, and the vectors' memory.
* ``process``: whole-process ``readinglist search`` on the sample with
  vectors, for a query with a page of word matches (must not load numpy or
  the model) and one that needs meaning results; with ``--base DIR`` (a
  checkout of the code before this work) the same word query there.
"""

from __future__ import annotations

import os

# One BLAS thread, as readinglist.core.semantic sets it: numpy is imported here first.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import json
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from readinglist.core.sample import import_sample
from readinglist.core.search.engine import SearchEngine
from readinglist.core.semantic import fusion
from readinglist.core.semantic.discovery import Discovery
from readinglist.core.semantic.index import digest, embed_pending, quantize
from readinglist.core.semantic.model import Embedder, paper_text
from readinglist.core.store import Library

QUERIES = Path(__file__).parent / "data" / "discovery_queries.json"
TOP = 5


def header(title: str) -> None:
    print(f"\n## {title}\n")


def sample_library(folder: Path, embedder: Embedder) -> Library:
    lib = Library(folder / "sample.db")
    import_sample(lib)
    embed_pending(lib, embedder)
    return lib


def quality(folder: Path, embedder: Embedder) -> None:
    lib = sample_library(folder, embedder)
    discovery = Discovery(lib, embedder)
    ids = {t: i for i, t in lib.conn.execute("SELECT id, title FROM papers")}
    queries = json.loads(QUERIES.read_text())["queries"]
    rankings = {
        "word search alone (every word)": lambda q: [
            h.paper_id for h in SearchEngine(lib).search(q, limit=TOP).hits
        ],
        "bm25, any word (OR)": lambda q: fusion.bm25_or(lib, q, limit=TOP),
        "meaning alone": lambda q: [i for i, _ in discovery.by_meaning(q, TOP)],
        "fused (what search shows)": lambda q: [
            h.paper_id for h in fusion.search(lib, q, limit=20, discovery=discovery).result.hits[:TOP]
        ],
    }
    header(f"Quality over {len(queries)} description queries (sample, 220 papers)")
    print("| ranking | top-1 | top-3 | top-5 hit rate | MRR |\n| --- | --- | --- | --- | --- |")
    for name, rank in rankings.items():
        found = []
        for q in queries:
            accepted = {ids[t] for t in q["accept"]}
            found.append(next((k for k, i in enumerate(rank(q["q"])) if i in accepted), None))
        at = [sum(p is not None and p < n for p in found) for n in (1, 3, TOP)]
        mrr = sum(1 / (p + 1) for p in found if p is not None) / len(queries)
        print(
            f"| {name} | {at[0]} | {at[1]} | {at[2]}/{len(queries)} ({at[2] / len(queries):.0%}) "
            f"| {mrr:.3f} |"
        )
    lib.close()


def synthetic_texts(lib: Library, n: int, seed: int = 1) -> list[str]:
    rows = [paper_text(t, a) for t, a in lib.conn.execute("SELECT title, abstract FROM papers")]
    words = [r.split() for r in rows]
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        a, b, c = rnd.sample(words, 3)
        mix = a[: len(a) // 2] + b[len(b) // 3 : 2 * len(b) // 3] + c[2 * len(c) // 3 :]
        rnd.shuffle(mix)
        out.append(" ".join(mix))
    return out


def throughput(folder: Path, embedder: Embedder, n: int) -> None:
    lib = sample_library(folder, embedder)
    texts = synthetic_texts(lib, n)
    header(
        f"Embedding throughput ({n:,} synthetic papers of about "
        f"{np.mean([len(t) for t in texts]):,.0f} characters)"
    )
    print("| pass | papers/s |\n| --- | --- |")
    cold = Embedder()
    start = time.perf_counter()
    for i in range(0, n, 500):
        cold.embed(texts[i : i + 500])
    print(f"| cold (fresh model, words tokenised as they come) | {n / (time.perf_counter() - start):,.0f} |")
    start = time.perf_counter()
    for i in range(0, n, 500):
        cold.embed(texts[i : i + 500])
    print(f"| warm (words seen before) | {n / (time.perf_counter() - start):,.0f} |")
    # The whole of `readinglist index` on the sample: reading, hashing, embedding, writing.
    with Library(folder / "index.db") as fresh:
        import_sample(fresh)
        start = time.perf_counter()
        done = embed_pending(fresh, Embedder())
        print(
            f"| `embed_pending` on the sample, fresh model (incl. load, writes) "
            f"| {done / (time.perf_counter() - start):,.0f} |"
        )
    lib.close()


def corpus_vectors(embedder: Embedder, corpus: Path, n: int) -> np.ndarray:
    """Embed the first ``n`` papers of an arXiv-snapshot JSONL file, printing the throughput."""
    import orjson

    texts = []
    with corpus.open("rb") as f:
        for line in f:
            record = orjson.loads(line)
            texts.append(paper_text(record["title"], record.get("abstract") or ""))
            if len(texts) >= n:
                break
    fresh = Embedder()
    start = time.perf_counter()
    vectors = np.concatenate([fresh.embed(texts[i : i + 500]) for i in range(0, len(texts), 500)])
    took = time.perf_counter() - start
    header(f"Embedding {len(texts):,} papers of {corpus.name} (fresh model)")
    print("| papers | chars/paper | time | papers/s |\n| --- | --- | --- | --- |")
    chars = sum(map(len, texts)) / len(texts)
    print(f"| {len(texts):,} | {chars:,.0f} | {took:.1f} s | {len(texts) / took:,.0f} |")
    return vectors


def speed(folder: Path, embedder: Embedder, n: int, runs: int, corpus: Path | None) -> None:
    lib = sample_library(folder, embedder)
    if corpus is not None:
        vectors_all = corpus_vectors(embedder, corpus, n)
        n = len(vectors_all)
    else:
        base = embedder.embed(synthetic_texts(lib, 2_000, seed=2))
    rnd = np.random.default_rng(3)
    big = Library(folder / "big.db")
    start = time.perf_counter()
    with big.write() as db:
        for lo in range(0, n, 10_000):
            m = min(10_000, n - lo)
            if corpus is not None:
                vectors = vectors_all[lo : lo + m]
            else:
                pick = rnd.integers(0, len(base), (m, 2))
                noise = 0.05 * rnd.standard_normal((m, 256)).astype(np.float32)
                vectors = base[pick[:, 0]] + 0.5 * base[pick[:, 1]] + noise
                vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            q, scales = quantize(vectors.astype(np.float32))
            db.conn.executemany(
                "INSERT INTO paper_vectors (paper_id, model, digest, scale, vec, stamp) "
                "VALUES (?, ?, ?, ?, ?, 1)",
                [
                    (lo + k + 1, embedder.model_id, digest(str(k)), float(scales[k]), q[k].tobytes())
                    for k in range(m)
                ],
            )
    made = time.perf_counter() - start
    discovery = Discovery(big, embedder)
    start = time.perf_counter()
    matrix = discovery.matrix
    load = time.perf_counter() - start
    queries = [q["q"] for q in json.loads(QUERIES.read_text())["queries"]]

    def timed(fn: object, args: list[object]) -> tuple[float, float]:
        times = []
        for k in range(runs):
            t = time.perf_counter()
            fn(args[k % len(args)])  # type: ignore[operator]
            times.append(time.perf_counter() - t)
        times.sort()
        return statistics.median(times) * 1000, times[int(0.95 * (len(times) - 1))] * 1000

    pids = rnd.integers(1, n + 1, runs).tolist()
    discovery.by_meaning(queries[0], 50)  # the model's first load is not a search
    s50, s95 = timed(lambda q: discovery.by_meaning(q, 50), queries)
    r50, r95 = timed(lambda p: discovery.related(p, 50), pids)
    sets = [rnd.integers(1, n + 1, 30).tolist() for _ in range(20)]
    n50, n95 = timed(lambda s: discovery.read_next(s, 50, skip_read=False), sets)
    # Exactness of the sign-bit shortlist against scoring every vector.
    from readinglist.core.semantic import matrix as matrix_module

    recall = []
    for q in queries[:20]:
        vec = discovery.embed_query(q)
        approx = {i for i, _ in matrix.nearest(vec, 50)}
        exact_scores = (matrix.rows[: len(matrix)].astype(np.float32) @ vec) * matrix.scales[: len(matrix)]
        exact = set(matrix.ids[np.argsort(-exact_scores)[:50]].tolist())
        recall.append(len(approx & exact) / 50)
    header(f"Meaning search at {n:,} papers (in process, {runs} runs each, top 50)")
    print("| what | figure |\n| --- | --- |")
    print(f"| writing {n:,} vectors (int8 + scale) | {made:.1f} s |")
    print(f"| first load of the vectors | {load * 1000:,.0f} ms |")
    print(f"| vector memory (int8 rows, sign bits, scales, ids) | {matrix.nbytes / 2**20:.1f} MiB |")
    print(f"| meaning search (embed query + top 50) p50 / p95 | {s50:.1f} / {s95:.1f} ms |")
    print(f"| related (top 50) p50 / p95 | {r50:.1f} / {r95:.1f} ms |")
    print(f"| read next from 30 papers (top 50) p50 / p95 | {n50:.1f} / {n95:.1f} ms |")
    print(
        f"| top-50 overlap with exact scoring (shortlist {matrix_module.SHORTLIST_MIN:,}) "
        f"| {np.mean(recall):.0%} |"
    )
    big.close()
    lib.close()


def process(folder: Path, embedder: Embedder, runs: int, base: Path | None) -> None:
    lib = sample_library(folder, embedder)
    lib.close()
    db = str(folder / "sample.db")
    root = Path(__file__).parents[1]

    def once(pythonpath: Path, query: str) -> float:
        env = {**os.environ, "PYTHONPATH": str(pythonpath)}
        cmd = [sys.executable, "-m", "readinglist", "--db", db, "search", query]
        start = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, check=True)
        return time.perf_counter() - start

    header(f"`readinglist search` as a whole process (sample with vectors, {runs} runs, codes alternating)")
    print("| query | " + " | ".join(c for c, _ in codes(root, base)) + " |")
    print("| --- |" + " --- |" * len(codes(root, base)))
    for query in ("language", "speculative decoding", "guess ahead with a small draft model"):
        times: dict[str, list[float]] = {c: [] for c, _ in codes(root, base)}
        for path in (p for _, p in codes(root, base)):
            once(path, query)  # warm the caches
        for k in range(runs):
            order = codes(root, base) if k % 2 == 0 else list(reversed(codes(root, base)))
            for code, path in order:
                times[code].append(once(path, query))
        cells = []
        for code, _ in codes(root, base):
            t = sorted(times[code])
            cells.append(f"{statistics.median(t) * 1000:.0f} / {t[int(0.95 * (len(t) - 1))] * 1000:.0f} ms")
        print(f"| `{query}` | " + " | ".join(cells) + " |")


def codes(root: Path, base: Path | None) -> list[tuple[str, Path]]:
    """The checkouts compared: this one, and the one before this work if given."""
    return [("this branch (p50 / p95)", root), *([("before #17 (p50 / p95)", base)] if base else [])]


PHRASES = [
    "speculative decoding",
    "retrieval augmented generation",
    "making big models answer faster",
    "time series forecasting with language models",
    "quantization of weights",
]
"""Typed key by key for the typing part: words that match, and descriptions that need meaning."""


def typing(db: Path, embedder: Embedder) -> None:
    """Keystroke to rows in the app's search worker (``SearchSession.load``), without and with meaning."""
    from readinglist.core.search.session import RowsRequest, SearchSession
    from readinglist.ui.semantic import SemanticModel

    def run(meaning: bool) -> list[float]:
        background = SearchSession(db)
        if meaning:
            semantic = SemanticModel(db)
            semantic.embedder = embedder
            background.semantic = semantic
        times = []
        for phrase in PHRASES:
            for end in range(1, len(phrase) + 1):
                start = time.perf_counter()
                background.load(RowsRequest(query=phrase[:end]), prefetch=40)
                times.append(time.perf_counter() - start)
        background.close()
        return sorted(times)

    run(True)  # the vectors' first load and the page cache are not a keystroke
    header(
        f"Keystroke to rows in the app's search worker ({db.name}, {len(PHRASES)} phrases typed key by key)"
    )
    print("| search | keys | p50 | p95 |\n| --- | --- | --- | --- |")
    for name, meaning in (("words only (model not loaded)", False), ("words + meaning (model loaded)", True)):
        t = run(meaning)
        p50, p95 = statistics.median(t) * 1000, t[int(0.95 * (len(t) - 1))] * 1000
        print(f"| {name} | {len(t)} | {p50:.1f} ms | {p95:.1f} ms |")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--part", choices=["all", "quality", "throughput", "speed", "process", "typing"], default="all"
    )
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--embed", type=int, default=20_000, help="synthetic papers for throughput")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--process-runs", type=int, default=10)
    parser.add_argument(
        "--corpus",
        type=Path,
        help="arXiv-snapshot JSONL (make_corpus.py): embed its papers for the speed part",
    )
    parser.add_argument("--db", type=Path, help="a large library with vectors (typing part)")
    parser.add_argument("--base", type=Path, help="a checkout of the code before this work (process part)")
    args = parser.parse_args()
    print(f"# bench_semantic  {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    embedder = Embedder()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.part in ("all", "quality"):
            (folder / "q").mkdir()
            quality(folder / "q", embedder)
        if args.part in ("all", "throughput"):
            (folder / "t").mkdir()
            throughput(folder / "t", embedder, args.embed)
        if args.part in ("all", "speed"):
            (folder / "s").mkdir()
            speed(folder / "s", embedder, args.papers, args.runs, args.corpus)
        if args.part in ("all", "process"):
            (folder / "p").mkdir()
            process(folder / "p", embedder, args.process_runs, args.base)
    if args.part == "typing":
        if args.db is None:
            parser.error("--part typing needs --db (a library indexed with `readinglist index`)")
        typing(args.db, embedder)
    print(f"\nload average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

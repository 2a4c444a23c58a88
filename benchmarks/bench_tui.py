#!/usr/bin/env python3
"""TUI latency and memory at scale, driven through Pilot on a real library file.

Builds (once, cached) a library from ``make_corpus.py -f arxiv-jsonl`` output
with the real import, then runs the real app headless and prints:
start-up to first frame and to a filled list, keystroke-to-updated-list
latency while typing a query, cursor moves, view switches, and RSS.

    .venv/bin/python benchmarks/bench_tui.py -n 100000
"""

from __future__ import annotations

# First, as the `readinglist` command does: the app's package sets Textual's frame
# rate before Textual loads (readinglist/ui/__init__.py); the probe imports Textual.
import readinglist.ui  # isort: skip  # noqa: F401

import argparse
import asyncio
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from contextlib import closing
from pathlib import Path
from typing import Any

# The script's own folder is on sys.path when it runs.
from tui_probe import FrameProbe

from readinglist.config import Settings
from readinglist.core.importing import import_files
from readinglist.core.models import View
from readinglist.core.sample import SEEDED_KEY
from readinglist.core.store import Library, now

ROOT = Path(__file__).resolve().parent.parent
MAKE_CORPUS = ROOT / "benchmarks" / "make_corpus.py"


def corpus(n: int, data: Path) -> Path:
    path = data / f"arxiv-{n}.jsonl"
    if not path.exists():
        print(f"generating {path} …", flush=True)
        subprocess.run(
            [sys.executable, str(MAKE_CORPUS), "-n", str(n), "-f", "arxiv-jsonl", "-o", str(path)], check=True
        )
    return path


def build_library(n: int, data: Path) -> Path:
    db = data / f"lib-{n}.db"
    if db.exists():
        return db
    src = corpus(n, data)
    tmp = db.with_suffix(".tmp.db")
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        p.unlink(missing_ok=True)
    start = time.perf_counter()
    with Library(tmp) as lib:
        # The import a user runs, so the library (word list included) is what theirs would be.
        report = import_files(lib, [src], format_name="arxiv-jsonl")
        lib.set_meta(SEEDED_KEY, now())  # a used library: no sample
        ids = lib.ids()
        for i in ids[:40:3]:
            lib.set_starred(i, True)
        for i in ids[5:25]:
            lib.queue_add(i)
    tmp.rename(db)
    print(f"built {db.name}: {report.added} papers in {time.perf_counter() - start:.1f} s", flush=True)
    return db


TYPED_QUERIES = ("retrieval augmented generation", "mixture of experts", "speculative decoding")
# Queries typed for the first time: a search the app ran before is answered
# from its cache, which would flatter the later parts.
PACED_QUERIES = ("chain of thought prompting", "knowledge distillation", "vision language models")
BURST_QUERIES = ("instruction tuning", "code generation", "in-context learning")


def load() -> str:
    """The load average, printed with every figure (other jobs share the machine)."""
    one, five, _ = os.getloadavg()
    return f"load {one:.2f}/{five:.2f}"


def pending_writes(db: Path) -> list[str]:
    """What opening ``db`` in the app would write to it, found without writing anything."""
    from readinglist.core.schema import MIGRATION_NAMES

    # Without a write-ahead log beside it, "immutable" reads without even creating one.
    mode = "ro" if Path(f"{db}-wal").exists() else "ro&immutable=1"
    with closing(sqlite3.connect(f"file:{db}?mode={mode}", uri=True)) as conn:
        done = {row[0] for row in conn.execute("SELECT name FROM _sqlite_migrations")}
        seeded = conn.execute("SELECT 1 FROM meta WHERE key = ?", [SEEDED_KEY]).fetchone()
        dirty = conn.execute("SELECT EXISTS (SELECT 1 FROM search_dirty)").fetchone()[0]
    with db.open("rb") as handle:
        header = handle.read(20)  # bytes 18 and 19 are 2 in a WAL-mode file
    wal = header[18:20] == b"\x02\x02"
    out = [f"migration {name}" for name in MIGRATION_NAMES if name not in done]
    if not seeded:
        out.append(f"the {SEEDED_KEY} marker")
    if dirty:
        out.append("a search word-list refresh")
    if not wal:
        out.append("the switch to WAL mode")
    return out


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def fmt(values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    return f"median {statistics.median(ms):6.1f} ms  p95 {p95:6.1f} ms  max {ms[-1]:6.1f} ms  (n={len(ms)})"


async def run(db: Path, size: tuple[int, int], query: str, typing_only: bool = False) -> None:
    from textual.widgets import Input

    from readinglist.core.search.session import SearchSession
    from readinglist.ui.app import make_app
    from readinglist.ui.screens.main import MainScreen
    from readinglist.ui.widgets.paper_list import PaperList

    # Time each worker query on its own, to split search time from UI time.
    loads: list[float] = []
    view_loads: list[float] = []
    original_load = SearchSession.load

    def timed_load(self: SearchSession, request: object, *args: object) -> object:
        t = time.perf_counter()
        rows = original_load(self, request, *args)  # type: ignore[arg-type]
        # Only loads that ran (a superseded one raises); searches apart from whole
        # views (the clears between queries load those).
        (loads if request.query.strip() else view_loads).append(time.perf_counter() - t)  # type: ignore[attr-defined]
        return rows

    SearchSession.load = timed_load  # type: ignore[assignment,method-assign]

    rss_before = rss_mib()
    t0 = time.perf_counter()
    app = make_app(db, Settings(), system_copy=lambda text: False)
    async with app.run_test(size=size) as pilot:
        t_first = time.perf_counter() - t0
        screen = app.screen_stack[0]
        assert isinstance(screen, MainScreen)
        papers = screen.query_one(PaperList)
        while screen.rows is None or screen.rows.partial:  # the first page, then every id
            await asyncio.sleep(0.002)
        await pilot.pause()
        t_filled = time.perf_counter() - t0
        from textual.constants import MAX_FPS

        print(f"\nlibrary: {papers.row_count} papers, terminal {size[0]}x{size[1]}, {MAX_FPS} fps")
        print(f"start-up to first frame (headless, run_test ready): {t_first * 1000:7.1f} ms")
        print(f"start-up to list filled ({papers.row_count} rows):       {t_filled * 1000:7.1f} ms")
        print(f"  of which the worker's ids() query:                 {view_loads[0] * 1000:7.1f} ms")

        search = screen.query_one("#search", Input)
        search.focus()
        await pilot.pause()
        probe = FrameProbe(app, screen)
        seen: list[float] = []
        key_latency: list[float] = []
        loads.clear()
        matches = []

        async def clear() -> None:
            search.value = ""
            await pilot.pause(0.3)
            await app.workers.wait_for_complete()
            await pilot.pause()

        queries = [query, *(q for q in TYPED_QUERIES if q != query)]
        for text in queries:
            await clear()
            typed = ""
            for char in text:
                typed += char
                t = time.perf_counter()
                await pilot.press("space" if char == " " else char)
                seen.append(await probe.wait_for(typed, probe.keys[-1][0]))
                await pilot.pause()
                key_latency.append(time.perf_counter() - t)
                assert screen.rows is not None and screen.rows.request.query == typed
            matches.append(screen.rows.matches if screen.rows else None)
        print(f"\ntyping {len(queries)} queries one key at a time, each until its results are painted:")
        print(f"  key reaches the app -> frame with its results: {fmt(seen)}  [{load()}]")
        print(f"  of which the search worker: {fmt(loads)}")
        print(f"  Pilot round trip incl. its wait for idle: {fmt(key_latency)}")
        print(f"  (queries: {', '.join(queries)}; final matches: {matches})")

        print(f"typing {', '.join(PACED_QUERIES)} at a human pace (a key every 80-150 ms, not waiting):")
        await type_paced(probe, clear, PACED_QUERIES, loads)
        if typing_only:
            print(f"RSS: {rss_mib():.0f} MiB now ({rss_before:.0f} MiB before the app)")
            return

        print(f"typing {', '.join(BURST_QUERIES)} in a fast burst (a key every 20-40 ms):")
        finals = []
        loads.clear()
        for seed, text in enumerate(BURST_QUERIES):
            await clear()
            _, _, last = await probe.type_at_pace(text, 0.02, 0.04, seed)
            finals.append(last)
            await pilot.pause()
        print(f"  last key of each query -> its results: {fmt(finals)}  [{load()}]")
        keys = sum(len(text) for text in BURST_QUERIES)
        print(f"  searches run: {len(loads)} for {keys} keys (and {len(BURST_QUERIES)} clears)")

        idle: list[float] = []
        for _ in range(20):
            t = time.perf_counter()
            await pilot.press("f12")  # bound to nothing: pure Pilot overhead
            idle.append(time.perf_counter() - t)
        print(f"Pilot overhead of one key press that does nothing: {fmt(idle)}")

        search.value = ""
        await pilot.press("escape")
        while screen.rows is None or screen.rows.request.query:
            await asyncio.sleep(0.002)
        await pilot.pause()
        moves: list[float] = []
        for key in ["j"] * 30 + ["pagedown"] * 5 + ["G", "g", "k"]:
            t = time.perf_counter()
            await pilot.press(key)
            moves.append(time.perf_counter() - t)
        print("\ncursor keys (j x30, pagedown x5, G, g, k) incl. details pane update and repaint:")
        print(f"  {fmt(moves)}")
        print("  (pilot.press waits for idle: docs/tech-notes.md §1 measured 70-100 ms of that per key)")

        switches: list[tuple[str, float, float]] = []
        for key, view in (("3", View.STARRED), ("2", View.QUEUE), ("4", View.UNREAD), ("1", View.ALL)):
            await pilot.press(key)
            shown = await probe.wait_for("", probe.keys[-1][0], view)
            while screen.rows is None or screen.rows.partial:  # then every id of the view
                await asyncio.sleep(0.002)
            full = time.perf_counter() - probe.keys[-1][0]
            await pilot.pause()
            switches.append((f"{view.value} ({papers.row_count} rows)", shown, full))
        print(f"\nview switch: key -> first rows on screen / every id loaded  [{load()}]")
        for label, shown, full in switches:
            print(f"  {label:<22} {shown * 1000:7.1f} ms / {full * 1000:7.1f} ms")

        t = time.perf_counter()
        papers.set_rows(list(papers.ids))
        await pilot.pause()
        secs = time.perf_counter() - t
        print(f"\nreplacing all {papers.row_count} rows of the list + repaint: {secs * 1000:.1f} ms")
        print(
            f"\nRSS: {rss_mib():.0f} MiB now ({rss_before:.0f} MiB before the app), "
            f"peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
        )


async def type_paced(
    probe: FrameProbe, clear: Callable[[], Awaitable[None]], queries: tuple[str, ...], loads: list[float]
) -> None:
    """Type ``queries`` a key every 80-150 ms without waiting, and print what each key took."""
    paced: list[float] = []
    finals: list[float] = []
    skipped = keys = 0
    loads.clear()
    for seed, text in enumerate(queries):
        await clear()
        shown, missed, last = await probe.type_at_pace(text, 0.08, 0.15, seed)
        paced += shown
        finals.append(last)
        skipped += missed
        keys += len(text)
    print(f"  key -> frame with that key's results: {fmt(paced)}  [{load()}]")
    print(f"  of which the search worker (searches that ran): {fmt(loads)}")
    print(f"  keys whose results were never shown (overtaken by a newer key): {skipped} of {keys}")
    print(f"  last key of each query -> its results: {fmt(finals)}")


async def paced_in_a_new_app(db: Path, size: tuple[int, int], queries: tuple[str, ...]) -> None:
    """The human-pace typing of ``queries`` in an app of its own, whose caches never saw them."""
    from textual.widgets import Input

    from readinglist.core.search.session import RowsRequest, SearchSession
    from readinglist.ui.app import make_app
    from readinglist.ui.screens.main import MainScreen

    loads: list[float] = []
    original_load = SearchSession.load

    def timed_load(self: SearchSession, request: RowsRequest, *args: Any) -> Any:
        t = time.perf_counter()
        rows = original_load(self, request, *args)
        if request.query.strip():
            loads.append(time.perf_counter() - t)
        return rows

    SearchSession.load = timed_load  # type: ignore[method-assign]
    try:
        app = make_app(db, Settings(), system_copy=lambda text: False)
        async with app.run_test(size=size) as pilot:
            screen = app.screen_stack[0]
            assert isinstance(screen, MainScreen)
            while screen.rows is None or screen.rows.partial:
                await asyncio.sleep(0.002)
            search = screen.query_one("#search", Input)
            search.focus()
            await pilot.pause()
            probe = FrameProbe(app, screen)

            async def clear() -> None:
                search.value = ""
                await pilot.pause(0.3)
                await app.workers.wait_for_complete()
                await pilot.pause()

            print(f"typing {', '.join(queries)} at a human pace again, in a new app (caches never saw them):")
            await type_paced(probe, clear, queries, loads)
    finally:
        SearchSession.load = original_load  # type: ignore[method-assign]


async def startup(db: Path, size: tuple[int, int]) -> tuple[float, float, int]:
    """Seconds to the first frame and to a filled list, and the rows shown."""
    from readinglist.ui.app import make_app
    from readinglist.ui.screens.main import MainScreen
    from readinglist.ui.widgets.paper_list import PaperList

    t0 = time.perf_counter()
    app = make_app(db, Settings(), system_copy=lambda text: False)
    async with app.run_test(size=size) as pilot:
        first = time.perf_counter() - t0
        screen = app.screen_stack[0]
        assert isinstance(screen, MainScreen)
        while screen.rows is None or screen.rows.partial:
            await asyncio.sleep(0.002)
        await pilot.pause()
        return first, time.perf_counter() - t0, screen.query_one(PaperList).row_count


def compare_startup(big: Path, data: Path, size: tuple[int, int]) -> None:
    from readinglist.core.sample import seed_if_new

    small = data / "lib-sample.db"
    if not small.exists():
        with Library(small) as lib:
            seed_if_new(lib)
    print("\nstart-up, 3 runs each (first frame / list filled):")
    for db in (small, big):
        runs = [asyncio.run(startup(db, size)) for _ in range(3)]
        frames = ", ".join(f"{f * 1000:.0f}/{full * 1000:.0f} ms" for f, full, _ in runs)
        print(f"  {runs[0][2]:>7} papers: {frames}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("-n", type=int, default=100_000, help="papers in the library")
    parser.add_argument("--data", type=Path, default=ROOT / "bench-data", help="cache folder")
    parser.add_argument("--size", default="120x40", help="terminal size")
    parser.add_argument("--query", default="retrieval augmented generation")
    parser.add_argument("--typing-only", action="store_true", help="stop after the typing figures")
    parser.add_argument(
        "--db", type=Path, help="run against this existing library instead (checked first: never written)"
    )
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    if args.db is not None:
        db = args.db
        writes = pending_writes(db)
        if writes:
            # A big library cannot simply be copied first: say so rather than touch it.
            sys.exit(f"{db}: opening it would write {', '.join(writes)}; run against an upgraded copy")
        before = db.stat()
        print(f"library {db} ({before.st_size / 2**30:.2f} GiB): no migration or other write pending")
    else:
        db = build_library(args.n, args.data)
        # A library written by an older schema is upgraded on its first open; time that apart.
        t = time.perf_counter()
        Library(db).close()
        ms = (time.perf_counter() - t) * 1000
        print(f"opening the library once (applies any pending migration): {ms:.0f} ms")
    width, height = (int(v) for v in args.size.split("x"))
    asyncio.run(run(db, (width, height), args.query, args.typing_only))
    asyncio.run(paced_in_a_new_app(db, (width, height), TYPED_QUERIES))
    if not args.typing_only:
        compare_startup(db, args.data, (width, height))
    if args.db is not None:
        after = db.stat()
        same = (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
        print(f"\n{db}: {'unchanged' if same else 'CHANGED'} (size and modification time)")


if __name__ == "__main__":
    main()

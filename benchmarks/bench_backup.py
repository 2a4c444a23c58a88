"""What a backup costs at 100k papers: the copy, an import's automatic backup, restore, disk.

Uses the 100k-paper library that ``bench_search.py`` builds (and caches under
bench-data/), copies it to a scratch folder, and prints one table.

    .venv/bin/python benchmarks/bench_backup.py             # 100k papers, 3 runs each
    .venv/bin/python benchmarks/bench_backup.py --size 10000 --runs 5
    .venv/bin/python benchmarks/bench_backup.py --make-corpus OTHER/make_corpus.py
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import bench_search  # noqa: E402
from bench_search import build, machine  # noqa: E402

from readinglist.core import backups, exporter  # noqa: E402
from readinglist.core.importing import import_files  # noqa: E402
from readinglist.core.store import Library  # noqa: E402

IMPORTED = backups.IMPORT_BACKUP_MIN + 1


def _papers(path: Path, count: int) -> Path:
    rows = [
        {
            "title": f"Benchmark paper {i} about backup cost {i * 7919}",
            "abstract": "words " * 150,
            "year": 2024,
        }
        for i in range(count)
    ]
    path.write_text(json.dumps(rows), encoding="utf-8")
    return path


def _median(runs: int, setup: Callable[[int], object], timed: Callable[[int], object]) -> float:
    times = []
    for i in range(runs):
        setup(i)
        start = time.perf_counter()
        timed(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=100_000, help="papers in the library (default 100000)")
    ap.add_argument("--runs", type=int, default=3, help="runs per figure; the median is shown")
    ap.add_argument(
        "--make-corpus",
        type=Path,
        default=bench_search.MAKE_CORPUS,
        help=f"the corpus generator (default {bench_search.MAKE_CORPUS})",
    )
    args = ap.parse_args()
    bench_search.MAKE_CORPUS = args.make_corpus
    source = build(args.size)
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(dir=source.parent) as scratch_name:
        scratch = Path(scratch_name)
        lib_path = scratch / "library.db"
        shutil.copyfile(source, lib_path)
        size_mib = lib_path.stat().st_size / 2**20
        with Library(lib_path, keep_backups=5) as lib:
            count = lib.count()

            def fresh_folder(_: int) -> None:
                shutil.rmtree(scratch / "backups", ignore_errors=True)

            copy_s = _median(args.runs, fresh_folder, lambda _: exporter.backup(lib))
            auto_s = _median(
                args.runs,
                lambda _: None,
                lambda _: backups.automatic_backup(lib_path, lib_path, backups.BEFORE_IMPORT, keep=5),
            )
        rows.append(("library", f"{count:,} papers, {size_mib:.0f} MiB"))
        rows.append(
            ("`readinglist backup` (backup API copy)", f"{copy_s:.2f} s ({size_mib / copy_s:.0f} MiB/s)")
        )
        rows.append(("automatic backup (copy + pruning to 5)", f"{auto_s:.2f} s"))

        papers = _papers(scratch / "papers.json", IMPORTED)

        def restore_library(_: int) -> None:
            shutil.rmtree(scratch / "backups", ignore_errors=True)
            shutil.copyfile(source, lib_path)
            for extra in ("-wal", "-shm"):
                Path(f"{lib_path}{extra}").unlink(missing_ok=True)

        def import_with(keep: int) -> float:
            def run(_: int) -> None:
                with Library(lib_path, keep_backups=keep) as lib:
                    report = import_files(lib, [papers])
                    assert report.added == IMPORTED, report.summary()

            return _median(args.runs, restore_library, run)

        with_backup = import_with(5)
        without = import_with(0)
        rows.append(
            (
                f"import of {IMPORTED:,} papers, `keep = 0` / default",
                f"{without:.2f} s / {with_backup:.2f} s (+{with_backup - without:.2f} s)",
            )
        )
        restore_library(0)
        with Library(lib_path) as lib:
            old = exporter.backup(lib, scratch / "old.db")
        restore_s = _median(
            args.runs,
            lambda _: shutil.rmtree(scratch / "backups", ignore_errors=True),
            lambda _: backups.restore(lib_path, old),
        )
        check_s = _median(args.runs, lambda _: None, lambda _: backups.check_library_file(old))
        rows.append(("`readinglist restore` (check + keep a copy + restore)", f"{restore_s:.2f} s"))
        rows.append(("of which checking the backup (`PRAGMA quick_check`)", f"{check_s:.2f} s"))
        rows.append(("disk for the 5 kept automatic backups", f"{5 * size_mib:.0f} MiB"))
    print(machine())
    print(
        f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; command: {' '.join(sys.argv)}; median of {args.runs}"
    )
    print()
    print("| what | cost |")
    print("| --- | --- |")
    for what, cost in rows:
        print(f"| {what} | {cost} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

#!/usr/bin/env python3
"""The reading side of an import, in process: CPU seconds to read, prepare and count a file's papers.

What the import's reading helper process does for every batch
(``reader._batches(..., count=True)``: parse, ``prepare``, ``count_batch``), then
the pickling it sends, timed apart. Run it against the code before a change
with ``PYTHONPATH`` pointing at an export of that code, alternately with the
code after, under the same load:

    .venv/bin/python benchmarks/bench_reader.py bench-data/arxiv-jsonl-100000.jsonl
    PYTHONPATH=/tmp/before .venv/bin/python benchmarks/bench_reader.py bench-data/bibtex-100000.bib
"""

from __future__ import annotations

import argparse
import os
import pickle
import time
from pathlib import Path

from readinglist.core.formats import get_format
from readinglist.core.importing import reader


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file", type=Path)
    ap.add_argument("-f", "--format", help="format name (default: bibtex for .bib, else arxiv-jsonl)")
    args = ap.parse_args()
    name = args.format or ("bibtex" if args.file.suffix == ".bib" else "arxiv-jsonl")
    cpu0, wall0 = time.process_time(), time.perf_counter()
    papers = 0
    pickling = 0.0
    for batch in reader._batches([(args.file, get_format(name))], 1000, count=True):
        papers += len(batch.items)
        t = time.process_time()
        items = [tuple(i) if type(i) is reader.Prepared else i for i in batch.items]
        pickle.dumps(("batch", str(batch.path), items, None, 0, dict(batch.counts or {})), protocol=5)
        pickling += time.process_time() - t
    cpu = time.process_time() - cpu0 - pickling
    print(
        f"{name}: {papers:,} papers; read+prepare+count {cpu:.2f} CPU s, pickling {pickling:.2f} CPU s, "
        f"wall {time.perf_counter() - wall0:.2f} s; load average {os.getloadavg()[0]:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

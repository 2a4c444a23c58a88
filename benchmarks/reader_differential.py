#!/usr/bin/env python3
"""Every batch the import reader makes from some files, compared between two versions of the code.

Each side runs in its own process (``PYTHONPATH`` set to a tree of the code),
reads the files as the reading helper does (``reader._batches(..., count=True)``)
and pickles every prepared tuple, bad entry, error and word count; the two are
then compared exactly. Used for #13 (cheaper reading of an entry: the output
must not change by a byte):

    git archive 5b38bc9 | tar -x -C /tmp/before
    .venv/bin/python benchmarks/reader_differential.py /tmp/before . bench-data/x.bib tests/data/*.bib
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

DUMP = """
import pickle, sys
from pathlib import Path
from readinglist.core.formats import get_format
from readinglist.core.importing import reader
out = []
for f in sys.argv[2:]:
    name = "bibtex" if f.endswith((".bib", ".bibtex")) else "arxiv-jsonl"
    for b in reader._batches([(Path(f), get_format(name))], 1000, count=True):
        items = [
            tuple(i) if type(i) is reader.Prepared else ("bad", i.path, i.line, i.reason) for i in b.items
        ]
        error = None if b.error is None else (b.error.path, b.error.line, b.error.reason)
        out.append((f, items, error, sorted((b.counts or {}).items())))
with open(sys.argv[1], "wb") as handle:
    pickle.dump(out, handle)
"""


def dump(tree: str, files: list[str], out: Path) -> list[tuple[object, ...]]:
    env = {**os.environ, "PYTHONPATH": str(Path(tree).resolve())}
    subprocess.run([sys.executable, "-c", DUMP, str(out), *files], check=True, env=env)
    with out.open("rb") as handle:
        return pickle.load(handle)  # type: ignore[no-any-return]


def main() -> int:
    if len(sys.argv) < 4:
        print(__doc__)
        return 2
    before_tree, after_tree, *files = sys.argv[1:]
    files = [str(Path(f).resolve()) for f in files]
    with tempfile.TemporaryDirectory() as tmp:
        before = dump(before_tree, files, Path(tmp) / "before.pkl")
        after = dump(after_tree, files, Path(tmp) / "after.pkl")
    differ = 0
    for old, new in zip(before, after, strict=False):
        if old != new:
            differ += 1
            print(f"differs: a batch of {old[0]}")
    if len(before) != len(after):
        differ += 1
        print(f"differs: {len(before)} batches before, {len(after)} after")
    papers = sum(len(b[1]) for b in after)
    verdict = "identical" if not differ else "DIFFERENT"
    print(f"{len(after)} batches, {papers:,} items and their word counts: {verdict}")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())

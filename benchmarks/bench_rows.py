#!/usr/bin/env python3
"""The cost of drawing one list row (columns: title, author, year, tags), per row and width.

A frame draws only the visible rows (docs/tech-notes.md §2), and a row drawn before is
reused from the list's strip cache; this times the uncached path, the one a scroll pays.

    .venv/bin/python benchmarks/bench_rows.py -n 20000
"""

from __future__ import annotations

import argparse
import random
import time

from rich.style import Style

from readinglist.core.models import Paper, Status
from readinglist.ui.widgets.paper_rows import row_content, row_segments

WORDS = "retrieval augmented generation language models dense passage sparse attention graph".split()


def papers(n: int) -> list[Paper]:
    """``n`` papers shaped like an arXiv import: 5-14 word titles, 1-8 authors, 0-4 tags."""
    rng = random.Random(7)
    return [
        Paper(
            id=i,
            title=" ".join(rng.choices(WORDS, k=rng.randint(5, 14))).title(),
            abstract="",
            authors=tuple(f"Given{j} Surname{rng.randint(0, 999)}" for j in range(rng.randint(1, 8))),
            year=rng.randint(1990, 2026),
            date=None,
            arxiv_id=None,
            doi=None,
            url=None,
            links=(),
            source="",
            added_at="2026-01-01T00:00:00Z",
            starred=rng.random() < 0.2,
            status=Status.UNREAD,
            queue_position=None,
            tags=tuple(rng.sample(WORDS, rng.randint(0, 4))),
            notes="",
            notes_updated_at=None,
        )
        for i in range(n)
    ]


def main() -> None:
    """Print microseconds per row at a few list widths."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("-n", type=int, default=20_000, help="rows to draw per width")
    args = parser.parse_args()
    rows = papers(args.n)
    styles = {name: Style() for name in ("star", "mark", "match", "tags")}
    spans = {p.id: [(0, 9)] for p in rows[::3]}
    print("| list text width | µs per row (content + segments) |")
    print("| --- | --- |")
    for width in (33, 45, 63, 117):
        start = time.perf_counter()
        for paper in rows:
            content = row_content(paper, spans, False)
            row_segments(paper, content.mark, content.spans, width, Style(), styles, False, content.added)
        print(f"| {width} | {(time.perf_counter() - start) / len(rows) * 1e6:.1f} |")


if __name__ == "__main__":
    main()

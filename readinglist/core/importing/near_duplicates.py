"""Finding titles that are nearly, but not exactly, the same as stored ones.

Comparing each new title with every stored one would not scale, so a title is
only compared with papers that share its first nine tenths (a range on the
``title_key`` index) or its last 28 characters (the expression index of
migration m004), and whose length is within the 5% a ratio of 95 allows. One
query serves a whole batch; rapidfuzz scores the few candidates.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from rapidfuzz import fuzz

if TYPE_CHECKING:  # sqlite-utils is slow to import; only the type is needed here
    from sqlite_utils import Database

    from readinglist.core.models import ImportReport

MAX_NEAR_MESSAGES = 1000
"""Pairs of papers kept apart listed in an import's report; beyond, only counted."""
NEAR_RATIO = 95.0
TAIL_CHARS = 28
"""Candidates share a title's last this many characters (see migration m004)…"""
HEAD_SHARE = 0.9
"""… or the first nine tenths of it: a ratio of 95 allows about a tenth of the title to differ."""


_PROBES = "near_duplicate_probes"
# Columns without types: a TEXT tail would give the comparison with the (untyped)
# expression index an affinity that keeps the planner off that index.
_PROBE_TABLE = f"CREATE TEMP TABLE IF NOT EXISTS {_PROBES} (i INTEGER PRIMARY KEY, id, head, tail, lo, hi)"
# Candidates share the head (a range on the title_key index) or the tail (the
# expression index of m004), in probe order, then index order. CROSS JOIN keeps
# the probes outside: the planner, knowing nothing of the temporary table, would
# otherwise scan every paper for the tails.
_CANDIDATES = f"""
    SELECT v.i, p.id, p.title_key FROM temp.{_PROBES} v CROSS JOIN papers p
      ON p.title_key >= v.head AND p.title_key < v.head || char(1114111)
     AND length(p.title_key) BETWEEN v.lo AND v.hi AND p.id < v.id
    UNION ALL
    SELECT v.i, p.id, p.title_key FROM temp.{_PROBES} v CROSS JOIN papers p
      ON substr(p.title_key, -{TAIL_CHARS}) = v.tail AND length(p.title_key) BETWEEN v.lo AND v.hi
     AND p.id < v.id"""


class NearDuplicate(NamedTuple):
    """A new paper whose title is close to an older paper's."""

    position: int
    """Position of the new paper in the list given to :func:`find`."""
    other_id: int
    score: float


def find(db: Database, papers: Sequence[tuple[int, str]]) -> list[NearDuplicate]:
    """The best near-duplicate, if any, of each ``(id, title_key)`` in ``papers``.

    Only papers with a lower id are candidates: every stored paper has a lower
    id than a new one, and of two new papers the later one is reported.
    """
    if not papers:
        return []
    probes = []
    for n, (paper_id, key) in enumerate(papers):
        size = len(key)
        # ratio >= 95 needs the lengths within 5% of their sum of each other.
        lo, hi = int(size * 0.95 / 1.05), int(size * 1.05 / 0.95) + 1
        head = key[: max(8, math.floor(size * HEAD_SHARE))]
        probes.append((n, paper_id, head, key[-TAIL_CHARS:], lo, hi))
    # The probes go in a temporary table, not a VALUES list in the query: SQLite
    # copies such a list for each of the query's two uses while compiling it, a
    # malloc per value (1.4 s of a 100k import went to compiling these queries).
    db.execute(_PROBE_TABLE)
    try:
        db.conn.executemany(f"INSERT INTO temp.{_PROBES} VALUES (?, ?, ?, ?, ?, ?)", probes)
        candidates = db.execute(_CANDIDATES).fetchall()
    finally:
        db.execute(f"DELETE FROM temp.{_PROBES}")
    # Tens of thousands of candidates per 100k titles (common endings such as
    # "large language models"), most of them far off: keep this loop lean.
    keys = [key for _, key in papers]
    ratio = fuzz.ratio
    best: dict[int, tuple[float, int]] = {}
    for index, other_id, other_key in candidates:
        score = ratio(keys[index], other_key, score_cutoff=NEAR_RATIO)
        if score and score > best.get(index, (0.0, 0))[0]:
            best[index] = (score, other_id)
    return [NearDuplicate(i, best[i][1], best[i][0]) for i in sorted(best)]


def titles(db: Database, ids: list[int]) -> dict[int, str]:
    """The titles of the papers ``ids``, by id (for the few pairs a run reports)."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return dict(db.execute(f"SELECT id, title FROM papers WHERE id IN ({marks})", ids).fetchall())


class Reporter:
    """An import run's near-duplicate and kept-apart pairs, into its report.

    Args:
        db: The library's database, inside the run's transaction.
        report: The run's report; messages go to ``report.near_duplicates``.
    """

    def __init__(self, db: Database, report: ImportReport) -> None:
        """Nothing reported yet."""
        self.db = db
        self.report = report
        self.hidden = 0

    def note(self, message: str) -> None:
        """Report a pair of papers kept apart, up to ``MAX_NEAR_MESSAGES`` (the rest are counted)."""
        if len(self.report.near_duplicates) >= MAX_NEAR_MESSAGES:
            self.hidden += 1
        else:
            self.report.near_duplicates.append(message)

    def check(self, rows: list[dict[str, Any]]) -> None:
        """Report the batch's new papers (row dicts) whose titles nearly match another paper's."""
        found = find(self.db, [(r["id"], r["title_key"]) for r in rows])
        # Titles are fetched only for the few pairs reported: the scan reads indexes only.
        names = titles(self.db, [n.other_id for n in found])
        for near in found:
            row = rows[near.position]
            if row.get("_conflict"):
                continue  # already reported, with the reason it is another paper
            self.note(
                f"{row['_where']}: title {row['title']!r} is nearly the same as paper {near.other_id} "
                f"{names.get(near.other_id, '')!r} (similarity {near.score:.0f}); kept both"
            )

    def finish(self) -> None:
        """Say how many pairs were left out of the report."""
        if self.hidden:
            self.report.near_duplicates.append(f"… and {self.hidden} more near-duplicate titles")

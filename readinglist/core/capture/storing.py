"""The one door from capture into the import pipeline: the same matching and enrichment as a file import.

A draft goes through :func:`~readinglist.core.importing.prepare.prepare` and an
:class:`~readinglist.core.importing.run.ImportRun` of one batch of one, so a
paper added by reference matches exactly as an imported one would (arXiv id,
DOI, folded title; a stored paper is only enriched). The two names imported
below are all capture uses of the pipeline.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from readinglist.core.capture.refs import ARXIV, DOI, Ref, pending_key
from readinglist.core.formats import BadEntry
from readinglist.core.importing.prepare import prepare
from readinglist.core.importing.run import ImportRun
from readinglist.core.models import ImportReport, Paper, PaperDraft
from readinglist.core.store import Library, now


class Stored(NamedTuple):
    """Where a draft ended up."""

    paper_id: int
    added: bool
    """True for a new paper, False for a stored one it matched (and may have enriched)."""
    notes: tuple[str, ...] = ()
    """Near-duplicate remarks from the run."""


def store(
    library: Library, draft: PaperDraft, tags: list[str], *, pending: str | None = None, where: str = ""
) -> Stored:
    """Add ``draft`` as an import would, tagged with ``tags``; mark a new paper pending.

    Runs inside the caller's transaction when there is one (a savepoint).

    Raises:
        FormatError: if the draft has no title.
    """
    report = ImportReport()
    # ``where`` (the reference as typed) names the paper in near-duplicate remarks.
    item = prepare(draft, Path(where or draft.source or "readinglist add"), "add")
    with library.write() as db:
        run = ImportRun(library, report, now(), tags, skip_bad=False)
        (paper_id,) = run.add_batch([item])
        run.finish()
        added = report.added == 1
        if added and pending is not None:
            db.execute("UPDATE papers SET pending = ? WHERE id = ?", [pending, paper_id])
    return Stored(paper_id, added, tuple(report.near_duplicates))


def find(library: Library, ref: Ref) -> Paper | None:
    """The stored paper a reference names (by arXiv id, DOI, or the same URL), if any."""
    column = {ARXIV: "arxiv_id", DOI: "doi"}.get(ref.kind, "url")
    # Two indexed lookups (an OR of them scans the table); a URL has no index: a scan
    # of about 70 ms at 100k papers, next to a request that takes longer.
    for sql, value in (
        ("SELECT min(id) FROM papers WHERE pending = ?", pending_key(ref)),
        (f"SELECT min(id) FROM papers WHERE {column} = ?", ref.value),
    ):
        found = library.conn.execute(sql, [value]).fetchone()[0]
        if found is not None:
            return library.get(found)
    return None


def pending_papers(library: Library, ids: list[int] | None = None) -> list[tuple[int, str]]:
    """``(id, reference)`` of every pending paper (of ``ids``, when given), oldest first."""
    rows = library.conn.execute("SELECT id, pending FROM papers WHERE pending IS NOT NULL ORDER BY id")
    wanted = set(ids) if ids is not None else None
    return [(i, p) for i, p in rows if wanted is None or i in wanted]


def fill_in(library: Library, paper_id: int, draft: PaperDraft, *, still_pending: str | None = None) -> Paper:
    """Replace a pending paper's stand-in title and fill its empty fields from ``draft``.

    The user's tags, star, status, queue place and note are never touched.
    ``still_pending`` keeps it pending (a PDF given a title by hand is not).
    """
    prep = prepare(draft, Path("refresh"), "refresh")
    if isinstance(prep, BadEntry):
        raise prep.error()
    with library.action(f"filled in paper {paper_id}") as db:
        row = library.conn.execute(
            "SELECT abstract, authors, year, date, arxiv_id, doi, url FROM papers WHERE id = ?", [paper_id]
        ).fetchone()
        if row is None:
            return library.get(paper_id)  # raises PaperNotFound
        abstract, authors, year, date, arxiv_id, doi, url = row
        db.execute(
            """UPDATE papers SET title = ?, title_key = ?, abstract = ?, authors = ?, year = ?, date = ?,
                   arxiv_id = ?, doi = ?, url = ?, links = CASE WHEN ? THEN ? ELSE links END,
                   source = ?, pending = ? WHERE id = ?""",
            [
                prep.title,
                prep.key,
                abstract or prep.abstract,
                authors if authors not in (None, "", "[]") else prep.authors_json,
                year or prep.year,
                date or prep.date,
                arxiv_id or prep.arxiv_id,
                doi or prep.doi,
                url or prep.url,
                not abstract,
                prep.links_json,
                prep.source,
                still_pending,
                paper_id,
            ],
        )
        library.describe(f"filled in {library.label(paper_id)}")
    return library.get(paper_id)


def twins(library: Library, paper_id: int) -> tuple[str, ...]:
    """Remarks on other papers sharing a just-filled-in paper's arXiv id or DOI (both are kept)."""
    found = library.conn.execute(
        """SELECT o.id, o.title, CASE WHEN o.arxiv_id = p.arxiv_id THEN 'arXiv id' ELSE 'DOI' END
           FROM papers p JOIN papers o ON o.id != p.id
                AND (o.arxiv_id = p.arxiv_id OR o.doi = p.doi)
           WHERE p.id = ? ORDER BY o.id LIMIT 5""",
        [paper_id],
    ).fetchall()
    return tuple(
        f"paper {paper_id} has the same {what} as paper {other} {title!r}; kept both"
        for other, title, what in found
    )

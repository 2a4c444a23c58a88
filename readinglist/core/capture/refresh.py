"""``readinglist refresh``: fill in pending papers, and with ``--updates`` ask arXiv what is new."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from readinglist.core.capture import storing
from readinglist.core.capture.add import ERROR, PENDING, Outcome
from readinglist.core.capture.arxiv import BATCH, ArxivRecord
from readinglist.core.capture.http import BadAnswer, NotFound, Unreachable
from readinglist.core.capture.lookup import Lookup
from readinglist.core.capture.refs import RefError, parse_ref
from readinglist.core.capture.settings import CaptureSettings
from readinglist.core.errors import LibraryError
from readinglist.core.safe_text import visible
from readinglist.core.store import Library, now

FILLED, UPDATED, UNCHANGED = "filled", "updated", "unchanged"
_ARXIV_DOI = "10.48550/arxiv."


def refresh(
    library: Library,
    ids: Sequence[int] | None,
    settings: CaptureSettings,
    *,
    updates: bool = False,
    lookup: Lookup | None = None,
    report: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Look every pending paper (of ``ids``) up again; with ``updates``, every arXiv paper too.

    Raises:
        PaperNotFound: if one of ``ids`` is no paper.
    """
    if library.read_only is not None:
        raise LibraryError(library.read_only)  # before any request: nothing could be stored
    for paper_id in ids or ():
        library.require(paper_id)
    outcomes: list[Outcome] = []

    def done(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if report is not None:
            report(outcome)

    pending = storing.pending_papers(library, list(ids) if ids else None)
    if ids and not updates:
        waiting = {paper_id for paper_id, _ in pending}
        for paper_id in dict.fromkeys(ids):
            if paper_id not in waiting:
                paper = library.get(paper_id)
                done(Outcome(UNCHANGED, visible(f"not pending {paper.id}: {paper.title}"), paper))
    if pending or updates:
        lookup = lookup or Lookup(settings, library)
    refs = []
    for paper_id, text in pending:
        try:
            refs.append((paper_id, parse_ref(text)))
        except RefError as exc:
            done(Outcome(ERROR, visible(f"paper {paper_id}: {exc}")))
    if refs and lookup is not None:
        by_ref = {ref: paper_id for paper_id, ref in refs}
        for looked in lookup.look_up([ref for _, ref in refs]):
            paper_id = by_ref[looked.ref]
            if looked.error is not None or looked.draft is None:
                done(Outcome(ERROR, visible(f"paper {paper_id} ({looked.ref.text}): {looked.error}")))
            elif looked.pending is not None:
                still = visible(f"still pending {paper_id}: {looked.ref.text} ({looked.pending})")
                done(Outcome(PENDING, still, library.get(paper_id)))
            else:
                paper = storing.fill_in(library, paper_id, looked.draft)
                line = visible(f"filled in {paper.id}: {paper.title}")
                done(Outcome(FILLED, line, paper, storing.twins(library, paper_id)))
    if updates and lookup is not None:
        for outcome in _updates(library, lookup, ids):
            done(outcome)
    return outcomes


def _updates(library: Library, lookup: Lookup, ids: Sequence[int] | None) -> list[Outcome]:
    """Ask arXiv about stored arXiv papers, a batch at a time; record new versions, DOIs and venues."""
    rows = library.conn.execute(
        """SELECT p.id, p.arxiv_id, p.doi, u.version, u.journal_ref FROM papers p
           LEFT JOIN arxiv_updates u ON u.paper_id = p.id
           WHERE p.arxiv_id IS NOT NULL AND p.pending IS NULL ORDER BY p.id"""
    ).fetchall()
    if ids:
        wanted = set(ids)
        rows = [r for r in rows if r[0] in wanted]
    out: list[Outcome] = []
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        try:
            records = lookup.arxiv_records([r[1] for r in chunk])
        except (Unreachable, BadAnswer, NotFound) as exc:
            out.append(Outcome(ERROR, visible(f"arXiv updates for {len(chunk)} papers: {exc}")))
            continue
        for paper_id, arxiv_id, doi, version, journal_ref in chunk:
            record = records.get(arxiv_id)
            if record is None:
                continue
            out.append(_record_update(library, paper_id, doi, version, journal_ref, record))
    return out


def _record_update(
    library: Library,
    paper_id: int,
    doi: str | None,
    version: int | None,
    journal_ref: str | None,
    record: ArxivRecord,
) -> Outcome:
    news: list[str] = []
    if record.version and version and record.version > version:
        news.append(f"new version v{record.version}")
    published = record.draft.doi
    new_doi = None
    if published and (not doi or (doi.startswith(_ARXIV_DOI) and not published.startswith(_ARXIV_DOI))):
        new_doi = published.lower()
        if new_doi != doi:
            news.append(f"published as doi:{new_doi}")
    if record.journal_ref and record.journal_ref != journal_ref:
        news.append(f"journal reference: {record.journal_ref}")
    with library.action(f"refreshed {library.label(paper_id)} from arXiv") as db:
        db.execute(
            """INSERT INTO arxiv_updates (paper_id, version, journal_ref, checked_at) VALUES (?, ?, ?, ?)
               ON CONFLICT(paper_id) DO UPDATE SET
                   version = max(coalesce(version, 0), excluded.version),
                   journal_ref = coalesce(excluded.journal_ref, journal_ref),
                   checked_at = excluded.checked_at""",
            [paper_id, record.version, record.journal_ref, now()],
        )
        if new_doi and new_doi != doi:
            db.execute("UPDATE papers SET doi = ? WHERE id = ?", [new_doi, paper_id])
        if record.journal_ref:
            # The published venue, where the paper has none yet (never over the user's).
            db.execute(
                "UPDATE papers SET venue = ? WHERE id = ? AND coalesce(venue, '') = ''",
                [record.journal_ref, paper_id],
            )
    paper = library.get(paper_id)
    if not news:
        return Outcome(UNCHANGED, visible(f"up to date {paper.id}: {paper.title}"), paper)
    return Outcome(UPDATED, visible(f"updated {paper.id}: {paper.title} ({'; '.join(news)})"), paper)

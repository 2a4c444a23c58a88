"""Helpers shared by the tests."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from readinglist.core.importing.prepare import prepare
from readinglist.core.importing.run import ImportRun
from readinglist.core.models import ImportReport, PaperDraft
from readinglist.core.store import Library

STAMP = "2026-01-01T00:00:00Z"
"""``added_at`` for papers added without one of their own."""


def add_paper(
    library: Library,
    draft: PaperDraft,
    *,
    stamp: str = STAMP,
    run_tags: Sequence[str] = (),
    report: ImportReport | None = None,
) -> int:
    """Add one draft the way an import does, in its own transaction.

    It goes through the same preparation, dedup and enrichment as
    :func:`~readinglist.core.importing.import_files` (a run of one batch of
    one), so the tests never lean on a second copy of those rules.

    Args:
        library: Where the paper goes.
        draft: The paper; a draft matching a stored paper enriches that one.
        stamp: ``added_at`` when the draft brings none.
        run_tags: Tags for the paper, as an import's ``--tag`` gives them.
        report: Filled in as an import's would be, when given.

    Returns:
        The id of the new paper, or of the stored paper the draft matched.

    Raises:
        FormatError: when the draft has no title.
    """
    report = ImportReport() if report is None else report
    # The "file" is the draft's own source, as in a real import's messages.
    item = prepare(draft, Path(draft.source or "test"), "test")
    with library.write():
        run = ImportRun(library, report, stamp, run_tags, skip_bad=False)
        # With skip_bad off a draft without a title raises its FormatError here.
        (paper_id,) = run.add_batch([item])
        run.finish()
    return paper_id

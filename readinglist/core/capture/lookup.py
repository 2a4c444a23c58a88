"""From references to metadata: each one found, pending (try later) or an error, in order."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple

from readinglist.core.capture import arxiv, doi, html_meta
from readinglist.core.capture.http import BadAnswer, Client, NotFound, Unreachable
from readinglist.core.capture.pace import Pace
from readinglist.core.capture.refs import ARXIV, DOI, Ref
from readinglist.core.capture.settings import CaptureSettings
from readinglist.core.models import PaperDraft
from readinglist.core.store import Library

_PDF_REASON = "a PDF carries no metadata to read: titled by its file name until you give it a title"


class Looked(NamedTuple):
    """The outcome of looking one reference up."""

    ref: Ref
    draft: PaperDraft | None = None
    """The metadata found, or what a pending paper is stored as."""
    pending: str | None = None
    """Why the paper is stored pending (no network, a timeout, a PDF…); None when found."""
    error: str | None = None
    """Why nothing is stored (the source says it does not exist, its answer is unusable)."""
    record: arxiv.ArxivRecord | None = None


def placeholder(ref: Ref) -> PaperDraft:
    """What a paper waiting for its metadata is stored as: its identifier as title, its link."""
    if ref.kind == ARXIV:
        return PaperDraft(title=f"arXiv:{ref.value}", arxiv_id=ref.value, source=f"pending: {ref.text}")
    if ref.kind == DOI:
        return PaperDraft(title=f"doi:{ref.value}", doi=ref.value, source=f"pending: {ref.text}")
    return PaperDraft(title=ref.value, url=ref.value, source=f"pending: {ref.text}")


class Lookup:
    """Looks references up with one client, pacing arXiv requests through ``library``.

    Args:
        settings: Endpoints and limits.
        library: Keeps the time of the last arXiv request (across processes).
        client: The HTTP client (made from ``settings`` when None).
    """

    def __init__(
        self, settings: CaptureSettings, library: Library | None, client: Client | None = None
    ) -> None:
        """Nothing is fetched until asked."""
        self.settings = settings
        self.client = client or Client(settings)
        self.pace = Pace(library, settings.arxiv_interval)

    def arxiv_records(self, ids: Sequence[str]) -> dict[str, arxiv.ArxivRecord | None]:
        """The arXiv records of ``ids``, batched (see :func:`readinglist.core.capture.arxiv.fetch`)."""
        return arxiv.fetch(self.client, self.settings.arxiv_api, ids, self.pace)

    def look_up(self, refs: Sequence[Ref]) -> Iterator[Looked]:
        """Each reference's outcome, in order; the arXiv ones are asked for together, first."""
        wanted = [r.value for r in refs if r.kind == ARXIV]
        batch: dict[str, arxiv.ArxivRecord | None] = {}
        batch_failure: Looked | None = None
        if wanted:
            try:
                batch = self.arxiv_records(wanted)
            except Unreachable as exc:
                batch_failure = Looked(refs[0], pending=str(exc))
            except (BadAnswer, NotFound) as exc:
                if len(set(wanted)) > 1:
                    # arXiv refuses a whole batch for one id it finds malformed: ask one by one.
                    yield from (self.one(ref) for ref in refs)
                    return
                batch_failure = Looked(refs[0], error=f"arXiv: {exc}")
        for ref in refs:
            if ref.kind != ARXIV:
                yield self.one(ref)
            elif batch_failure is not None and batch_failure.pending is not None:
                yield batch_failure._replace(ref=ref, draft=placeholder(ref))
            elif batch_failure is not None:
                yield batch_failure._replace(ref=ref, error=f"{ref.text}: {batch_failure.error}")
            else:
                yield _from_record(ref, batch.get(ref.value))

    def one(self, ref: Ref) -> Looked:
        """Look one reference up (an arXiv one in a request of its own)."""
        try:
            if ref.kind == ARXIV:
                return _from_record(ref, self.arxiv_records([ref.value]).get(ref.value))
            if ref.kind == DOI:
                return Looked(ref, doi.fetch(self.client, self.settings.doi_resolver, ref.value))
            return self._page(ref)
        except Unreachable as exc:
            return Looked(ref, placeholder(ref), pending=str(exc))
        except NotFound:
            what = {ARXIV: "arXiv paper", DOI: "DOI"}.get(ref.kind, "page at")
            return Looked(ref, error=f"no {what} {ref.value}")
        except BadAnswer as exc:
            return Looked(ref, error=f"{ref.text}: {exc}")

    def _page(self, ref: Ref) -> Looked:
        answer = self.client.get(
            ref.value,
            accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
            skip_body=("application/pdf",),
        )
        if html_meta.is_pdf(answer):
            return Looked(ref, html_meta.pdf_draft(ref.value), pending=_PDF_REASON)
        meta = html_meta.read_page(answer, ref.value)
        # The page names its paper: its source has the better record.
        for kind, value in ((ARXIV, meta.arxiv_id), (DOI, meta.doi)):
            if value:
                followed = self.one(Ref(kind, value, ref.text))
                if followed.draft is not None and followed.pending is None:
                    return followed._replace(ref=ref, draft=followed.draft._replace(url=ref.value))
        if meta.draft is None:
            raise BadAnswer(f"the page at {ref.value} names no title")
        return Looked(ref, meta.draft)


def _from_record(ref: Ref, record: arxiv.ArxivRecord | None) -> Looked:
    if record is None:
        return Looked(ref, error=f"no arXiv paper {ref.value}")
    return Looked(ref, record.draft, record=record)

"""Other web pages: their own metadata, read as Zotero's generic translator reads it.

Highwire Press ``citation_*`` tags first, then Dublin Core (``DC.*``,
``DCTERMS.*``), then Open Graph (``og:*``), then ``<title>``, field by field.
A ``citation_arxiv_id`` or ``citation_doi`` (or a ``DC.identifier`` that is a
DOI) is handed back, so the caller can follow it to its source. OpenReview,
the ACL Anthology, PMLR, NeurIPS proceedings and bioRxiv all carry
``citation_*`` tags; no site gets code of its own.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from readinglist.core import links
from readinglist.core.capture.http import Answer, BadAnswer
from readinglist.core.models import PaperDraft

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_DATE = re.compile(r"(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?")
SOURCE = "web page metadata"

# Each field's tags, best first (names are compared in lower case).
_TITLE = ("citation_title", "dc.title", "dcterms.title", "og:title")
_AUTHORS = ("citation_author", "dc.creator", "dcterms.creator")
_DATES = (
    "citation_publication_date",
    "citation_date",
    "citation_online_date",
    "citation_cover_date",
    "citation_year",
    "dc.date",
    "dcterms.issued",
    "dcterms.date",
    "article:published_time",
)
_ABSTRACT = ("citation_abstract", "dc.description", "dcterms.abstract", "og:description", "description")


class PageMeta(NamedTuple):
    """What a page says about itself."""

    draft: PaperDraft | None
    """The page's own metadata; None when it names no title at all."""
    arxiv_id: str | None
    doi: str | None


class _MetaParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.title: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag == "meta":
            values = dict(attrs)
            name = (values.get("name") or values.get("property") or "").strip().lower()
            content = " ".join((values.get("content") or "").split())
            if name and content:
                self.meta.setdefault(name, []).append(content)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)


def is_pdf(answer: Answer) -> bool:
    """Whether the answer is a PDF file (by its type, or by its first bytes when the type is wrong)."""
    return answer.content_type == "application/pdf" or answer.body[:5] == b"%PDF-"


def pdf_draft(url: str) -> PaperDraft:
    """A PDF that is not arXiv's: its link, titled by its file name until the user gives a title."""
    parts = urlsplit(url)
    name = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1])
    name = re.sub(r"\.pdf$", "", name, flags=re.IGNORECASE)
    title = " ".join(name.replace("_", " ").split()) or parts.netloc
    return PaperDraft(title=title, url=url, source=SOURCE)


def read_page(answer: Answer, url: str) -> PageMeta:
    """The metadata of an HTML page.

    Raises:
        BadAnswer: if the answer is not an HTML page.
    """
    if answer.content_type not in _HTML_TYPES:
        raise BadAnswer(f"{urlsplit(url).netloc} answered with {answer.content_type}, not a web page")
    text = _decode(answer)
    parser = _MetaParser()
    parser.feed(text)
    parser.close()
    meta = parser.meta

    def first(names: tuple[str, ...]) -> str:
        return next((meta[n][0] for n in names if n in meta), "")

    arxiv_id = links.normalize_arxiv_id(first(("citation_arxiv_id",)))
    doi = links.normalize_doi(first(("citation_doi", "dc.identifier", "dcterms.identifier", "prism.doi")))
    if doi and doi.startswith("10.48550/arxiv."):
        arxiv_id, doi = arxiv_id or links.normalize_arxiv_id(doi), None
    title = first(_TITLE) or " ".join("".join(parser.title).split())
    if not title:
        return PageMeta(None, arxiv_id, doi)
    authors = next((tuple(_first_last(a) for a in meta[n]) for n in _AUTHORS if n in meta), ())
    if not authors and "citation_authors" in meta:
        authors = tuple(a.strip() for a in meta["citation_authors"][0].split(";") if a.strip())
    year, date = _date(first(_DATES))
    draft = PaperDraft(
        title=title,
        abstract=first(_ABSTRACT),
        authors=authors,
        year=year,
        date=date,
        arxiv_id=arxiv_id,
        doi=doi,
        url=url,
        source=SOURCE,
    )
    return PageMeta(draft, arxiv_id, doi)


def _first_last(name: str) -> str:
    """``Last, First`` (how Highwire tags usually write names) as ``First Last``, as imports store them."""
    last, comma, first = name.partition(",")
    if comma and first.strip() and "," not in first:
        return f"{first.strip()} {last.strip()}"
    return name


def _decode(answer: Answer) -> str:
    charset = answer.charset
    if charset is None:
        found = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", answer.body[:4096], re.IGNORECASE)
        charset = found.group(1).decode("ascii") if found else "utf-8"
    try:
        return answer.body.decode(charset, errors="replace")
    except LookupError:
        return answer.body.decode("utf-8", errors="replace")


def _date(text: str) -> tuple[int | None, str | None]:
    found = _DATE.search(text)
    if not found:
        return None, None
    year = int(found.group(1))
    month, day = found.group(2), found.group(3)
    if month and day and 1 <= int(month) <= 12 and 1 <= int(day) <= 31:
        return year, f"{year:04d}-{int(month):02d}-{int(day):02d}"
    if month and 1 <= int(month) <= 12:
        return year, f"{year:04d}-{int(month):02d}"
    return year, None

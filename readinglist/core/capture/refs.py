"""What the user may hand to ``readinglist add``: an arXiv id, a DOI or a web address."""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import urlsplit

from readinglist.core import links

ARXIV, DOI, URL = "arxiv", "doi", "url"

# arXiv's own pages: abs, pdf and html, on arxiv.org or its export mirror, with a version or not.
_ARXIV_PAGE = re.compile(
    r"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/(.+?)(?:\.pdf)?/?(?:[?#].*)?$",
    re.IGNORECASE,
)
_HOST = re.compile(r"^(?:localhost|[\w-]+(?:\.[\w-]+)+|\[[0-9a-f:]+\])(?::\d+)?$", re.IGNORECASE)


class Ref(NamedTuple):
    """One reference, classified."""

    kind: str
    """``arxiv``, ``doi`` or ``url``."""
    value: str
    """The versionless arXiv id, the DOI in canonical form, or the URL."""
    text: str
    """What the user typed, for messages."""


class RefError(ValueError):
    """Text that is not an arXiv id, a DOI or an http(s) URL."""


def parse_ref(text: str) -> Ref:
    """Classify ``text`` as an arXiv id, a DOI or a URL.

    An arXiv DOI (``10.48550/arXiv.…``) and an arXiv page are arXiv ids; a
    resolver link (``https://doi.org/…``) and a publisher page that names its
    DOI in the path (``/doi/10.…``) are DOIs.

    Raises:
        RefError: with a one-line message when it is none of them.
    """
    raw = text.strip()
    if not raw:
        raise RefError("an empty reference")
    page = _ARXIV_PAGE.match(raw)
    arxiv_id = links.normalize_arxiv_id(page.group(1) if page else raw)
    if arxiv_id:
        return Ref(ARXIV, arxiv_id, raw)
    doi = links.doi_in_url(raw) if raw.lower().startswith(("http://", "https://")) else None
    doi = doi or (links.normalize_doi(raw) if not raw.lower().startswith(("http", "www.")) else None)
    if doi and doi.startswith("10.48550/arxiv.") and (arxiv_id := links.normalize_arxiv_id(doi)):
        return Ref(ARXIV, arxiv_id, raw)  # arXiv's own DOI: its API has the better record
    if doi:
        return Ref(DOI, doi, raw)
    url = "https://" + raw if raw.lower().startswith("www.") else raw
    parts = urlsplit(url)
    if parts.scheme.lower() in ("http", "https") and _HOST.match(parts.netloc) and " " not in url:
        return Ref(URL, url, raw)
    shown = raw if len(raw) <= 80 else raw[:77] + "…"
    raise RefError(f"not an arXiv id, DOI or URL: {shown!r}")


def pending_key(ref: Ref) -> str:
    """How a pending paper keeps its reference (parsed again by ``refresh``)."""
    return {ARXIV: f"arXiv:{ref.value}", DOI: f"doi:{ref.value}"}.get(ref.kind, ref.value)


def looks_like_ref(text: str) -> bool:
    """Whether each non-blank line of ``text`` is a reference, or it is a BibTeX entry (clipboard)."""
    if is_bibtex(text):
        return True
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines or len(lines) > 200:
        return False
    for line in lines:
        try:
            parse_ref(line)
        except RefError:
            return False
    return True


_BIBTEX = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)


def is_bibtex(text: str) -> bool:
    """Whether ``text`` holds a BibTeX entry (``@article{…``) rather than references."""
    return _BIBTEX.search(text) is not None

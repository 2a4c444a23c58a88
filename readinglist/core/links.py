"""Identifiers and links: normalising arXiv ids, DOIs and titles; finding URLs."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from urllib.parse import quote_plus

# A URL starts at a scheme or at "www." and runs to whitespace or a LaTeX/Markdown
# delimiter. Abstracts are scraped text, so the scheme may be glued to the word
# before it ("ohttps://..."): no word boundary is required in front.
_URL = re.compile(r"(?:https?://|(?<![\w.])www\.)[^\s<>\"`'\\]+", re.IGNORECASE)
_TRAILING = ".,;:!?*'\""
_PAIRS = {")": "(", "]": "[", "}": "{"}
# A LaTeX \href remnant glued to the end: ".../shadow_llm/{ShadowLLM}".
_BRACED_SUFFIX = re.compile(r"\{[^{}/]*\}$")

_NEW_ARXIV = re.compile(r"^(\d{4}\.\d{4,5})(v\d+)?$")
_OLD_ARXIV = re.compile(r"^([a-z][a-z.-]*(?:\.[A-Z]{2})?/\d{7})(v\d+)?$", re.IGNORECASE)
_ARXIV_PREFIX = re.compile(
    r"^(?:arxiv:|https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/|10\.48550/arxiv\.)",
    re.IGNORECASE,
)
_DOI_PREFIX = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE)
_NON_WORD = re.compile(r"[^\w]+")
_ASCII_NON_WORD = {c: " " for c in range(128) if not chr(c).isalnum() or chr(c) == "_"}
_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "huggingface.co", "codeberg.org")


def extract_links(text: str) -> list[str]:
    r"""Return every URL in ``text``, cleaned, in order and without repeats.

    Trailing sentence punctuation, unbalanced closing brackets, ``\\url{...}``
    wrappers and Markdown backticks are stripped; a bare ``www.`` host gets
    an ``https://`` scheme.

    Args:
        text: An abstract or any free text.

    Returns:
        The cleaned URLs.
    """
    found: list[str] = []
    for match in _url_matches(text):
        url = _clean(match.group(0))
        if url.lower().startswith("www."):
            url = "https://" + url
        if len(url) > len("https://x.y") and url not in found:
            found.append(url)
    return found


def _url_matches(text: str) -> Iterator[re.Match[str]]:
    """What ``_URL.finditer(text)`` yields, found several times faster.

    The regex would be tried at every position of a 2 kB abstract. A URL can
    only start at ``http://``, ``https://`` or ``www.``, so those places are
    found with plain string search and the regex is tried only there.
    """
    lower = text.lower()
    if len(lower) != len(text):  # a few characters grow when lowered; offsets would shift
        yield from _URL.finditer(text)
        return
    starts: list[int] = []
    at = lower.find("://")
    while at != -1:
        if lower.startswith("https", at - 5):
            starts.append(at - 5)
        elif lower.startswith("http", at - 4):
            starts.append(at - 4)
        at = lower.find("://", at + 3)
    at = lower.find("www.")
    while at != -1:
        starts.append(at)
        at = lower.find("www.", at + 4)
    end = 0
    for start in sorted(starts):
        if start < end:
            continue
        match = _URL.match(text, start)
        if match:
            end = match.end()
            yield match


def _clean(url: str) -> str:
    while True:
        before = url
        url = _BRACED_SUFFIX.sub("", url)
        url = url.rstrip(_TRAILING)
        last = url[-1:]
        if last in _PAIRS and url.count(last) > url.count(_PAIRS[last]):
            url = url[:-1]
        if url == before:
            return url


def is_code_link(url: str) -> bool:
    """Whether ``url`` points at a code or model host such as GitHub."""
    host = re.sub(r"^https?://(?:www\.)?", "", url.lower()).split("/", 1)[0]
    return host in _CODE_HOSTS or host.endswith(".github.io")


def normalize_arxiv_id(value: str | None) -> str | None:
    """Return the versionless arXiv id in ``value``, or None if it is not one.

    Accepts ``2310.06825``, ``2310.06825v2``, ``arXiv:2310.06825``, abs and pdf
    URLs, arXiv DOIs (``10.48550/arXiv.2310.06825``) and old-style ids such as
    ``hep-th/9901001``.
    """
    if not value:
        return None
    text = _ARXIV_PREFIX.sub("", value.strip())
    text = text.removesuffix(".pdf")
    for pattern in (_NEW_ARXIV, _OLD_ARXIV):
        match = pattern.match(text)
        if match:
            return match.group(1)
    return None


def normalize_doi(value: str | None) -> str | None:
    """Return the DOI in ``value`` lower-cased and without a resolver prefix."""
    if not value:
        return None
    text = _DOI_PREFIX.sub("", value.strip()).strip().lower()
    return text if text.startswith("10.") and "/" in text else None


def normalize_title(title: str) -> str:
    """Fold case, accents, punctuation and spacing so equal titles compare equal."""
    text = title
    if text.isascii():
        # The same result as below at a third of the cost: ASCII has nothing to
        # decompose, casefold is lower, and \w is [A-Za-z0-9_].
        return " ".join(text.lower().translate(_ASCII_NON_WORD).split())
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _NON_WORD.sub(" ", text.casefold())
    return " ".join(text.replace("_", " ").split())


def arxiv_abs_url(arxiv_id: str) -> str:
    """The arXiv abstract page for an id."""
    return f"https://arxiv.org/abs/{arxiv_id}"


def doi_url(doi: str) -> str:
    """The doi.org resolver link for a DOI."""
    return f"https://doi.org/{doi}"


def title_search_url(title: str) -> str:
    """An arXiv title search, used when a paper has no identifier at all."""
    return f"https://arxiv.org/search/?searchtype=title&query={quote_plus(title)}"


def primary_link(arxiv_id: str | None, doi: str | None, url: str | None, title: str) -> str:
    """The one link that best stands for a paper.

    Its arXiv abstract page, else its DOI resolver link, else its URL, else an
    arXiv title search built from the title.
    """
    if arxiv_id:
        return arxiv_abs_url(arxiv_id)
    if doi:
        return doi_url(doi)
    if url:
        return url
    return title_search_url(title)

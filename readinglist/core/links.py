"""Identifiers and links: normalising arXiv ids, DOIs and titles; finding URLs."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from urllib.parse import quote, quote_plus, unquote

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
# What tools put in front of a DOI: ``doi:``, ``DOI 10...``, ``info:doi/`` (OpenURL,
# Zotero), the resolvers (``doi.org``, ``dx.doi.org``, ACM's old ``doi.acm.org``),
# with or without a scheme. Repeated, for ``doi:https://doi.org/10...``.
_DOI_PREFIX = re.compile(
    r"^(?:\s*(?:(?:https?://)?(?:www\.|dx\.)?doi\.(?:org|acm\.org)/|info:doi/|doi(?:\s*:\s*|\s+)))+",
    re.IGNORECASE,
)
# A DOI (``10.1145/3290605.3300233``) or a short DOI (``10/ggd754``) once the prefix is off.
_DOI_SHAPE = re.compile(r"^10(?:\.\d+(?:\.\d+)*/\S+|/[a-z0-9]+)$")
# A publisher page that names its DOI in the path (ACM, Wiley, Taylor & Francis, SAGE...):
# ``https://dl.acm.org/doi/abs/10.1145/...``.
_DOI_IN_PATH = re.compile(
    r"^https?://[^/\s]+/doi/(?:(?:abs|full|pdf|epdf|book)/)?(10\.\d+/\S+)$", re.IGNORECASE
)
# Where one field holds several URLs: white space, or ``;``/``,`` followed by white
# space or by the next URL. A ``;`` or ``,`` inside a URL (``;jsessionid=``,
# ``?ids=1,2``) is followed by neither, so it stays.
_URL_SEPARATOR = re.compile(r"\s*[;,](?:\s+|(?=(?:https?|ftp)://))|\s+", re.IGNORECASE)
_URL_START = re.compile(r"^(?:(?:https?|ftp)://|www\.|doi:|info:doi/|10\.\d+/)", re.IGNORECASE)
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
    """Return the DOI in ``value`` in canonical form, or None if it holds none.

    The canonical form is lower case (DOIs are case-insensitive) without a
    resolver prefix: ``10.1145/3290605``. Accepted spellings: bare DOIs,
    ``doi:``/``DOI``, ``info:doi/``, ``http(s)://(dx.)doi.org/``,
    ``http://doi.acm.org/``, short DOIs (``10/ggd754``), URL-encoded ones
    (``10.1002%2Fanie.201915678``); of several separated by white space, the
    first.
    """
    if not value:
        return None
    text = _DOI_PREFIX.sub("", value.strip(), count=1)
    parts = text.split()
    if not parts:
        return None
    text = parts[0]
    if "%" in text:
        text = unquote(text)
    text = text.lower()
    return text if _DOI_SHAPE.match(text) else None


def doi_in_url(url: str | None) -> str | None:
    """The DOI a URL links to: a resolver link (``https://doi.org/...``) or a ``/doi/10...`` page.

    Returns None for any other URL (a publisher page that hides its DOI, an arXiv link).
    """
    if not url:
        return None
    text = url.strip()
    if _DOI_PREFIX.match(text) or text.startswith("10."):
        found = normalize_doi(text)
        if found:
            return found
    match = _DOI_IN_PATH.match(text)
    return normalize_doi(match.group(1)) if match else None


def split_urls(value: str | None) -> list[str]:
    """The URLs in a ``url`` field that may hold several, in order and without repeats.

    They are split at white space, a new line, or a ``;`` or ``,`` followed by
    white space or by the next URL. White space followed by something that
    does not start a URL is inside the URL (a file name with a space): it is
    percent-encoded character by character, never dropped, so two URLs are
    never glued into one.
    """
    if not value or not value.strip():
        return []
    text = value.strip()
    urls: list[str] = []
    start = 0
    pieces: list[tuple[str, str]] = []  # (separator before, piece)
    sep = ""
    for match in _URL_SEPARATOR.finditer(text):
        pieces.append((sep, text[start : match.start()]))
        sep = match.group(0)
        start = match.end()
    pieces.append((sep, text[start:]))
    for before, piece in pieces:
        if not piece:
            continue
        if not urls or _URL_START.match(piece):
            urls.append(piece)
        else:
            # Each white-space character percent-encoded as it is (a space %20, a line break %0A).
            urls[-1] += quote(before, safe=";,") + piece
    out: list[str] = []
    for url in urls:
        if url not in out:
            out.append(url)
    return out


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

"""DOIs: content negotiation on the resolver for CSL JSON (Crossref and DataCite alike)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote, urlsplit

from readinglist.core.capture.http import BadAnswer, Client
from readinglist.core.formats import BadEntry
from readinglist.core.formats.csl_json import draft_from_item
from readinglist.core.models import PaperDraft

CSL_JSON = "application/vnd.citationstyles.csl+json"
_JSON_TYPES = (CSL_JSON, "application/json", "application/citeproc+json")
SOURCE = "DOI metadata (CSL JSON)"


def fetch(client: Client, resolver: str, doi: str) -> PaperDraft:
    """The metadata of ``doi`` as a draft (abstract without its JATS tags).

    Raises:
        NotFound: the resolver knows no such DOI.
        Unreachable: no network, a timeout, a 5xx or a 429 that lasted.
        BadAnswer: an answer that is not CSL JSON (an HTML page, broken JSON, an item without a title).
    """
    url = resolver.rstrip("/") + "/" + quote(doi, safe="/:;()._-")
    answer = client.get(url, accept=CSL_JSON)
    host = urlsplit(answer.url).netloc or "the DOI resolver"
    if answer.content_type not in _JSON_TYPES:
        raise BadAnswer(f"{host} answered with {answer.content_type}, not CSL JSON")
    try:
        item = json.loads(answer.body.decode(answer.charset or "utf-8"))
    except (UnicodeDecodeError, LookupError, ValueError) as exc:
        raise BadAnswer(f"{host} answered with broken JSON ({str(exc)[:80]})") from None
    if isinstance(item, list) and len(item) == 1:
        item = item[0]
    try:
        draft = draft_from_item(Path(doi), 1, item)
    except (TypeError, ValueError, RecursionError) as exc:
        raise BadAnswer(f"{host} answered with an unusable item: {exc}") from None
    if isinstance(draft, BadEntry):
        raise BadAnswer(f"{host} answered with an unusable item: {draft.reason}")
    # Keywords are the publisher's, not the user's: no tags from a look-up.
    return draft._replace(doi=draft.doi or doi, source=SOURCE, line=0, tags=())

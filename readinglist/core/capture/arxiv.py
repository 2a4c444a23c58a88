"""arXiv: many ids in one ``id_list`` request, read by the Atom reader that imports arXiv feeds."""

from __future__ import annotations

import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode

from readinglist.core import links
from readinglist.core.capture.http import BadAnswer, Client
from readinglist.core.errors import FormatError
from readinglist.core.formats import BadEntry
from readinglist.core.formats.arxiv_atom import ARXIV, ATOM, read
from readinglist.core.models import PaperDraft

BATCH = 100
"""Ids asked for in one request (arXiv takes more, but the URL grows)."""
_VERSION = re.compile(r"v(\d+)$")
SOURCE = "arXiv API"


class ArxivRecord(NamedTuple):
    """What arXiv says about one paper."""

    draft: PaperDraft
    version: int | None
    """The newest version arXiv has."""
    journal_ref: str | None
    """Where it was published, as the authors told arXiv (``NIPS 2017``)."""


def fetch(
    client: Client, api: str, ids: Sequence[str], pace: Callable[[], None]
) -> dict[str, ArxivRecord | None]:
    """Ask arXiv about ``ids`` (versionless), :data:`BATCH` to a request; None for an id it does not know.

    Raises:
        Unreachable: no network, a timeout, a 5xx or a 429 that lasted (for every id).
        BadAnswer: an answer that is not an arXiv feed, or arXiv's error feed.
    """
    found: dict[str, ArxivRecord | None] = {}
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), BATCH):
        chunk = unique[start : start + BATCH]
        query = urlencode({"id_list": ",".join(chunk), "max_results": len(chunk)}, safe=",/")
        # arXiv answers a malformed query with 400 and an error feed: read it for its message.
        answer = client.get(f"{api}?{query}", accept="application/atom+xml", ok=(200, 400), pace=pace)
        records = parse_feed(answer.body)
        for arxiv_id in chunk:
            found[arxiv_id] = records.get(arxiv_id)
    return found


def parse_feed(body: bytes) -> dict[str, ArxivRecord]:
    """The entries of an arXiv API feed by versionless id.

    Raises:
        BadAnswer: for broken XML, a cut-off feed or arXiv's error feed.
    """
    with tempfile.TemporaryDirectory(prefix="readinglist-") as folder:
        path = Path(folder) / "arxiv.xml"
        path.write_bytes(body)
        drafts: list[PaperDraft] = []
        try:
            for item in read(path):
                if isinstance(item, BadEntry):
                    if item.reason.startswith("broken XML"):
                        raise BadAnswer(f"arXiv's answer is broken: {item.reason}")
                    continue  # an entry without a title names no paper: that id is not found
                drafts.append(item)
        except FormatError as exc:
            if exc.reason == "no papers in this feed":
                return {}
            reason = exc.reason if "arXiv" in exc.reason else f"arXiv's answer: {exc.reason}"
            raise BadAnswer(reason) from None
    journal_refs = _journal_refs(body)
    out: dict[str, ArxivRecord] = {}
    for draft in drafts:
        raw = draft.arxiv_id or ""
        arxiv_id = links.normalize_arxiv_id(raw.replace("http://", "https://"))
        if arxiv_id is None:
            continue
        version = _VERSION.search(raw)
        out[arxiv_id] = ArxivRecord(
            draft._replace(arxiv_id=arxiv_id, source=SOURCE, line=0),
            int(version.group(1)) if version else None,
            journal_refs.get(arxiv_id),
        )
    return out


def _journal_refs(body: bytes) -> dict[str, str]:
    """``arxiv:journal_ref`` by id, for ``refresh --updates`` (it fills an empty venue)."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return {}
    out: dict[str, str] = {}
    for entry in root.iter(f"{{{ATOM}}}entry"):
        ident = links.normalize_arxiv_id(
            (entry.findtext(f"{{{ATOM}}}id") or "").replace("http://", "https://")
        )
        ref = " ".join((entry.findtext(f"{{{ARXIV}}}journal_ref") or "").split())
        if ident and ref:
            out[ident] = ref
    return out

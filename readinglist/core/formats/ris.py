"""RIS, the tagged format Zotero, Mendeley, EndNote, Scopus, Web of Science, PubMed and IEEE Xplore export.

A record runs from ``TY  - <type>`` to ``ER  -``; every line in it is a
two-character tag, two spaces, a hyphen, a space and the value. Reading is
lenient the way real exports need: a byte-order mark, CRLF, trailing spaces,
one space instead of two before the hyphen, tags with no value, blank lines
and lines that continue the value above (wrapped abstracts) are all accepted.

What becomes what: ``TI``/``T1`` the title; ``AU``/``A1`` (one name each,
``Last, First[, Suffix]``) the authors as ``First Last``; ``PY``/``Y1``/``DA``
(``2016``, ``2016/12//``, ``2016/12/05/``) the year and date; ``AB``/``N2``
the abstract; ``DO`` (a DOI, or a DOI written as a URL) the DOI; the first
``UR`` the URL; ``KW`` the tags, one per tag line; ``N1`` the notes. The arXiv
id comes from an arXiv DOI, an arXiv URL, ``AN`` or an ``arXiv:`` mention in
the journal name or a note. ``JF``, else ``T2``, else ``JO`` is the venue
(unless it only mentions arXiv) and ``ID`` the citation key.

Writing gives one record per paper, ``TY  - CONF`` for a paper of a
conference's proceedings, ``TY  - JOUR`` for one with a journal or a DOI
(``GEN`` for preprints and papers with neither), the venue as ``T2`` and the
citation key as ``ID``, every value on one line with control characters left
out. Lines of an abstract or note go on repeated ``AB``/``N1`` tags, which
this reader joins again with line breaks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from readinglist.core import links, venues
from readinglist.core.errors import FormatError
from readinglist.core.formats import BadEntry, Format, register
from readinglist.core.formats.textio import iter_lines
from readinglist.core.models import Paper, PaperDraft

# ``TY  - JOUR``: the tag, then (tolerated) one space or a tab instead of two,
# and a value that may be missing altogether (``ER  -``).
_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])[ \t]{1,2}-(?:[ \t](.*))?$")
_FIRST_TAG = re.compile(r"^\s*TY[ \t]{1,2}-")
_HEADER = re.compile(r"^[A-Za-z][\w -]{0,30}:\s")
_HEADER_LINES = 12
# RIS dates: ``2016``, ``2016/12//``, ``2016/12/05/Spring``, and ISO ``2016-12-05``.
_DATE = re.compile(r"^\s*(\d{4})(?:[/-](\d{0,2})(?:[/-](\d{0,2}))?)?")
_MONTH_NAME = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?", re.IGNORECASE)
_YEAR = re.compile(r"\b\d{4}\b")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ARXIV_MENTION = re.compile(r"arxiv[:\s/]*([a-z.-]*/?\d{4}\.?\d{3,5}(?:v\d+)?)", re.IGNORECASE)
# What a one-line value may not hold: control characters (a NUL would make the
# file binary) other than the tab, which becomes a space.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_TITLE_TAGS = ("TI", "T1")
_DATE_TAGS = ("DA", "PY", "Y1")
_PREPRINT_DOI = "10.48550/arxiv."


def sniff(head: str, path: Path) -> bool:
    """Whether the first tag in ``head`` is ``TY  -``, after at most a few header lines.

    Publishers' download links (ScienceDirect, HighWire) put ``Provider:`` and
    ``Content:`` lines before the first record.
    """
    for line in head.splitlines()[:_HEADER_LINES]:
        line = line.lstrip("\ufeff")
        if not line.strip() or _HEADER.match(line):
            continue
        return bool(_FIRST_TAG.match(line))
    return False


class _Record:
    """The values of one record's tags as they are read, in order, by tag."""

    def __init__(self, line: int, kind: str | None) -> None:
        self.line = line
        self.kind = kind
        self.fields: dict[str, list[str]] = {}
        self._last: list[str] | None = None

    def add(self, tag: str, value: str) -> None:
        # A1 is the older name for AU: one list keeps the authors in file order.
        self._last = self.fields.setdefault("AU" if tag == "A1" else tag, [])
        self._last.append(value)

    def extend_last(self, text: str) -> None:
        """A line that continues the value above (a wrapped abstract), joined with a space."""
        if self._last:
            value = self._last[-1]
            self._last[-1] = f"{value} {text}" if value else text

    def values(self, *names: str) -> list[str]:
        if len(names) == 1:
            return self.fields.get(names[0], [])
        return [v for name in names for v in self.fields.get(name, ())]

    def first(self, *names: str) -> str:
        """The first non-empty value of the first of ``names`` that has one."""
        for name in names:
            for value in self.fields.get(name, ()):
                if value.strip():
                    return value
        return ""


def read(path: Path) -> Iterator[PaperDraft | BadEntry]:
    """Yield a draft for every record in ``path``, and a :class:`BadEntry` for each that fails.

    Raises:
        FormatError: if the file cannot be read, or holds no ``TY  -`` record.
    """
    record: _Record | None = None
    found = False
    for number, raw in iter_lines(path):
        line = raw.rstrip()
        match = _TAG_LINE.match(line)
        if match is None:
            if record is not None and line.strip():
                record.extend_last(" ".join(line.split()))
            continue
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag == "TY":
            if record is not None:
                # A record that never saw its ER: take it as ended here.
                yield _draft(path, record)
            record, found = _Record(number, value), True
        elif tag == "ER":
            if record is not None:
                yield _draft(path, record)
            record = None
        elif record is not None:
            record.add(tag, value)
        else:
            # Tags outside a record: a record whose TY line is missing.
            record = _Record(number, None)
            record.add(tag, value)
    if record is not None and (record.kind is not None or found):
        yield _draft(path, record)
    if not found:
        raise FormatError(str(path), 1, "no RIS records found (no 'TY  -' line)")


def _draft(path: Path, record: _Record) -> PaperDraft | BadEntry:
    if record.kind is None:
        return BadEntry(str(path), record.line, "RIS record has no 'TY  -' line before its first tag")
    title = _one_line(record.first(*_TITLE_TAGS) or (record.first("BT") if record.kind == "BOOK" else ""))
    if not title:
        return BadEntry(
            str(path), record.line, f"RIS record (TY  - {record.kind or '?'}) has no title (TI or T1)"
        )
    year, date = _year_and_date(record)
    urls = [u for value in record.values("UR") for u in value.split()]
    doi = next(filter(None, (links.normalize_doi(v) for v in record.values("DO", "M3"))), None)
    if doi is None:
        doi = next(filter(None, (links.normalize_doi(u) for u in urls if "doi.org/" in u)), None)
    return PaperDraft(
        title=title,
        abstract=_text(record, "AB") or _text(record, "N2"),
        authors=tuple(n for n in (_person(v) for v in record.values("AU")) if n),
        year=year,
        date=date,
        arxiv_id=_arxiv_id(record, doi, urls),
        doi=doi,
        url=urls[0].rstrip(";,") if urls else None,
        tags=tuple(t for t in (_one_line(v) for v in record.values("KW")) if t),
        notes=_text(record, "N1") or None,
        line=record.line,
        venue=next(filter(None, (venues.clean(_one_line(v)) for v in record.values("JF", "T2", "JO"))), None),
        key="".join(record.first("ID").split()),
    )


def _one_line(value: str) -> str:
    return " ".join(_CONTROL.sub(" ", value).split())


def _text(record: _Record, tag: str) -> str:
    """A text that repeats of ``tag`` carry a line each, joined again with line breaks."""
    lines = [_CONTROL.sub("", v).replace("\t", " ").rstrip() for v in record.values(tag)]
    return "\n".join(lines).strip()


def _person(value: str) -> str:
    """``Last, First`` (or RIS's ``Last, First, Suffix``) as ``First Last [Suffix]``."""
    parts = [_one_line(p) for p in value.split(",")]
    if len(parts) == 2 and parts[1]:
        return f"{parts[1]} {parts[0]}"
    if len(parts) == 3 and parts[1]:
        return " ".join(p for p in (parts[1], parts[0], parts[2]) if p)
    return " ".join(p for p in parts if p)


def _year_and_date(record: _Record) -> tuple[int | None, str | None]:
    """The year (``PY``, else ``Y1``, else ``DA``) and the fullest date of that year any of them gives."""
    parsed = [_parse_date(v) for tag in ("PY", "Y1", "DA") for v in record.values(tag)]
    years = [p[0] for p in parsed if p[0] is not None]
    if not years:
        return None, None
    year = years[0]
    # DA is the one meant to carry month and day; PY/Y1 sometimes do as well.
    dated = [_parse_date(v) for tag in _DATE_TAGS for v in record.values(tag)]
    for got_year, date in dated:
        if got_year == year and date:
            return year, date
    # Web of Science writes ``DA  - DEC`` beside ``PY  - 2016``; IEEE ``Y1  - 27-30 June 2016``.
    for tag in _DATE_TAGS:
        for value in record.values(tag):
            name = _MONTH_NAME.search(value)
            other = _YEAR.search(value)
            if name and (other is None or int(other.group(0)) == year):
                return year, f"{year:04d}-{_MONTHS.index(name.group(1).lower()) + 1:02d}"
    return year, None


def _parse_date(value: str) -> tuple[int | None, str | None]:
    match = _DATE.match(value)
    if not match:
        return None, None
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else 0
    day = int(match.group(3)) if match.group(3) else 0
    if not month:
        name = _MONTH_NAME.search(value[match.end() :])
        month = _MONTHS.index(name.group(1).lower()) + 1 if name else 0
    if not 1 <= month <= 12:
        return year, None
    if 1 <= day <= 31:
        return year, f"{year:04d}-{month:02d}-{day:02d}"
    return year, f"{year:04d}-{month:02d}"


def _arxiv_id(record: _Record, doi: str | None, urls: list[str]) -> str | None:
    for candidate in (doi, *urls, *record.values("AN", "DO")):
        found = links.normalize_arxiv_id(candidate)
        if found:
            return found
    for value in record.values("JO", "JF", "T2", "N1", "M3"):
        match = _ARXIV_MENTION.search(value)
        found = links.normalize_arxiv_id(match.group(1)) if match else None
        if found:
            return found
    return None


# -- writing -------------------------------------------------------------------


def _url(url: str) -> str:
    """A URL on one line: white space and control characters percent-encoded, as a browser would."""
    return "".join(
        "".join(f"%{b:02X}" for b in ch.encode("utf-8")) if ch.isspace() or _CONTROL.match(ch) else ch
        for ch in url
    )


def record_for(paper: Paper) -> str:
    """One paper as an RIS record, ending with ``ER  -`` and a line break."""
    preprint = paper.arxiv_id is not None and (not paper.doi or paper.doi.startswith(_PREPRINT_DOI))
    kind = "JOUR" if paper.doi and not preprint else "GEN"
    if paper.venue:
        kind = "CONF" if venues.is_proceedings(paper.venue) else "JOUR"
    lines = [("TY", kind)]
    if paper.key:
        lines.append(("ID", _one_line(paper.key)))
    lines.append(("TI", _one_line(paper.title)))
    if paper.venue:
        lines.append(("T2", _one_line(paper.venue)))
    lines += [("AU", _ris_name(a)) for a in paper.authors if _one_line(a)]
    if paper.year is not None:
        lines.append(("PY", f"{paper.year:04d}"))
    if paper.date and paper.date[5:7].isdigit():
        month, day = paper.date[5:7], paper.date[8:10]
        lines.append(("DA", f"{paper.date[:4]}/{month}/{day if day.isdigit() else ''}/"))
    lines += [("AB", line) for line in _lines(paper.abstract)]
    if paper.doi:
        lines.append(("DO", _one_line(paper.doi)))
    if paper.url:
        lines.append(("UR", _url(paper.url)))
    if paper.arxiv_id:
        # Accession number: where the id survives without inventing a URL or DOI.
        lines.append(("AN", f"arXiv:{_one_line(paper.arxiv_id)}"))
    lines += [("KW", _one_line(t)) for t in paper.tags if _one_line(t)]
    lines += [("N1", line) for line in _lines(paper.notes)]
    body = "".join(f"{tag}  - {value}".rstrip() + "\n" for tag, value in lines)
    return body + "ER  - \n"


def _ris_name(name: str) -> str:
    """``First Last`` as RIS's ``Last, First`` (the last word as the family name), which the reader undoes.

    A one-word name, or one that already holds a comma, is written as it is.
    """
    text = _one_line(name)
    if "," in text or " " not in text:
        return text
    first, last = text.rsplit(" ", 1)
    return f"{last}, {first}"


def _lines(text: str) -> list[str]:
    """``text`` as one-line values (a tag each), control characters left out, outer blank lines dropped."""
    return [_CONTROL.sub("", line).replace("\t", " ").rstrip() for line in text.strip().splitlines()]


def write(papers: Iterable[Paper], stream: TextIO) -> None:
    """Write ``papers`` as RIS records, a blank line between them."""
    for n, paper in enumerate(papers):
        if n:
            stream.write("\n")
        stream.write(record_for(paper))


FORMAT = register(
    Format(
        name="ris",
        description="RIS (.ris) from Zotero, Mendeley, EndNote, Scopus, Web of Science, PubMed or IEEE",
        sniff=sniff,
        read=read,
        write=write,
        extensions=(".ris",),
    )
)

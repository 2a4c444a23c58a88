"""Whether a draft is a paper already in the library, and what it may add to it.

An import matches a draft to a stored paper (or one added earlier in the run)
by arXiv id, then DOI, then normalised title. A title is a weak key: different
works share one ("Introduction", "Counterfactuals"), so a candidate whose DOI
or arXiv id differs, or whose year is more than one apart with another first
author, is another paper. These checks run only on candidates, which the run
finds set-wise with one ``IN`` query per identifier and batch.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from readinglist.core import links
from readinglist.core.importing.prepare import Prepared

if TYPE_CHECKING:  # sqlite-utils is slow to import; only the type is needed here
    from sqlite_utils import Database

ENRICHABLE = ("abstract", "authors", "year", "date", "arxiv_id", "doi", "url", "venue", "key")
Index = dict[str, list[dict[str, Any]]]
"""Papers (as row dicts) by one identifier's value: arXiv id, DOI or title key."""

_HOW = ("arxiv id", "doi", "title")
_LOOKUP_COLS = (
    "id, title, title_key, arxiv_id, doi, abstract, authors, year, date, url, notes, venue, key, "
    # The tags as the word list counted them (see ImportRun); not a column since m010.
    "(SELECT group_concat(t.name, ' ') FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id "
    "WHERE pt.paper_id = papers.id) AS _tags_text"
)
_Conflict = tuple[dict[str, Any], str]


KNOWN_LIMIT = 1_000_000
"""Identifier values :class:`Known` remembers at most (about 60 MB); past it, every value is looked up."""


class Known:
    """Which identifier values the library may hold, so that a batch asks SQLite only about those.

    Nearly every value a large import looks up is new: at 100k arXiv papers the
    three ``IN`` queries per batch cost 0.6 s of the writer's CPU to find almost
    nothing. The hashes of the values in the library (read at the start when
    the library is small, then every value the run writes) answer "certainly
    not there" for most of them; a hash that is there (the value, or another
    with the same hash) is looked up as before, so the answer is the same.

    Args:
        db: The library, inside the run's transaction.
        stored: How many papers it holds.
        limit: Values remembered at most; a larger library, or a run that grows
            past it, looks every value up.
    """

    COLUMNS = ("arxiv_id", "doi", "title_key")

    def __init__(self, db: Database, stored: int, limit: int = KNOWN_LIMIT) -> None:
        """Read the library's values, unless it is too large for that to pay."""
        self.limit = limit
        self.size = 0
        self.hashes: dict[str, set[int]] | None = None
        if stored * len(self.COLUMNS) > limit // 4:
            return  # reading them all would cost more than the lookups of a small run
        self.hashes = {}
        for column in self.COLUMNS:
            values = db.execute(f"SELECT {column} FROM papers WHERE {column} IS NOT NULL")
            self.hashes[column] = {hash(v) for (v,) in values}
        self.size = sum(len(h) for h in self.hashes.values())

    def maybe(self, column: str, values: set[str]) -> set[str]:
        """The ``values`` of ``column`` that the library may hold (all of them once past the limit)."""
        if self.hashes is None:
            return values
        known = self.hashes[column]
        return {v for v in values if hash(v) in known}

    def add(self, rows: list[dict[str, Any]]) -> None:
        """Remember the identifiers of papers the run has just written (or given identifiers).

        ``rows`` are row dicts, whole or only the columns that changed.
        """
        hashes = self.hashes
        if hashes is None:
            return
        for column in self.COLUMNS:
            known = hashes[column]
            before = len(known)
            known.update([hash(v) for r in rows if (v := r.get(column))])
            self.size += len(known) - before
        if self.size > self.limit:
            self.hashes = None  # memory would grow with the run from here: ask SQLite


def lookup(db: Database, batch: list[Prepared], known: Known | None = None) -> tuple[Index, ...]:
    """Stored papers sharing an arXiv id, a DOI or a title key with the batch: every one, oldest first.

    Every one, not just the first: two stored papers of the same title (kept
    apart because their DOIs or years differ) must each be found again.
    ``known`` leaves out the values the library certainly does not hold.
    """
    out: list[Index] = []
    for column, values in (
        ("arxiv_id", {p.arxiv_id for p in batch if p.arxiv_id}),
        ("doi", {p.doi for p in batch if p.doi}),
        ("title_key", {p.key for p in batch}),
    ):
        found: Index = {}
        if values and known is not None:
            values = known.maybe(column, values)
        if values:
            marks = ",".join("?" * len(values))
            cursor = db.execute(
                f"SELECT {_LOOKUP_COLS} FROM papers WHERE {column} IN ({marks}) ORDER BY id", list(values)
            )
            cols = [d[0] for d in cursor.description]
            for values_row in cursor:
                row = dict(zip(cols, values_row, strict=True))
                found.setdefault(row[column], []).append(row)
        out.append(found)
    return tuple(out)


def match(
    prep: Prepared,
    stored: tuple[Index, ...],
    added: tuple[Index, ...],
) -> tuple[dict[str, Any] | None, str, _Conflict | None]:
    """The paper ``prep`` duplicates: by arXiv id, then DOI, then title; stored papers first.

    A candidate whose identifiers, or year and first author, say it is another
    work (:func:`_conflict`) is passed over.

    Returns:
        The paper (or None), how it was matched (``arxiv id``, ``doi`` or ``title``),
        and the first candidate passed over with the reason, for the report.
    """
    passed: _Conflict | None = None
    for how, value, in_db, in_run in zip(
        _HOW, (prep.arxiv_id, prep.doi, prep.key), stored, added, strict=True
    ):
        if not value:
            continue
        for candidates in (in_db.get(value), in_run.get(value)):
            for row in candidates or ():
                reason = _conflict(prep, row, how)
                if reason is None:
                    return row, how, None
                if passed is None:
                    passed = (row, reason)
    return None, "", passed


def _conflict(prep: Prepared, row: dict[str, Any], how: str) -> str | None:
    """Why ``prep``, matched to ``row`` by ``how``, is another work; None if nothing says so.

    Runs only for candidate matches, so it may take its time a little.
    """
    if how == "doi":
        return None
    if prep.doi and row["doi"] and prep.doi != row["doi"] and not _arxiv_doi(prep.doi, row["doi"]):
        return f"{_what(prep, how)} but its DOI is {prep.doi}, not {row['doi']}"
    if how != "title":
        return None
    if prep.arxiv_id and row["arxiv_id"] and prep.arxiv_id != row["arxiv_id"]:
        return f"{_what(prep, how)} but its arXiv id is {prep.arxiv_id}, not {row['arxiv_id']}"
    ours, theirs = prep.year or _year_of(prep.date), row["year"] or _year_of(row["date"])
    if ours and theirs and abs(ours - theirs) > 1:
        first = _first_surname(prep.authors_json)
        if not first or first != _first_surname(row["authors"]):
            return f"{_what(prep, how)} but it is from {ours}, not {theirs}, by another first author"
    return None


def _what(prep: Prepared, how: str) -> str:
    return f"title {prep.title!r} matches" if how == "title" else f"arXiv id {prep.arxiv_id} matches"


def _arxiv_doi(a: str, b: str) -> bool:
    """Whether one of two DOIs is arXiv's own (10.48550/arXiv.…): a preprint's DOI next to its journal's."""
    return a.startswith(_ARXIV_DOI) or b.startswith(_ARXIV_DOI)


_ARXIV_DOI = "10.48550/arxiv."


def _year_of(date: Any) -> int | None:
    text = str(date or "")[:4]
    return int(text) if len(text) == 4 and text.isdigit() else None


def _first_surname(authors_json: str | None) -> str:
    """The first author's surname, case-folded (``Last, First`` or ``First Last``); empty if none."""
    if not authors_json or authors_json == "[]":
        return ""
    try:
        names = json.loads(authors_json)
    except ValueError:
        return ""
    if not names or not isinstance(names[0], str):
        return ""
    name = names[0].strip()
    surname = name.split(",", 1)[0] if "," in name else (name.split() or [""])[-1]
    return links.normalize_title(surname)


def enrich(row: dict[str, Any], prep: Prepared) -> dict[str, Any]:
    """Fill the fields ``row`` lacks from ``prep`` (in place); return what changed.

    A field that would contradict one the paper has is left out: a year that
    is not its date's, a date not in its year, an arXiv DOI of another id.
    """
    incoming: dict[str, Any] = {
        "abstract": prep.abstract,
        "authors": prep.authors_json if prep.authors_json != "[]" else "",
        "year": prep.year,
        "date": prep.date,
        "arxiv_id": prep.arxiv_id,
        "doi": prep.doi,
        "url": prep.url,
        "venue": prep.venue,
        "key": prep.cite_key,
    }
    changed = {c: incoming[c] for c in ENRICHABLE if incoming[c] and row[c] in (None, "", "[]")}
    if changed:
        _drop_contradictions(row, changed)
    if "abstract" in changed:
        changed["links"] = prep.links_json
    row.update(changed)
    return changed


def _drop_contradictions(row: dict[str, Any], changed: dict[str, Any]) -> None:
    year = changed.get("year")
    if year is not None and row["date"] and _year_of(row["date"]) not in (None, year):
        del changed["year"]
    date = changed.get("date")
    if date is not None and row["year"] and _year_of(date) not in (None, row["year"]):
        del changed["date"]
    doi = changed.get("doi")
    if doi and doi.startswith(_ARXIV_DOI) and row["arxiv_id"] and doi[len(_ARXIV_DOI) :] != row["arxiv_id"]:
        del changed["doi"]
    arxiv_id = changed.get("arxiv_id")
    stored_doi = row["doi"] or ""
    if arxiv_id and stored_doi.startswith(_ARXIV_DOI) and stored_doi[len(_ARXIV_DOI) :] != arxiv_id:
        del changed["arxiv_id"]

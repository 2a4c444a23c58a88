"""What consecutive searches on one connection read again, and the one cache policy.

A query typed key by key runs a search per key over mostly the same
candidates, and the same complete words: a caller that searches one library
for a long time (the TUI's search session) holds one :class:`SearchCache` and
passes it to every :class:`~readinglist.core.search.engine.SearchEngine`.

The cache policy (every cache of the project follows it):

1. **Read from the library: valid for one library version.** Whatever is
   read from the library file is kept only while :func:`library_version`
   stays the same (another connection's commit or this connection's own write
   moves it); the first use after it moved drops everything
   (:meth:`SearchCache.sync`). So a cached answer is always the answer an
   uncached read would give. Here: candidate rows, abstracts, word expansions,
   whole results, papers, warmed keys and the view counts of the session.
2. **A pure function of its key: never invalidated, only bounded.** A value
   computed from its key alone (no library read) cannot go stale: it is kept
   up to a size and dropped wholesale or least-recently-used beyond it. Here:
   :func:`~readinglist.core.search.words.stem`, the index-term memo
   (:data:`~readinglist.core.search.words.INDEX_TERMS`),
   :func:`~readinglist.core.search.rank.title_words`, and the paper list's
   drawn rows (keyed by everything a row shows).
3. **One query's or one load's working state: dies with it.** A matcher's
   word memo, a query run's filter set and highlighters, and the paper list's
   papers (replaced with every load, each paper dropped when this app writes
   it) are not caches across library versions at all.

Nothing else may cache library data: a new cache either keys on
:func:`library_version` (through a :class:`SearchCache`'s :meth:`~SearchCache.memo`)
or computes from its key alone.
"""

import sqlite3
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, NamedTuple, TypeVar

from readinglist.core.models import Paper
from readinglist.core.search.words import fold

T = TypeVar("T")
_CHUNK = 500
TAGS_TEXT_SQL = (
    "(SELECT group_concat(t.name, ' ') FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id "
    "WHERE pt.paper_id = papers.id)"
)
"""A paper's tag names, space-separated, in tag id order (what the ``tags_text`` column held until m010)."""


LibraryVersion = tuple[int, int]
"""See :func:`library_version`."""


def library_version(conn: sqlite3.Connection) -> LibraryVersion:
    """What changes whenever the library does, as ``conn`` sees it: the one "library changed" check.

    ``PRAGMA data_version`` moves when another connection commits,
    ``total_changes`` when this one writes (the pragma ignores its own writes).
    Equal versions from one connection mean nothing was written in between.
    """
    return int(conn.execute("PRAGMA data_version").fetchone()[0]), conn.total_changes


# A NamedTuple, not a dataclass, and annotations evaluated, not strings: every
# ``readinglist search`` loads this module (see readinglist/core/models.py).
class PaperRow(NamedTuple):
    """The fields of a paper that ranking and highlighting read (never the abstract)."""

    title: str
    authors: str
    """The stored JSON list of names (it tokenises to the same words as the names)."""
    tags_text: str
    notes: str
    starred: int
    added_at: str
    year: int | None
    others: str
    """Authors, tags and notes, folded (see :func:`fold`), for the substring checks of ranking."""


class SearchCache:
    """Rows, abstracts, word expansions and whole results, kept across searches.

    Belongs to one connection and must be used as that connection is (on its
    thread, or under the caller's lock). Every use first calls :meth:`sync`,
    which forgets everything if the library changed (rule 1 of the module's
    policy), so a cached search returns what an uncached one would.

    Args:
        max_rows: Rows kept (the oldest half is dropped beyond this).
        max_abstracts: Abstracts kept (likewise).
        max_results: Whole search results kept (the least recently used go first).
        max_papers: Whole papers kept for :meth:`papers` (the oldest half is dropped beyond this).
    """

    def __init__(
        self,
        max_rows: int = 30_000,
        max_abstracts: int = 20_000,
        max_results: int = 128,
        max_papers: int = 2_000,
    ) -> None:
        """An empty cache."""
        self.max_rows = max_rows
        self.max_abstracts = max_abstracts
        self.max_results = max_results
        self.max_papers = max_papers
        self._conn: sqlite3.Connection | None = None
        self._version: LibraryVersion | None = None
        self._rows: dict[int, PaperRow] = {}
        self._abstracts: dict[int, str] = {}
        self._memo: dict[Hashable, Any] = {}
        self._results: dict[tuple[object, ...], Any] = {}
        self._papers: dict[int, Paper] = {}
        self.warmed: set[Hashable] = set()
        """What ``SearchEngine.warm`` read in full since the library last changed."""

    def sync(self, conn: sqlite3.Connection) -> None:
        """Forget everything if the library changed (or another connection is used) since the last call."""
        version = library_version(conn)
        if version != self._version or conn is not self._conn:
            self._conn, self._version = conn, version
            self._rows.clear()
            self._abstracts.clear()
            self._memo.clear()
            self._results.clear()
            self._papers.clear()
            self.warmed.clear()

    # What the cache holds, read-only: reading ahead (``SearchEngine.warm``)
    # does nothing but fill the cache, so this is what shows it did its work.

    def row_ids(self) -> frozenset[int]:
        """The ids of the papers whose rows are kept now (a copy)."""
        return frozenset(self._rows)

    def abstract_ids(self) -> frozenset[int]:
        """The ids of the papers whose abstracts are kept now (a copy)."""
        return frozenset(self._abstracts)

    def result_keys(self) -> list[tuple[object, ...]]:
        """The keys of the whole search results kept now, least recently used first (a copy)."""
        return list(self._results)

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value for ``key``, computed once per library state (keep values small and immutable)."""
        try:
            return self._memo[key]  # type: ignore[no-any-return]
        except KeyError:
            pass
        if len(self._memo) >= 4 * _CHUNK:
            self._memo.clear()
        value = self._memo[key] = compute()
        return value

    def result(self, key: tuple[object, ...]) -> Any:
        """A whole search's result stored under ``key`` since the library last changed, or None."""
        found = self._results.pop(key, None)
        if found is not None:
            self._results[key] = found  # most recently used last
        return found

    def keep_result(self, key: tuple[object, ...], value: Any) -> None:
        """Store a whole search's result (the least recently used go beyond ``max_results``)."""
        self._results.pop(key, None)
        self._results[key] = value
        while len(self._results) > self.max_results:
            del self._results[next(iter(self._results))]

    def papers(self, ids: Sequence[int], read: Callable[[list[int]], list[Paper]]) -> list[Paper]:
        """The papers of ``ids`` that exist, in order, reading through ``read`` only those not kept.

        For a caller that shows each search's first rows: typing a query shows
        mostly the same papers key after key (``Paper`` is immutable, and
        every write empties the cache).
        """
        kept = self._papers
        missing = [i for i in ids if i not in kept]
        new = {paper.id: paper for paper in read(missing)} if missing else {}
        found = [paper for i in ids if (paper := kept.get(i) or new.get(i)) is not None]
        _store(kept, new, self.max_papers)
        return found

    def rows(
        self, conn: sqlite3.Connection, ids: Iterable[int], with_abstracts: bool = False
    ) -> dict[int, PaperRow]:
        """The rows of ``ids`` that exist, in the order of ``ids``.

        Args:
            conn: The connection the cache belongs to.
            ids: Paper ids.
            with_abstracts: Also read the abstracts of the rows read now (for
                :meth:`abstracts` to find): they sit on the same page, which a
                second query would read again.
        """
        ids = list(ids)
        cached = self._rows
        missing = [i for i in ids if i not in cached]
        fetched: dict[int, PaperRow] = {}
        abstracts: dict[int, str] = {}
        extra = "abstract" if with_abstracts else "NULL"
        for start in range(0, len(missing), _CHUNK):
            chunk = missing[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            sql = f"""SELECT id, title, authors, {TAGS_TEXT_SQL}, notes, starred, added_at, year, {extra}
                      FROM papers WHERE id IN ({marks})"""
            for pid, title, authors, tags_text, notes, starred, added, year, abstract in conn.execute(
                sql, chunk
            ):
                authors, tags_text, notes = authors or "[]", tags_text or "", notes or ""
                others = fold(" ".join((authors, tags_text, notes)))
                fetched[pid] = PaperRow(
                    title, authors, tags_text, notes, int(starred), added or "", year, others
                )
                if with_abstracts:
                    abstracts[pid] = abstract or ""
        found = {i: row for i in ids if (row := cached.get(i) or fetched.get(i)) is not None}
        _store(cached, fetched, self.max_rows)
        _store(self._abstracts, abstracts, self.max_abstracts)
        return found

    def abstracts(self, conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, str]:
        """The abstracts of ``ids`` that exist ("" for none)."""
        ids = list(ids)
        cached = self._abstracts
        missing = [i for i in ids if i not in cached]
        fetched: dict[int, str] = {}
        for start in range(0, len(missing), _CHUNK):
            chunk = missing[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT id, abstract FROM papers WHERE id IN ({marks})"
            for pid, abstract in conn.execute(sql, chunk):
                fetched[pid] = abstract or ""
        found = {i: text for i in ids if (text := cached.get(i, fetched.get(i))) is not None}
        _store(cached, fetched, self.max_abstracts)
        return found


def _store(cache: dict[int, Any], new: dict[int, Any], most: int) -> None:
    """Add ``new`` to ``cache``, first dropping the oldest entries if it would hold more than ``most``."""
    if len(cache) + len(new) > most:
        keep = max(0, min(most // 2, most - len(new)))
        for key in list(cache)[: len(cache) - keep]:
            del cache[key]
    cache.update(new)

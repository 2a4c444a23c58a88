"""The search engine: the public entry point the TUI and the CLI share.

:class:`SearchEngine` parses the text, brings the word list up to date if
papers changed, and hands the query to :class:`~readinglist.core.search.run.QueryRun`.
"""

from __future__ import annotations

from collections.abc import Callable

from readinglist.core.errors import LibraryError
from readinglist.core.models import View
from readinglist.core.search.cache import SearchCache
from readinglist.core.search.parser import parse
from readinglist.core.search.rank import title_words
from readinglist.core.search.results import SearchResult
from readinglist.core.search.run import QueryRun
from readinglist.core.search.vocab import refresh_vocab
from readinglist.core.search.words import stem
from readinglist.core.store import BUSY_TIMEOUT_S, Library

WARM_PAPERS = 5_000
"""Papers :meth:`SearchEngine.warm` reads: the newest, where a short prefix's candidates lie."""
WARM_LETTERS = "scpamtdefrilgbnohuwvkjqyzx"
"""The one-letter searches :meth:`SearchEngine.warm` runs ahead, most frequent first letters first."""
WARM_BATCH = 100
"""Papers read between two checks of ``stop`` (about 4 ms at 100k papers)."""


class SearchEngine:
    """Runs queries against one library.

    Cheap to build (the TUI builds one per query): it holds the library and
    a :class:`SearchCache`; the word list it needs lives, indexed, in the
    library file.

    Args:
        library: The library to search. An engine must be used on the thread
            that opened the library's connection (or under the caller's lock).
        cache: What earlier searches on this library's connection read, for
            a caller that searches key by key (pass the same cache to every
            engine on that connection). Without, the engine keeps its own.
    """

    def __init__(self, library: Library, cache: SearchCache | None = None) -> None:
        """Bind the engine to a library (and a cache)."""
        self.library = library
        self.cache = cache if cache is not None else SearchCache()

    def search(
        self, text: str, limit: int = 200, view: View = View.ALL, tag: str | None = None, count: bool = True
    ) -> SearchResult:
        """Run ``text`` and return up to ``limit`` hits, best first.

        Any text is accepted: parts that cannot be used are reported in
        ``hint`` instead of raising.

        Args:
            text: What the user typed (see README "Search syntax").
            limit: The most hits to return.
            view: Only papers of this view.
            tag: Only papers with this tag.
            count: Count the matches up to ``COUNT_CAP`` in ``total``. Without,
                ``total`` is exact only when few papers match (else None), and
                the search is quicker: :meth:`count` counts afterwards.

        Raises:
            LibraryError: if the library itself cannot be read.
        """
        query = parse(text)
        self._refresh()
        with self.library.errors():
            self.cache.sync(self.library.conn)
        # The same search on the same library gives the same result, except where it
        # reads the clock (``added:<7d``; every ``added:`` query is left out, to be
        # safe): a query typed again (backspace, a letter searched ahead by ``warm``)
        # is answered at once.
        key = None if query.added else ("search", text, limit, view, tag, count)
        if key is not None and isinstance(kept := self.cache.result(key), SearchResult):
            return kept.copy()
        run = QueryRun(self.library, query, max(0, limit), view, tag, count=count, cache=self.cache)
        result = run.execute()
        if not query.clauses and not query.excluded and text.strip() and not query.has_filters:
            if query.sort == "relevance" and not query.hints:
                query.hints.append("nothing to search for in the query: showing every paper")
        result.hint = "; ".join(dict.fromkeys(query.hints)) or None
        if key is not None:
            self.cache.keep_result(key, result.copy())
        return result

    def count(self, text: str, view: View = View.ALL, tag: str | None = None) -> int | None:
        """How many papers :meth:`search` finds for ``text``, up to ``COUNT_CAP`` (None beyond).

        Raises:
            LibraryError: if the library itself cannot be read.
        """
        query = parse(text)
        with self.library.errors():
            self.cache.sync(self.library.conn)
        return QueryRun(self.library, query, 0, view, tag, cache=self.cache).count_matches()

    def warm(
        self,
        papers: int = WARM_PAPERS,
        stop: Callable[[], bool] = lambda: False,
        after: str | None = None,
        view: View = View.ALL,
        tag: str | None = None,
        limit: int = 200,
    ) -> int:
        """Read what the next keys will search into the cache, before they are typed.

        A search's candidates are the newest matches of a few tiers (see
        ``run``). The first key of a query is one letter: every one-letter
        search is run ahead (with ``limit``, ``view`` and ``tag``, as the
        caller will search) and its result kept, after the newest papers,
        among which the next letters find most of their candidates. The first
        letter of the next word narrows the words typed so far, so its
        candidates are among those words' newest matches, in the titles and
        anywhere. With their rows, abstracts and title words at hand, those
        keys, the slowest to search, cost a third to a half less. Results
        never change; only where they come from.

        Args:
            papers: How many papers to read (of each kind).
            stop: Checked between small batches and between searches: a
                caller with a search to run gets the connection back within
                one of them (a caller can also interrupt the connection).
            after: A query just searched: read the newest papers matching it
                (and, like it, ``view`` and ``tag``) instead of the newest
                papers, and search nothing ahead.
            view: The view searched (see ``after``).
            tag: The tag searched (see ``after``).
            limit: The most hits the caller's searches ask for.

        Returns:
            How many papers were read (fewer if ``stop`` turned true; none if
            the same warming already ran in full since the library changed).

        Raises:
            LibraryError: if the library cannot be read.
        """
        conn = self.library.conn
        key = (papers, after, view, tag, limit)
        with self.library.errors():
            self.cache.sync(conn)
            if key in self.cache.warmed:
                return 0  # a view shown again (a search cleared) finds it all still read
            if after is None:
                ids = [r[0] for r in conn.execute("SELECT id FROM papers ORDER BY id DESC LIMIT ?", [papers])]
            else:
                run = QueryRun(self.library, parse(after), 0, view, tag, cache=self.cache)
                # The title tiers' candidates lie deeper in the past than the others'.
                found = run.newest_matches(papers) + run.newest_matches(papers, titles=True)
                ids = list(dict.fromkeys(found))
            done = 0
            for start in range(0, len(ids), WARM_BATCH):
                if stop():
                    break
                rows = self.cache.rows(conn, ids[start : start + WARM_BATCH], with_abstracts=True)
                for row in rows.values():
                    for word in title_words(row.title).distinct:
                        stem(word)  # what ranking asks of every title word
                done += len(rows)
        if after is None:
            for letter in WARM_LETTERS:
                if stop():
                    break
                self.search(letter, limit=limit, view=view, tag=tag, count=False)
        if stop():
            return done
        self.cache.warmed.add(key)
        return done

    def _refresh(self) -> None:
        """Bring the word list up to date if papers changed since the last import."""
        lib = self.library
        with lib.errors():
            dirty = lib.conn.execute(
                "SELECT EXISTS (SELECT 1 FROM search_dirty) OR EXISTS (SELECT 1 FROM search_dirty_tags)"
            ).fetchone()[0]
        if not dirty:
            return
        # Never wait long on another process's write lock: a stale word list
        # only means fewer typo expansions this time.
        lib.conn.execute("PRAGMA busy_timeout = 100")
        try:
            refresh_vocab(lib)
        except LibraryError:
            pass
        finally:
            lib.conn.execute(f"PRAGMA busy_timeout = {int(1000 * BUSY_TIMEOUT_S)}")

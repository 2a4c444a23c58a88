"""Searching the library.

The public surface is :class:`SearchEngine`, :class:`SearchResult` and
:class:`Hit`; the TUI and ``readinglist search`` both use it. The query
language is in :mod:`.parser`, the word list for typo and prefix expansion in
:mod:`.vocab`, ranking and highlighting in :mod:`.rank`.
"""

from readinglist.core.search.cache import SearchCache
from readinglist.core.search.engine import SearchEngine, find_spans, search
from readinglist.core.search.parser import Query, parse
from readinglist.core.search.results import Hit, SearchResult, Span
from readinglist.core.search.sql import fts_query, quote
from readinglist.core.search.vocab import refresh_vocab

__all__ = [
    "Hit",
    "Query",
    "SearchCache",
    "SearchEngine",
    "SearchResult",
    "Span",
    "find_spans",
    "fts_query",
    "parse",
    "quote",
    "refresh_vocab",
    "search",
]

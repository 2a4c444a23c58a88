"""Searching the library.

The public surface is :class:`SearchEngine` (its results are
:class:`~.results.SearchResult` and :class:`~.results.Hit`); the TUI and
``readinglist search`` both use it. The query
language is in :mod:`.parser`, the word list for typo and prefix expansion in
:mod:`.vocab`, ranking and highlighting in :mod:`.rank`, what consecutive
searches keep (and the one rule that drops it) in :mod:`.cache`, and the TUI
worker's session in :mod:`.session`.

The names below load with their module on first use, not with the package:
the app imports :mod:`.session` at start-up and runs its first search only
after its first frame.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from readinglist.core.search.cache import SearchCache
    from readinglist.core.search.engine import SearchEngine
    from readinglist.core.search.parser import parse
    from readinglist.core.search.sql import quote
    from readinglist.core.search.vocab import refresh_vocab

_HOMES = {
    "SearchCache": "cache",
    "SearchEngine": "engine",
    "parse": "parser",
    "quote": "sql",
    "refresh_vocab": "vocab",
}

__all__ = [
    "SearchCache",
    "SearchEngine",
    "parse",
    "quote",
    "refresh_vocab",
]


def __getattr__(name: str) -> object:
    """Load a public name's module the first time the name is asked for (PEP 562)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)

"""What a search returns: hits with their match spans, and the result."""

from typing import NamedTuple

Span = tuple[int, int]
"""A ``[start, end)`` character range in a field's stored text (the one span type: search, list, details)."""
COUNT_CAP = 1_000
"""Matches are counted exactly up to this many; beyond, ``SearchResult.total`` is None."""


# A NamedTuple and a plain class, not dataclasses, and annotations evaluated, not
# strings: every ``readinglist search`` loads this module (see readinglist/core/models.py).
class Hit(NamedTuple):
    """One matching paper."""

    paper_id: int
    score: float
    spans: dict[str, list[Span]]
    """Matched ranges per field, for highlighting: ``title``, ``abstract`` and
    ``notes`` index the stored text; ``authors`` indexes ``", ".join(paper.authors)``
    and ``tags`` indexes ``" ".join(paper.tags)``. Abstract and notes spans are
    only computed for the first ``ABSTRACT_SPANS`` hits; use ``SearchResult.terms``
    (or search again) for papers further down."""


class SearchResult:
    """The outcome of one query."""

    def __init__(
        self,
        hits: list[Hit],
        total: int | None = None,
        countable: bool = False,
        hint: str | None = None,
        terms: list[str] | None = None,
    ) -> None:
        self.hits = hits
        self.total = total
        """How many papers match in all (None when not counted)."""
        self.countable = countable
        """``total`` is None only because the search skipped counting
        (``count=False``): ``SearchEngine.count`` can still count them."""
        self.hint = hint
        """A message for the user, e.g. about a part of the query that was ignored."""
        self.terms: list[str] = [] if terms is None else terms
        """The words the query looked for, for highlighting text that has no spans."""

    def copy(self) -> "SearchResult":
        """A copy with its own list of hits (the hits themselves are immutable)."""
        return SearchResult(list(self.hits), self.total, self.countable, self.hint, self.terms)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SearchResult):
            return NotImplemented
        return self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass it replaces

    def __repr__(self) -> str:
        return f"SearchResult({self.__dict__!r})"

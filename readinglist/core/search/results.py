"""What a search returns: hits with their match spans, and the result."""

from __future__ import annotations

from dataclasses import dataclass, field

Span = tuple[int, int]
"""A ``[start, end)`` character range in a field's stored text."""


@dataclass(frozen=True)
class Hit:
    """One matching paper."""

    paper_id: int
    score: float
    spans: dict[str, list[Span]] = field(default_factory=dict)
    """Matched ranges per field, for highlighting: ``title``, ``abstract`` and
    ``notes`` index the stored text; ``authors`` indexes ``", ".join(paper.authors)``
    and ``tags`` indexes ``" ".join(paper.tags)``. Abstract and notes spans are
    only computed for the first ``ABSTRACT_SPANS`` hits; use ``SearchResult.terms``
    (or search again) for papers further down."""


@dataclass
class SearchResult:
    """The outcome of one query."""

    hits: list[Hit]
    total: int | None = None
    """How many papers match in all (None when not counted)."""
    countable: bool = False
    """``total`` is None only because the search skipped counting
    (``count=False``): ``SearchEngine.count`` can still count them."""
    hint: str | None = None
    """A message for the user, e.g. about a part of the query that was ignored."""
    terms: list[str] = field(default_factory=list)
    """The words the query looked for, for highlighting text that has no spans."""

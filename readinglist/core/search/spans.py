"""The spans a hit carries for highlighting, per field."""

from __future__ import annotations

import json

from readinglist.core.search import rank
from readinglist.core.search.cache import PaperRow
from readinglist.core.search.results import Span


class HitSpans:
    """Finds a query's words in the fields of its hits.

    Args:
        literals: The query's literals (``rank.query_literals``).
        abstract_spans: Abstracts and notes are highlighted in this many top hits only.
    """

    def __init__(self, literals: list[set[rank.Literal]], abstract_spans: int) -> None:
        """Build the highlighters."""
        self.short = rank.Highlighter(literals)
        # In an abstract, one- and two-letter word starts would light up everything.
        self.long = rank.Highlighter(literals, min_len=3)
        self.abstract_spans = abstract_spans

    def spans(
        self, row: PaperRow, abstract: str, rank_pos: int, title: list[Span] | None, elsewhere: bool
    ) -> dict[str, list[Span]]:
        """Spans to highlight in one hit, by field (fields without any are left out).

        Args:
            row: The hit's paper.
            abstract: Its abstract ("" if not read: only needed near the top).
            rank_pos: Its position in the result.
            title: The title's spans if ranking found them already, else None.
            elsewhere: Whether some word may be outside the title: authors and
                tags are only highlighted then.
        """
        short, long = self.short, self.long
        near_top = rank_pos < self.abstract_spans
        if elsewhere and "\\" not in row.authors:
            # ``others`` holds the authors' JSON (names verbatim when nothing is
            # escaped) and the tags, folded: no literal there, no span in either.
            elsewhere = short.may_match(row.others)
        fields = {
            "title": short.spans(row.title) if title is None else title,
            "abstract": long.spans(abstract) if near_top else [],
            "authors": short.spans(", ".join(json.loads(row.authors))) if elsewhere else [],
            "tags": short.spans(row.tags_text) if elsewhere else [],
            "notes": long.spans(row.notes) if near_top else [],
        }
        return {name: spans for name, spans in fields.items() if spans}

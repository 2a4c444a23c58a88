"""The command line's discovery commands: ``index``, ``related``, and ``search`` with meaning results.

Kept apart from :mod:`readinglist.cli` so that module stays small; numpy and
the model load only inside these handlers, and only when needed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from readinglist.core.models import Paper, View, paper_to_dict
from readinglist.core.safe_text import json_visible, visible

if TYPE_CHECKING:
    import argparse

    from readinglist.core.semantic.index import IndexProgress
    from readinglist.core.store import Library

SET_LIMIT = 100
"""The most papers of a ``--query`` that ``related`` averages."""
MEANING_NOTE = "readinglist: papers from line {n} on were found by meaning (they do not match every word)"


def print_matches(papers: Sequence[Paper], words: int, as_json: bool, line: object) -> None:
    """Print search results: JSON gains ``"match"``; plain lines stay as they were (a note on stderr).

    Args:
        papers: Word matches first, then papers found by meaning.
        words: How many of ``papers`` matched the words.
        as_json: Print a JSON array.
        line: The one-line formatter of plain output (``readinglist.cli_common.line``).
    """
    if as_json:
        rows = [
            {**paper_to_dict(p), "match": "words" if k < words else "meaning"} for k, p in enumerate(papers)
        ]
        print(json_visible(json.dumps(rows, ensure_ascii=False, indent=2)))
        return
    if len(papers) > words:
        print(MEANING_NOTE.format(n=words + 1), file=sys.stderr)
    assert callable(line)
    for paper in papers:
        print(line(paper))


def cmd_search(args: argparse.Namespace, library: Library, line: object) -> int:
    """``readinglist search``: word matches best first, then papers found by meaning."""
    from readinglist.core.semantic import fusion  # loads the word engine; numpy only if needed

    fused = fusion.search(library, " ".join(args.query), limit=args.limit, count=False)
    if fused.result.hint:
        print(f"readinglist: {fused.result.hint}", file=sys.stderr)
    papers = library.get_many([h.paper_id for h in fused.result.hits])
    print_matches(papers, fused.words, args.json, line)
    return 0


class _Bar:
    """The progress bar of ``readinglist index`` (stderr, only on a terminal)."""

    WIDTH = 30

    def __init__(self) -> None:
        import time

        self.clock = time.monotonic
        self.start = self.clock()
        self.drawn = False

    def update(self, progress: IndexProgress) -> None:
        if not sys.stderr.isatty():
            return
        share = progress.done / progress.total if progress.total else 1.0
        filled = int(share * self.WIDTH)
        rate = progress.done / max(self.clock() - self.start, 1e-6)
        sys.stderr.write(
            f"\rembedding: [{'#' * filled}{'.' * (self.WIDTH - filled)}] {share:4.0%} "
            f"{progress.done:,}/{progress.total:,} papers, {rate:,.0f}/s "
        )
        sys.stderr.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.drawn = False
            sys.stderr.write("\n")
            sys.stderr.flush()


def cmd_index(args: argparse.Namespace, library: Library) -> int:
    """``readinglist index``: embed new and changed papers (resumable: Ctrl-C keeps what is done)."""
    from readinglist.core.semantic.index import embed_pending, embedded_count
    from readinglist.core.semantic.model import Embedder

    embedder = Embedder()  # ModelMissing says how to get the model
    bar = _Bar()
    try:
        embedded = embed_pending(library, embedder, progress=bar.update)
    except KeyboardInterrupt:
        bar.close()
        kept = embedded_count(library, embedder.model_id)
        print(
            f"readinglist: interrupted; {kept:,} papers are indexed and kept "
            "(run `readinglist index` again to go on)",
            file=sys.stderr,
        )
        return 130
    finally:
        bar.close()
    total = embedded_count(library, embedder.model_id)
    print(f"embedded {embedded:,} papers; {total:,} papers can be found by meaning")
    return 0


def cmd_related(args: argparse.Namespace, library: Library, line: object) -> int:
    """``readinglist related``: papers like one paper, or like a set (not in it and not read)."""
    from readinglist.core.errors import ReadingListError
    from readinglist.core.semantic.discovery import NOT_INDEXED_HINT, Discovery
    from readinglist.core.semantic.model import MISSING_HINT

    sources = [args.id is not None, args.view is not None, args.tag is not None, args.query is not None]
    if sum(sources) != 1:
        raise ReadingListError("related: give one of ID, --view, --tag or --query")
    discovery = Discovery(library)
    if not discovery.available():
        raise ReadingListError(MISSING_HINT)
    if args.id is not None:
        library.require(args.id)
    if not discovery.has_vectors():
        raise ReadingListError(NOT_INDEXED_HINT)
    if args.id is not None:
        found = discovery.related(args.id, args.limit)
        if not found:
            raise ReadingListError(f"paper {args.id} is not indexed yet: run `readinglist index`")
    else:
        ids = _set_of(args, library)
        if not ids:
            raise ReadingListError("related: the set is empty (no paper in it)")
        found = discovery.read_next(ids, args.limit)
    papers = library.get_many([i for i, _ in found])
    if args.json:
        scores = dict(found)
        rows = [{**paper_to_dict(p), "similarity": round(scores[p.id], 4)} for p in papers]
        print(json_visible(json.dumps(rows, ensure_ascii=False, indent=2)))
    else:
        assert callable(line)
        for paper in papers:
            print(visible(str(line(paper))))
    return 0


def _set_of(args: argparse.Namespace, library: Library) -> list[int]:
    """The papers of ``--view``, ``--tag`` or ``--query``."""
    if args.view is not None:
        return library.ids(View(args.view))
    if args.tag is not None:
        return library.ids(View.ALL, args.tag)
    from readinglist.core.semantic import fusion

    return [h.paper_id for h in fusion.search(library, args.query, limit=SET_LIMIT, count=False).result.hits]

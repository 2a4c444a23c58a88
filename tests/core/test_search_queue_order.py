"""A search inside the queue view lists its hits in queue order, unless the query says ``sort:``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readinglist.cli import main
from readinglist.core import exporter
from readinglist.core.models import View
from readinglist.core.search import SearchEngine
from readinglist.core.store import Library
from tests.core.test_search_engine import add

TITLES = [
    "Retrieval augmented language models",  # relevance puts the full-title matches first
    "Graph attention networks",
    "Language models are few-shot learners",
    "Sparse mixture of experts",
    "Scaling laws for neural language models",
]
ABSTRACT = "A study of language models at scale."


def build(lib: Library) -> list[int]:
    """Five papers, all matching ``language`` (two only in the abstract), queued newest first."""
    ids = [add(lib, title, ABSTRACT) for title in TITLES]
    for paper_id in reversed(ids):
        lib.queue_add(paper_id)
    return lib.ids(View.QUEUE)


def hits(lib: Library, text: str, view: View = View.QUEUE) -> list[int]:
    return [h.paper_id for h in SearchEngine(lib).search(text, view=view).hits]


QUERIES = ["language", "lang", "language models", "models -graph", "-graph", "languge"]


@pytest.mark.parametrize("text", QUERIES)
def test_a_search_in_the_queue_keeps_queue_order(library: Library, text: str) -> None:
    queue = build(library)
    found = hits(library, text)
    assert found, text
    assert found == [i for i in queue if i in found]


def test_queue_order_follows_every_move(library: Library) -> None:
    build(library)
    engine = SearchEngine(library)
    moves: list[tuple[int, int | None]] = [(1, None), (3, -1), (5, 2), (2, None), (4, 1)]
    for paper_id, offset in moves:  # None: to the top
        if offset is None:
            library.queue_to_top(paper_id)
        else:
            library.queue_move(paper_id, offset)
        found = [h.paper_id for h in engine.search("language", view=View.QUEUE).hits]
        assert found == library.ids(View.QUEUE)


def test_an_explicit_sort_wins_in_the_queue(library: Library) -> None:
    queue = build(library)
    ranked = hits(library, "language", View.ALL)
    assert ranked != queue  # relevance and the queue disagree here, so the test can tell them apart
    assert hits(library, "language sort:relevance") == ranked
    by_title = sorted(queue, key=lambda i: library.get(i).title.lower())
    assert hits(library, "language sort:title") == by_title
    assert hits(library, "language sort:added") == sorted(queue, reverse=True)


def test_other_views_keep_relevance(library: Library) -> None:
    queue = build(library)
    ranked = hits(library, "language", View.ALL)
    assert hits(library, "language", View.UNREAD) == ranked
    assert ranked != queue
    assert all("language" in library.get(i).title.lower() for i in ranked[:3])  # full-title matches first


def test_export_and_list_of_a_saved_queue_search_use_queue_order(
    library: Library, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    queue = build(library)
    assert [p.id for p in exporter.select(library, query="language", view=View.QUEUE)] == queue
    library.close()
    db = str(db_path)
    assert main(["--db", db, "views", "save", "plan", "--view", "queue", "--query", "language"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "list", "--view", "plan", "--json"]) == 0
    assert [p["id"] for p in json.loads(capsys.readouterr().out)] == queue

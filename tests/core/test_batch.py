"""Batch changes (the app's marks) do what the one-paper changes do, as one undoable action."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from readinglist.core import batch
from readinglist.core.models import Status, View
from readinglist.core.sample import import_sample
from readinglist.core.store import Library


def dump(lib: Library) -> list[str]:
    tables = ("papers", "tags", "paper_tags")
    return [line for line in lib.conn.iterdump() if any(f'INSERT INTO "{t}"' in line for t in tables)]


@pytest.fixture
def twins(tmp_path: Path) -> Iterator[tuple[Library, Library]]:
    """Two identical libraries: one changed paper by paper, the other in one batch."""
    with Library(tmp_path / "one.db") as lib:
        import_sample(lib)
        lib.tag(3, ["old", "keep"])
        lib.tag(9, ["old"])
        for paper in (7, 3, 12, 5):
            lib.queue_add(paper)
        lib.set_status(12, Status.READING)
    shutil.copy(tmp_path / "one.db", tmp_path / "two.db")  # the same papers, to the second
    one, two = Library(tmp_path / "one.db"), Library(tmp_path / "two.db")
    yield one, two
    one.close()
    two.close()


IDS = [12, 3, 40, 9, 41, 9999]


@pytest.mark.parametrize("status", list(Status))
def test_status_matches_one_paper_at_a_time(twins: tuple[Library, Library], status: Status) -> None:
    one, two = twins
    for paper in IDS[:-1]:
        one.set_status(paper, status)
    start = dump(two)
    batch.set_status(two, IDS, status)
    assert dump(two) == dump(one)
    assert two.history()[0].description == f"marked 6 papers {status.value}"
    two.undo()
    assert dump(two) == start


@pytest.mark.parametrize("add", [True, False])
def test_queue_matches_one_paper_at_a_time(twins: tuple[Library, Library], add: bool) -> None:
    one, two = twins
    for paper in IDS[:-1]:
        one.queue_add(paper) if add else one.queue_remove(paper)
    batch.queue(two, IDS, add)
    assert dump(two) == dump(one)


def test_star_and_tags_match_one_paper_at_a_time(twins: tuple[Library, Library]) -> None:
    one, two = twins
    for paper in IDS[:-1]:
        one.set_starred(paper, True)
        one.tag(paper, ["new", "Keep"], ["old"])
    start = dump(two)
    batch.set_starred(two, IDS, True)
    assert batch.tag(two, IDS, ["new", "Keep"], ["old"]) == 5
    assert dump(two) == dump(one)
    assert [e.description for e in two.history()[:2]] == [
        "tagged 6 papers +new +Keep -old",
        "starred 6 papers",
    ]
    two.undo(2)
    assert dump(two) == start
    assert batch.count_where(two, IDS, "starred = 1") == 0


def test_delete_many_is_one_action(twins: tuple[Library, Library]) -> None:
    _, lib = twins
    start = dump(lib)
    batch.delete(lib, [3, 5, 7])
    assert lib.count() == 217
    assert [p.id for p in lib.papers(View.QUEUE)] == [12]
    assert lib.history()[0].description == "deleted 3 papers"
    lib.undo()
    assert dump(lib) == start

"""The library store: papers, stars, status, tags, notes, the queue and errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from readinglist.core.errors import LibraryError, PaperNotFound
from readinglist.core.models import PaperDraft, Status, View
from readinglist.core.search import SearchEngine
from readinglist.core.store import Library
from tests.helpers import add_paper


def _add(library: Library, title: str, **kw: object) -> int:
    return add_paper(library, PaperDraft(title=title, **kw), stamp="2026-01-01T00:00:00Z")  # type: ignore[arg-type]


@pytest.fixture
def three(library: Library) -> list[int]:
    return [_add(library, f"Paper {n}", abstract=f"About topic {n}.") for n in range(3)]


def test_new_library_file_is_created_with_its_folders(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "lib.db"
    with Library(path) as lib:
        assert lib.count() == 0
    assert path.is_file()


def test_paper_round_trips_every_field(library: Library) -> None:
    pid = _add(
        library,
        "  Mistral   7B ",
        abstract="We release it at https://github.com/mistralai/x. More: https://mistral.ai.",
        authors=("Albert Q. Jiang", "Alexandre Sablayrolles"),
        year=2023,
        date="2023-10-10",
        arxiv_id="2310.06825v1",
        doi="10.48550/arXiv.2310.06825",
        url="https://mistral.ai",
        source="x.txt:3",
    )
    paper = library.get(pid)
    assert paper.title == "Mistral 7B"
    assert paper.authors == ("Albert Q. Jiang", "Alexandre Sablayrolles")
    assert (paper.year, paper.date, paper.arxiv_id) == (2023, "2023-10-10", "2310.06825")
    assert paper.doi == "10.48550/arxiv.2310.06825"
    assert paper.links == ("https://github.com/mistralai/x", "https://mistral.ai")
    assert paper.primary_link == "https://arxiv.org/abs/2310.06825"
    assert (paper.starred, paper.status, paper.queue_position, paper.tags, paper.notes) == (
        False,
        Status.UNREAD,
        None,
        (),
        "",
    )
    assert paper.source == "x.txt:3" and paper.added_at == "2026-01-01T00:00:00Z"


def test_unknown_id_raises_paper_not_found(library: Library) -> None:
    with pytest.raises(PaperNotFound, match="no paper with id 42"):
        library.get(42)
    with pytest.raises(PaperNotFound):
        library.set_starred(42, True)


def test_star_and_views(library: Library, three: list[int]) -> None:
    library.set_starred(three[1], True)
    assert [p.id for p in library.papers(View.STARRED)] == [three[1]]
    library.set_starred(three[1], False)
    assert library.count(View.STARRED) == 0


def test_status_read_and_unread_views(library: Library, three: list[int]) -> None:
    library.set_status(three[0], Status.READ)
    assert [p.id for p in library.papers(View.READ)] == [three[0]]
    assert set(library.ids(View.UNREAD)) == set(three[1:])


def test_tags_add_remove_case_insensitive_and_searchable(library: Library, three: list[int]) -> None:
    assert library.tag(three[0], ["RAG", "#llm", "rag"]) == ("llm", "RAG")
    assert library.tag(three[1], ["rag"]) == ("RAG",)  # reuses the existing tag's spelling
    assert library.tag(three[0], [], ["Llm"]) == ("RAG",)
    assert library.all_tags() == [("RAG", 2)]
    assert {p.id for p in library.papers(View.ALL, tag="rag")} == {three[0], three[1]}
    hits = SearchEngine(library).search("rag").hits
    assert {h.paper_id for h in hits} == {three[0], three[1]}


def test_notes_are_saved_timestamped_and_indexed(library: Library, three: list[int]) -> None:
    library.set_note(three[2], "# Idea\nUse *zeppelin* caching.")
    paper = library.get(three[2])
    assert paper.notes == "# Idea\nUse *zeppelin* caching."
    assert paper.notes_updated_at is not None
    hits = library.db.execute("SELECT rowid FROM papers_fts WHERE papers_fts MATCH 'zeppelin'").fetchall()
    assert hits == [(three[2],)]


def test_queue_order_moves_and_top(library: Library, three: list[int]) -> None:
    a, b, c = three
    for pid in (a, b, c):
        library.queue_add(pid)
    assert library.queue_add(a) == 1  # already queued: unchanged
    assert library.ids(View.QUEUE) == [a, b, c]
    assert library.get(a).status is Status.QUEUED
    library.queue_move(c, -1)
    assert library.ids(View.QUEUE) == [a, c, b]
    library.queue_move(a, 5)  # clamped to the end
    assert library.ids(View.QUEUE) == [c, b, a]
    library.queue_to_top(a)
    assert library.ids(View.QUEUE) == [a, c, b]
    library.queue_remove(c)
    assert library.ids(View.QUEUE) == [a, b]
    assert [library.get(i).queue_position for i in (a, b)] == [1, 2]
    assert library.get(c).status is Status.UNREAD


def test_marking_read_leaves_the_queue(library: Library, three: list[int]) -> None:
    a, b, _ = three
    library.queue_add(a)
    library.queue_add(b)
    library.set_status(a, Status.READ)
    assert library.ids(View.QUEUE) == [b]
    assert library.get(b).queue_position == 1


def test_moving_a_paper_not_in_the_queue_is_an_error(library: Library, three: list[int]) -> None:
    with pytest.raises(LibraryError, match="not in the queue"):
        library.queue_move(three[0], 1)


def test_stats(library: Library, three: list[int]) -> None:
    library.set_starred(three[0], True)
    library.queue_add(three[1])
    library.set_status(three[2], Status.READ)
    library.tag(three[0], ["x", "y"])
    library.set_note(three[0], "n")
    assert library.stats() == {"papers": 3, "starred": 1, "queued": 1, "read": 1, "tags": 2, "notes": 1}


def test_delete_removes_paper_and_closes_queue_gap(library: Library, three: list[int]) -> None:
    for pid in three:
        library.queue_add(pid)
    library.delete(three[0])
    assert library.count() == 2
    assert [library.get(i).queue_position for i in three[1:]] == [1, 2]
    assert library.db.execute("SELECT count(*) FROM papers_fts").fetchone()[0] == 2


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(LibraryError, match="not a readinglist library"):
        Library(path)


def test_garbage_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("this is not a database\n" * 200)
    with pytest.raises(LibraryError, match="not a readinglist library"):
        Library(path)
    assert path.read_text().startswith("this is not a database")


def test_locked_library_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    Library(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        lib = Library(path)
        lib.db.conn.execute("PRAGMA busy_timeout = 50")
        with pytest.raises(LibraryError, match="locked"):
            lib.set_meta("k", "v")
        lib.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_write_rolls_back_on_error(library: Library, three: list[int]) -> None:
    with pytest.raises(RuntimeError), library.write():
        library.db.execute("UPDATE papers SET starred = 1")
        raise RuntimeError("boom")
    assert library.count(View.STARRED) == 0

"""Property: any sequence of changes, then as many undos, gives back the starting library; redos the end."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readinglist.core import batch, saved_views
from readinglist.core.errors import ReadingListError
from readinglist.core.models import PaperDraft, Status, View
from readinglist.core.store import Library
from tests.helpers import add_paper

PAPERS = 6
ids = st.integers(min_value=1, max_value=PAPERS + 2)  # now and then one that is gone or never was
tag_names = st.sampled_from(["rag", "RAG", "survey", "ml/rl", "x"])

actions = st.one_of(
    st.tuples(st.just("star"), ids, st.booleans()),
    st.tuples(st.just("status"), ids, st.sampled_from(list(Status))),
    st.tuples(st.just("tag"), ids, st.lists(tag_names, max_size=2), st.lists(tag_names, max_size=2)),
    st.tuples(st.just("queue_add"), ids),
    st.tuples(st.just("queue_remove"), ids),
    st.tuples(st.just("queue_move"), ids, st.integers(min_value=-3, max_value=3)),
    st.tuples(st.just("note"), ids, st.sampled_from(["", "a note", "another\nnote"])),
    st.tuples(st.just("delete"), ids),
    st.tuples(st.just("add"), st.sampled_from(["A new paper", "Paper 2", "Other"]), st.lists(tag_names)),
    st.tuples(st.just("batch"), st.lists(ids, max_size=4)),
    st.tuples(st.just("batch_tag"), st.lists(ids, max_size=4), st.lists(tag_names, max_size=2)),
    st.tuples(st.just("batch_status"), st.lists(ids, max_size=4), st.sampled_from(list(Status))),
    st.tuples(st.just("batch_queue"), st.lists(ids, max_size=4), st.booleans()),
    st.tuples(st.just("save_view"), st.sampled_from(["mine", "Mine", "other"]), st.sampled_from(["", "q"])),
    st.tuples(st.just("rename_view"), st.sampled_from(["mine", "other"]), st.sampled_from(["new", "other"])),
    st.tuples(st.just("delete_view"), st.sampled_from(["mine", "new"])),
)


def apply(lib: Library, action: tuple[object, ...]) -> None:
    kind = action[0]
    try:
        if kind == "star":
            lib.set_starred(action[1], action[2])  # type: ignore[arg-type]
        elif kind == "status":
            lib.set_status(action[1], action[2])  # type: ignore[arg-type]
        elif kind == "tag":
            lib.tag(action[1], action[2], action[3])  # type: ignore[arg-type]
        elif kind == "queue_add":
            lib.queue_add(action[1])  # type: ignore[arg-type]
        elif kind == "queue_remove":
            lib.queue_remove(action[1])  # type: ignore[arg-type]
        elif kind == "queue_move":
            lib.queue_move(action[1], action[2])  # type: ignore[arg-type]
        elif kind == "note":
            lib.set_note(action[1], action[2])  # type: ignore[arg-type]
        elif kind == "delete":
            lib.delete(action[1])  # type: ignore[arg-type]
        elif kind == "add":
            add_paper(lib, PaperDraft(title=action[1], tags=tuple(action[2])))  # type: ignore[arg-type]
        elif kind == "batch_tag":
            batch.tag(lib, action[1], action[2], ["seed"])  # type: ignore[arg-type]
        elif kind == "batch_status":
            batch.set_status(lib, action[1], action[2])  # type: ignore[arg-type]
        elif kind == "batch_queue":
            batch.queue(lib, action[1], action[2])  # type: ignore[arg-type]
        elif kind == "save_view":
            saved_views.save(lib, action[1], action[2], View.STARRED, "seed")  # type: ignore[arg-type]
        elif kind == "rename_view":
            saved_views.rename(lib, action[1], action[2])  # type: ignore[arg-type]
        elif kind == "delete_view":
            saved_views.delete(lib, action[1])  # type: ignore[arg-type]
        elif kind == "batch":
            with lib.action("a batch"):
                for paper_id in action[1]:  # type: ignore[attr-defined]
                    lib.set_starred(paper_id, True)
                    lib.tag(paper_id, ["batch"])
    except ReadingListError:
        pass  # a paper that is not there, one not in the queue: nothing changed


def dump(lib: Library) -> list[str]:
    tables = ("papers", "tags", "paper_tags", "saved_views")
    return [line for line in lib.conn.iterdump() if any(f'INSERT INTO "{t}"' in line for t in tables)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(actions, min_size=1, max_size=12))
def test_undo_all_gives_back_the_start_and_redo_all_the_end(sequence: list[tuple[object, ...]]) -> None:
    with tempfile.TemporaryDirectory() as tmp, Library(Path(tmp) / "lib.db") as lib:
        for i in range(PAPERS):
            add_paper(lib, PaperDraft(title=f"Paper {i}", tags=("seed",) if i % 2 else ()))
        lib.queue_add(2)
        lib.queue_add(4)
        start = dump(lib)
        marker = len(lib.history())
        for action in sequence:
            apply(lib, action)
        end = dump(lib)
        made = len(lib.history()) - marker
        if made:
            assert len(lib.undo(made)) == made
        assert dump(lib) == start
        if made:
            assert len(lib.redo(made)) == made
        assert dump(lib) == end
        for index in ("papers_fts", "papers_title_fts"):
            lib.conn.execute(f"INSERT INTO {index}({index}, rank) VALUES('integrity-check', 1)")

"""Property: changes undone step by step give back each earlier library; redone, each later one."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from readinglist.core import batch, paper_edit, saved_views, tag_admin
from readinglist.core.errors import ReadingListError
from readinglist.core.importing import import_files
from readinglist.core.models import PaperDraft, Status, View
from readinglist.core.store import Library
from tests.helpers import add_paper

PAPERS = 6
EDITS: list[dict[str, object]] = [
    {"title": "An Edited Title", "year": 2021},
    {"key": ""},  # the key is generated again, in the same action
    {"key": "custom2024"},
    {"venue": "NeurIPS", "doi": "10.1234/abc"},
    {"abstract": "New words, see https://example.org/code", "date": "2019-05"},
    {"authors": ["Ann Author", "Bo Other"]},
]
IMPORTS = {
    # A new paper, and one the seed holds (its abstract and venue are filled in).
    "two.bib": "@inproceedings{new2020,\n  title = {A Paper From A File},\n  author = {Doe, Jane},\n"
    "  year = {2020},\n  booktitle = {ICML},\n  keywords = {rag, imported}\n}\n"
    "@article{p3,\n  title = {Paper 3},\n  journal = {A Journal},\n  abstract = {Filled in.}\n}\n",
    "one.bib": "@misc{other,\n  title = {Other},\n  year = {2011}\n}\n",
}
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
    st.tuples(st.just("edit"), ids, st.sampled_from(EDITS)),
    st.tuples(st.just("import"), st.sampled_from(list(IMPORTS)), st.lists(tag_names, max_size=1)),
    st.tuples(st.just("batch_star"), st.lists(ids, max_size=4), st.booleans()),
    st.tuples(st.just("batch_delete"), st.lists(ids, max_size=3)),
    st.tuples(st.just("tag_rename"), tag_names, st.sampled_from(["renamed", "ml", "survey", "ml/deep"])),
    st.tuples(st.just("tag_merge"), st.lists(tag_names, min_size=1, max_size=2), tag_names),
    st.tuples(st.just("tag_delete"), tag_names),
)


def apply(lib: Library, action: tuple[object, ...], folder: Path) -> None:
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
        elif kind == "edit":
            paper_id = action[1]
            lib.edit(paper_id, paper_edit.changes(lib.get(paper_id), action[2]))  # type: ignore[arg-type]
        elif kind == "import":
            source = folder / str(action[1])
            source.write_text(IMPORTS[str(action[1])], encoding="utf-8")
            import_files(lib, [source], tags=action[2])  # type: ignore[arg-type]
        elif kind == "batch_star":
            batch.set_starred(lib, action[1], action[2])  # type: ignore[arg-type]
        elif kind == "batch_delete":
            batch.delete(lib, action[1])  # type: ignore[arg-type]
        elif kind == "tag_rename":
            tag_admin.rename(lib, action[1], action[2])  # type: ignore[arg-type]
        elif kind == "tag_merge":
            tag_admin.merge(lib, action[1], action[2])  # type: ignore[arg-type]
        elif kind == "tag_delete":
            tag_admin.delete(lib, action[1])  # type: ignore[arg-type]
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


EVERY_KIND: list[tuple[object, ...]] = [
    ("star", 1, True),
    ("status", 2, Status.READ),
    ("tag", 3, ["rag", "ml/rl"], ["seed"]),
    ("queue_add", 5),
    ("queue_move", 5, -1),
    ("queue_remove", 4),
    ("note", 1, "a note"),
    ("edit", 1, {"key": "custom2024"}),
    ("edit", 1, {"key": ""}),  # generated again: "paper"
    ("edit", 3, EDITS[0]),
    ("edit", 5, EDITS[4]),
    ("add", "A new paper", ["x"]),
    ("import", "two.bib", ["survey"]),
    ("batch", [1, 2]),
    ("batch_star", [3, 4, 5], True),
    ("batch_tag", [1, 6], ["x"]),
    ("batch_status", [1, 4], Status.QUEUED),
    ("batch_queue", [3, 6], True),
    ("batch_queue", [3, 5], False),
    ("tag_rename", "ml/rl", "renamed"),
    ("tag_merge", ["x", "survey"], "rag"),
    ("tag_delete", "batch"),
    ("save_view", "mine", "q"),
    ("rename_view", "mine", "new"),
    ("delete_view", "new"),
    ("delete", 2),
    ("batch_delete", [4, 6]),
]
"""Every kind of action once, each of which changes the library (checked below)."""


def seeded(folder: Path) -> Library:
    """A library of :data:`PAPERS` papers, half tagged, two queued (the caller closes it)."""
    lib = Library(folder / "lib.db")
    for i in range(PAPERS):
        add_paper(lib, PaperDraft(title=f"Paper {i}", tags=("seed",) if i % 2 else ()))
    lib.queue_add(2)
    lib.queue_add(4)
    return lib


def test_every_kind_of_action_is_recorded() -> None:
    with tempfile.TemporaryDirectory() as tmp, seeded(Path(tmp)) as lib:
        for action in EVERY_KIND:
            count, before = len(lib.history()), dump(lib)
            apply(lib, action, Path(tmp))
            assert dump(lib) != before, action
            assert len(lib.history()) == count + 1, action


@example(EVERY_KIND)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(actions, min_size=1, max_size=14))
def test_undo_all_gives_back_the_start_and_redo_all_the_end(sequence: list[tuple[object, ...]]) -> None:
    with tempfile.TemporaryDirectory() as tmp, seeded(Path(tmp)) as lib:
        marker = len(lib.history())
        states = [dump(lib)]  # the library after each recorded action
        for action in sequence:
            apply(lib, action, Path(tmp))
            made = len(lib.history()) - marker
            if made == len(states):
                states.append(dump(lib))
            else:  # no change, or a note's autosave folded into the action before
                assert made == len(states) - 1
                if made == 0:
                    assert dump(lib) == states[0]  # nothing changed without a record
                states[-1] = dump(lib)
        # One step at a time: each undo gives back the state before its action, each redo the one after.
        for state in reversed(states[:-1]):
            assert len(lib.undo(1)) == 1
            assert dump(lib) == state
        for state in states[1:]:
            assert len(lib.redo(1)) == 1
            assert dump(lib) == state
        for index in ("papers_fts", "papers_title_fts"):
            lib.conn.execute(f"INSERT INTO {index}({index}, rank) VALUES('integrity-check', 1)")

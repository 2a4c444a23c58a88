"""Bulk-run machinery: deferred update triggers, FTS5 bulk settings, the schema left as it was."""

from __future__ import annotations

import gc
import json
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readinglist.core.errors import FormatError
from readinglist.core.formats import BadEntry, get_format
from readinglist.core.importing import files as importer
from readinglist.core.importing import import_files, near_duplicates
from readinglist.core.importing import reader as import_read
from readinglist.core.importing import run as import_run
from readinglist.core.importing.prepare import Prepared, _authors_json
from readinglist.core.importing.triggers import DeferredTriggers
from readinglist.core.search import vocab
from readinglist.core.search.vocab import CountedRun, refresh_vocab
from readinglist.core.store import Library

from .test_import_run import DATA, _differential_files, _state, fts_ids, fts_ok

FTS_TABLES = ("papers_fts", "papers_title_fts")


def schema(library: Library) -> list[tuple[str, str, str]]:
    rows = library.db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()
    return [tuple(r) for r in rows]


def fts_config(library: Library) -> dict[str, list[tuple[str, object]]]:
    return {t: library.db.execute(f"SELECT k, v FROM {t}_config ORDER BY k").fetchall() for t in FTS_TABLES}


def all_fts_ok(library: Library) -> None:
    fts_ok(library)
    library.db.execute("INSERT INTO papers_title_fts(papers_title_fts, rank) VALUES('integrity-check', 1)")


def write_jsonl(path: Path, docs: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Many batches and catch-ups, so updates land on rows both indexed and not yet indexed."""
    monkeypatch.setattr(importer, "BATCH_SIZE", 10)
    monkeypatch.setattr(import_run, "FTS_CATCH_UP_ROWS", 25)


def generated(n: int, start: int = 0) -> list[dict[str, str]]:
    return [
        {"id": f"2402.{i:05d}", "title": f"Bulk paper {i} on wombat{i}", "authors": "C. D"}
        for i in range(start, n)
    ]


@pytest.mark.usefixtures("small_batches")
def test_bulk_runs_leave_schema_and_index_settings_as_the_migrations_made_them(
    library: Library, tmp_path: Path
) -> None:
    """Into an empty library, then into a full one: every index, trigger and FTS setting is back."""
    before, config = schema(library), fts_config(library)
    import_files(library, [write_jsonl(tmp_path / "a.jsonl", generated(120))])
    assert schema(library) == before
    assert fts_config(library) == config
    import_files(library, [write_jsonl(tmp_path / "b.jsonl", generated(200, 100))])
    assert schema(library) == before
    assert fts_config(library) == config
    assert library.count() == 200
    all_fts_ok(library)


@pytest.mark.usefixtures("small_batches")
def test_updates_of_stored_and_earlier_rows_reach_every_index(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Enrichment and run tags on papers stored before the run and added earlier in it."""
    # The run drains the word-list queue at its end: look at the queue just before.
    queued: list[dict[int, int]] = []

    def refresh(lib: Library, counted: CountedRun | None = None) -> int:
        queued.append(dict(lib.conn.execute("SELECT paper_id, fresh FROM search_dirty").fetchall()))
        return refresh_vocab(lib, counted)

    monkeypatch.setattr(import_run, "refresh_vocab", refresh)
    import_files(library, [write_jsonl(tmp_path / "stored.jsonl", generated(30))])
    stored = set(library.ids())
    library.db.execute("DELETE FROM search_dirty")
    docs = generated(100, 30)
    # Stored papers get abstracts; so do new papers of this run, some before their
    # catch-up (a few lines later) and some long after it (at the end).
    late = [{"id": f"2402.{i:05d}", "title": "x", "abstract": f"quokka number {i}"} for i in range(0, 100, 9)]
    docs[10:10] = late[:4]
    docs += late[4:]
    report = import_files(library, [write_jsonl(tmp_path / "run.jsonl", docs)], tags=["marsupial"])
    assert report.updated == len(late)
    all_fts_ok(library)
    quokka = fts_ids(library, "quokka")
    assert len(quokka) == len(late)
    assert quokka & stored and quokka - stored
    # Run tags reach the run's papers: the new ones and the stored ones it names.
    assert fts_ids(library, "marsupial") == (set(library.ids()) - stored) | (quokka & stored)
    # Every paper the run added or changed is queued for the word list: stored ones as edits.
    assert queued[-1] == {i: int(i not in stored) for i in (set(library.ids()) - stored) | (quokka & stored)}
    assert library.conn.execute("SELECT count(*) FROM search_dirty").fetchone()[0] == 0
    vocab = {w for (w,) in library.conn.execute("SELECT word FROM search_vocab")}
    assert {"quokka", "marsupial"} <= vocab


@pytest.mark.usefixtures("small_batches")
def test_an_update_trigger_that_is_not_a_mirror_sees_every_update(library: Library, tmp_path: Path) -> None:
    """A trigger with its own side effects keeps update triggers on; the index is still right."""
    import_files(library, [write_jsonl(tmp_path / "stored.jsonl", generated(5))])
    db = library.db
    db.execute("CREATE TABLE audit (paper_id INTEGER, old TEXT, new TEXT)")
    db.execute(
        "CREATE TRIGGER audit_update AFTER UPDATE OF abstract ON papers BEGIN "
        "INSERT INTO audit VALUES (new.id, old.abstract, new.abstract); END"
    )
    with library.write():
        deferred = DeferredTriggers(db)
        assert not deferred.defers_updates
        deferred.restore()
    # The numbat paper is new in the run and enriched two batches later.
    docs = [*generated(30, 5), {"id": "2402.00006", "title": "x", "abstract": "numbat"}]
    docs.append({"id": "2402.00001", "title": "x", "abstract": "bilby"})
    import_files(library, [write_jsonl(tmp_path / "run.jsonl", docs)])
    assert sorted(db.execute("SELECT old, new FROM audit").fetchall()) == [("", "bilby"), ("", "numbat")]
    assert len(fts_ids(library, "numbat")) == len(fts_ids(library, "bilby")) == 1
    all_fts_ok(library)


def test_a_failed_bulk_run_leaves_the_file_as_it_was(library: Library, tmp_path: Path) -> None:
    import_files(library, [write_jsonl(tmp_path / "stored.jsonl", generated(20))])
    library.close()
    before = library.path.read_bytes()
    with Library(library.path) as lib:
        docs = [
            *generated(40, 10),
            {"id": "2402.00003", "title": "x", "abstract": "dingo"},
            {"id": "no title"},
        ]
        with pytest.raises(Exception, match="title"):
            import_files(lib, [write_jsonl(tmp_path / "bad.jsonl", docs)])
        lib.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert library.path.read_bytes() == before


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12), max_size=5
    )
)
def test_author_lists_are_the_json_the_encoder_writes(authors: list[str]) -> None:
    assert _authors_json(tuple(authors)) == json.dumps(authors, ensure_ascii=False)


def test_the_helper_stops_when_the_writer_stops_listening(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its sending thread sees the broken pipe; the helper returns instead of waiting on a full queue."""
    import os
    import threading

    monkeypatch.setattr(import_read, "SEND_AHEAD", 1)
    path = write_jsonl(tmp_path / "many.jsonl", generated(3000))
    read_end, write_end = os.pipe()
    os.close(read_end)
    plan = {"files": [(str(path), "arxiv-jsonl")], "batch": 10}
    with open(write_end, "wb", buffering=0) as out:  # unbuffered: closing it writes nothing
        worker = threading.Thread(target=import_read._work, args=(plan, out))
        worker.start()
        worker.join(timeout=20)
    assert not worker.is_alive()


@pytest.mark.usefixtures("small_batches")
def test_an_update_trigger_it_cannot_read_keeps_updates_undeferred(library: Library, tmp_path: Path) -> None:
    """An update trigger the schema does not declare: the run then replays before updating."""
    import_files(library, [write_jsonl(tmp_path / "stored.jsonl", generated(5))])
    library.db.execute(
        'CREATE TRIGGER "odd name" AFTER UPDATE OF notes ON papers BEGIN '
        "INSERT OR IGNORE INTO search_dirty (paper_id, fresh) VALUES (new.id, 0); END"
    )
    with library.write():
        deferred = DeferredTriggers(library.db)
        assert not deferred.defers_updates
        deferred.restore()
    docs = [*generated(30, 5), {"id": "2402.00006", "title": "x", "abstract": "numbat"}]
    docs.append({"id": "2402.00001", "title": "x", "abstract": "bilby"})
    report = import_files(library, [write_jsonl(tmp_path / "run.jsonl", docs)])
    assert report.updated == 2
    assert len(fts_ids(library, "numbat")) == len(fts_ids(library, "bilby")) == 1
    all_fts_ok(library)


def _counted_files(tmp_path: Path) -> list[Path]:
    """Papers whose titles sample their abstracts or not, and lines that enrich papers of the run."""
    docs: list[dict[str, str]] = []
    for i in range(120):
        doc = {"id": f"2403.{i:05d}", "title": f"Counted {'x' * (i % 9)} paper {i}", "authors": f"Au{i} Thor"}
        if i % 3:
            doc["abstract"] = f"okapi{i} shared words, number {i}"
        docs.append(doc)
    late = [{"id": f"2403.{i:05d}v2", "title": "x", "abstract": f"late quokka{i}"} for i in range(0, 120, 6)]
    docs[5:5] = late[:2]  # the same batch as the paper they enrich, or the next one
    docs += late[2:]  # long after
    docs.append({"id": "2403.99999", "title": "Counted paper 7", "authors": "Twin"})  # a title twin
    return [write_jsonl(tmp_path / "counted.jsonl", docs), *_differential_files(tmp_path)]


@pytest.mark.parametrize("batch", [1, 7, 500])
def test_words_counted_by_the_helper_make_the_same_word_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    """The helper counts each batch's words as it reads; the run takes back those of twins.

    An inline run reads the new papers back at the end instead. Both must list
    the same words with the same frequencies (the inline run samples abstracts
    too here, as the helper always does).
    """
    files = _counted_files(tmp_path)
    monkeypatch.setattr(vocab, "FULL_SCAN_MAX", 0)
    monkeypatch.setattr(importer, "BATCH_SIZE", batch)
    monkeypatch.setattr(importer, "now", lambda: "T")
    monkeypatch.setattr(import_run, "FTS_CATCH_UP_ROWS", 25)
    counted: list[bool] = []
    add_batch = import_run.ImportRun.add_batch

    def spy(
        run: import_run.ImportRun, items: list[Prepared | BadEntry], counts: Counter[str] | None = None
    ) -> list[int]:
        counted.append(counts is not None)
        return add_batch(run, items, counts)

    monkeypatch.setattr(import_run.ImportRun, "add_batch", spy)
    states = []
    for parallel in (False, True):
        monkeypatch.setattr(import_read, "PARALLEL_MIN_BYTES", 0 if parallel else 10**12)
        counted.clear()
        with Library(tmp_path / f"{parallel}.db") as lib:
            import_files(lib, files[1:2])
            report = import_files(lib, [files[0], *files[2:]], tags=["Run tag"])
            assert report.updated > 20
            all_fts_ok(lib)
            states.append(_state(lib, report))
            words = dict(lib.conn.execute("SELECT word, freq FROM search_vocab").fetchall())
        assert set(counted) == {parallel}
    assert states[1] == states[0]
    # Abstracts are read when the title's length is a multiple of 8 ("Counted xxxxxxxx paper 8").
    assert words["okapi8"] == 8 and "okapi4" not in words
    assert words["quokka18"] == 8 and "quokka0" not in words  # abstracts a later line brought
    assert words["tag"] > 120  # every new paper has the run's tag


def test_the_near_duplicate_scan_probes_indexes_only(library: Library) -> None:
    """Both halves of the candidate query look titles up in an index; neither scans the papers."""
    library.db.execute(near_duplicates._PROBE_TABLE)
    plan = [r[3] for r in library.db.execute("EXPLAIN QUERY PLAN " + near_duplicates._CANDIDATES)]
    searches = [p for p in plan if p.startswith("SEARCH p")]
    assert len(searches) == 2
    assert "papers_title_key" in searches[0] and "papers_title_tail" in searches[1]
    assert not [p for p in plan if p.startswith("SCAN p")]


def test_near_duplicate_probes_are_cleared_after_each_batch(library: Library) -> None:
    found = near_duplicates.find(library.db, [(5, "a title long enough to probe"), (6, "another one")])
    assert found == []
    assert library.db.execute(f"SELECT count(*) FROM temp.{near_duplicates._PROBES}").fetchone()[0] == 0


def test_a_run_collects_garbage_less_often_and_puts_the_setting_back(library: Library) -> None:
    before = gc.get_threshold()
    during: list[int] = []
    import_files(library, [DATA / "zotero.bib"], progress=lambda _: during.append(gc.get_threshold()[0]))
    assert during and set(during) == {importer.GC_THRESHOLD}
    assert gc.get_threshold() == before
    with pytest.raises(FormatError):
        import_files(library, [DATA / "broken.bib"])
    assert gc.get_threshold() == before


def test_catch_ups_while_the_reader_is_behind_leave_the_same_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer that finds no batch ready indexes what it has (ImportRun.idle): same library."""
    files = _counted_files(tmp_path)
    monkeypatch.setattr(importer, "BATCH_SIZE", 7)
    monkeypatch.setattr(importer, "now", lambda: "T")
    monkeypatch.setattr(import_run, "IDLE_CATCH_UP_ROWS", 1)
    monkeypatch.setattr(import_run, "FTS_CATCH_UP_ROWS", 10**6)  # only early and final catch-ups
    catch_ups: list[int] = []  # rows each one indexed
    catch_up = import_run.ImportRun.catch_up

    def counting(run: import_run.ImportRun) -> None:
        catch_ups.append(run.next_id - 1 - run.indexed_to)
        catch_up(run)

    monkeypatch.setattr(import_run.ImportRun, "catch_up", counting)
    states = []
    made = []
    for behind in (False, True):
        monkeypatch.setattr(import_read.Reader, "ready", lambda self, behind=behind: not behind)
        catch_ups.clear()
        with Library(tmp_path / f"{behind}.db") as lib:
            import_files(lib, files[1:2])
            catch_ups.clear()
            report = import_files(lib, [files[0], *files[2:]], tags=["Run tag"])
            all_fts_ok(lib)
            states.append(_state(lib, report))
        made.append([n for n in catch_ups if n])
    assert states[1] == states[0]
    assert len(made[0]) == 1  # everything at the end
    # Behind: early catch-ups, the n-th of at least 2**n rows (IDLE_CATCH_UP_ROWS doubled), then the rest.
    early = made[1][:-1]
    assert len(early) >= 5
    assert all(rows >= 2**n for n, rows in enumerate(early))
    assert sum(made[1]) == sum(made[0])


def test_the_reader_says_when_a_batch_is_ready(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = write_jsonl(tmp_path / "ready.jsonl", generated(50))
    fmt = get_format("arxiv-jsonl")
    with import_read.Reader([(src, fmt)], 10) as inline:
        assert inline.ready()  # read here: nothing to wait for
        assert sum(len(b.items) for b in inline.batches()) == 50
    monkeypatch.setattr(import_read, "PARALLEL_MIN_BYTES", 0)
    with import_read.Reader([(src, fmt)], 10) as reader:
        assert reader.processes, "read in a helper process"
        deadline = time.monotonic() + 30
        while not reader.ready():  # the helper starts, reads and sends its first batch
            assert time.monotonic() < deadline
            time.sleep(0.01)
        assert sum(len(b.items) for b in reader.batches()) == 50

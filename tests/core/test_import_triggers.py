"""The triggers the schema declares are the ones the migrations create, and a run defers them by name."""

from __future__ import annotations

import json
from pathlib import Path

from readinglist.core import history_triggers
from readinglist.core.importing import import_files
from readinglist.core.importing.triggers import DeferredTriggers
from readinglist.core.schema import PAPERS_TRIGGERS
from readinglist.core.store import Library

from .test_import_run import fts_ok

HISTORY = "history_papers_"
"""The history's triggers on papers: generated from the columns, not declared (BulkLog takes them off)."""


def stored_triggers(library: Library, *, history: bool = False) -> dict[str, str]:
    rows = library.db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'papers'"
    )
    return {n: s for n, s in rows.fetchall() if history or not n.startswith(HISTORY)}


def test_the_declared_triggers_are_exactly_what_a_new_library_holds(tmp_path: Path) -> None:
    with Library(tmp_path / "new.db") as library:
        assert stored_triggers(library) == {t.name: t.sql for t in PAPERS_TRIGGERS}
        # Besides them, only the history's three (insert, update, delete).
        assert {n for n in stored_triggers(library, history=True) if n.startswith(HISTORY)} == {
            f"{HISTORY}{kind}" for kind in ("ins", "upd", "del")
        }


def test_every_insert_trigger_has_a_replay_and_every_update_trigger_mirrors_or_is_kept() -> None:
    for trigger in PAPERS_TRIGGERS:
        assert (trigger.replay is not None) == (" AFTER INSERT " in trigger.sql), trigger.name
        updates = " AFTER UPDATE " in trigger.sql
        assert updates == (trigger.mirror or trigger.kept), trigger.name
        assert not (trigger.mirror and trigger.kept), trigger.name
        if trigger.kept:  # firing twice more in the restore must change nothing
            assert trigger.sql.count(";") == 1 and "INSERT OR IGNORE INTO" in trigger.sql, trigger.name


def test_a_run_takes_off_the_declared_triggers_and_puts_back_the_same_sql(library: Library) -> None:
    before = stored_triggers(library, history=True)
    with library.write():
        # As a run does: the history's triggers go first (history.BulkLog).
        history_triggers.remove(library.db.conn, ["papers"])
        deferred = DeferredTriggers(library.db)
        assert deferred.defers_updates
        left = stored_triggers(library, history=True)
        assert set(left) == {t.name for t in PAPERS_TRIGGERS if t.replay is None and not t.mirror}
        deferred.restore()
        history_triggers.install(library.db.conn, ["papers"])
        assert stored_triggers(library, history=True) == before


def test_the_history_triggers_left_on_keep_updates_undeferred(library: Library) -> None:
    # Without the run's BulkLog the history would log the restore's back-and-forth.
    with library.write():
        deferred = DeferredTriggers(library.db)
        assert not deferred.defers_updates
        deferred.restore()


def test_a_trigger_that_differs_from_its_declaration_keeps_firing(library: Library) -> None:
    # As if an older sqlite-utils had written the full-text trigger with other spacing.
    ai = next(t for t in PAPERS_TRIGGERS if t.name == "papers_ai")
    with library.write():
        history_triggers.remove(library.db.conn, ["papers"])
        library.db.execute('DROP TRIGGER "papers_ai"')
        library.db.execute(ai.sql.replace("\n  ", "\n    "))
        deferred = DeferredTriggers(library.db)
        assert "papers_ai" in stored_triggers(library)
        assert "papers_ai" not in {t.name for t in deferred.triggers}
        assert not deferred.defers_updates  # an undeclared trigger: updates are not deferred
        deferred.restore()


def test_an_enriching_import_queues_for_embedding_logs_compactly_and_undoes(
    library: Library, tmp_path: Path
) -> None:
    # The vector trigger stays on while the mirrors are off; the history's are taken off
    # by the run's BulkLog, which logs the new papers as one range.
    first = tmp_path / "first.jsonl"
    first.write_text(
        json.dumps({"id": "2401.00001", "title": "Lattice spacing measured", "authors": "A. Author"}) + "\n",
        encoding="utf-8",
    )
    import_files(library, [first], format_name="arxiv-jsonl")
    stored = library.db.execute("SELECT id FROM papers").fetchone()[0]
    library.db.execute("DELETE FROM vector_dirty")
    second = tmp_path / "second.jsonl"
    rows = [{"id": "2401.00001", "title": "Lattice spacing measured", "abstract": "We quantify it."}]
    rows += [{"id": f"2402.{i:05d}", "title": f"Paper number {i}", "abstract": "Text."} for i in range(30)]
    second.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    log_before = library.db.execute("SELECT count(*) FROM history_log").fetchone()[0]
    report = import_files(library, [second], format_name="arxiv-jsonl")
    assert (report.added, report.updated) == (30, 1)
    assert [r[0] for r in library.db.execute("SELECT paper_id FROM vector_dirty")] == [stored]
    assert stored_triggers(library, history=True).keys() >= {f"{HISTORY}{k}" for k in ("ins", "upd", "del")}
    logged = library.db.execute(
        "SELECT tbl FROM history_log WHERE seq > ? AND tbl LIKE 'papers%' ORDER BY seq", [log_before]
    ).fetchall()
    assert sorted(t for (t,) in logged) == ["papers", "papers:range"]  # the enriched one, the new range
    fts = "SELECT count(*) FROM papers_fts WHERE papers_fts MATCH 'quantify'"
    assert library.db.execute(fts).fetchone()[0] == 1
    fts_ok(library)
    library.undo()
    assert library.count() == 1
    assert library.get(stored).abstract == ""
    assert library.db.execute(fts).fetchone()[0] == 0
    fts_ok(library)

"""The triggers the schema declares are the ones the migrations create, and a run defers them by name."""

from __future__ import annotations

from pathlib import Path

from readinglist.core.importing.triggers import DeferredTriggers
from readinglist.core.schema import PAPERS_TRIGGERS
from readinglist.core.store import Library


def stored_triggers(library: Library) -> dict[str, str]:
    rows = library.db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'papers'"
    )
    return dict(rows.fetchall())


def test_the_declared_triggers_are_exactly_what_a_new_library_holds(tmp_path: Path) -> None:
    with Library(tmp_path / "new.db") as library:
        assert stored_triggers(library) == {t.name: t.sql for t in PAPERS_TRIGGERS}


def test_every_insert_trigger_has_a_replay_and_every_update_trigger_mirrors() -> None:
    for trigger in PAPERS_TRIGGERS:
        assert (trigger.replay is not None) == (" AFTER INSERT " in trigger.sql), trigger.name
        assert trigger.mirror == (" AFTER UPDATE " in trigger.sql), trigger.name


def test_a_run_takes_off_the_declared_triggers_and_puts_back_the_same_sql(library: Library) -> None:
    before = stored_triggers(library)
    with library.write():
        deferred = DeferredTriggers(library.db)
        assert deferred.defers_updates
        left = stored_triggers(library)
        assert set(left) == {t.name for t in PAPERS_TRIGGERS if t.replay is None and not t.mirror}
        deferred.restore()
        assert stored_triggers(library) == before


def test_a_trigger_that_differs_from_its_declaration_keeps_firing(library: Library) -> None:
    # As if an older sqlite-utils had written the full-text trigger with other spacing.
    ai = next(t for t in PAPERS_TRIGGERS if t.name == "papers_ai")
    with library.write():
        library.db.execute('DROP TRIGGER "papers_ai"')
        library.db.execute(ai.sql.replace("\n  ", "\n    "))
        deferred = DeferredTriggers(library.db)
        assert "papers_ai" in stored_triggers(library)
        assert "papers_ai" not in {t.name for t in deferred.triggers}
        assert not deferred.defers_updates  # an undeclared trigger: updates are not deferred
        deferred.restore()

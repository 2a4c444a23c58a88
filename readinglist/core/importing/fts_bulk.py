"""FTS5 settings for a bulk load, applied inside the run's transaction and put back after it.

FTS5 gathers new rows' terms in an in-memory hash and writes it out as a
segment when the hash passes ``hashsize`` (1 MiB by default) and at the end of
every statement; ``automerge`` then merges small segments as they pile up.
For 100k arXiv papers that meant about a hundred 1 MiB segments, each merged
several times over: 7.9-9.4 s of CPU for the main index (measured alone, in
catch-ups of 10,000 rows). With a 64 MiB hash each catch-up statement writes
one segment, and with automerge off nothing is rewritten during the run:
4.4-5.4 s for the same index. Catch-ups of 25,000 rows leave 5 segments at
100k papers, fewer than the 7 the old settings left, so searches are as fast
(a run into a library of a million papers makes more; past 16 on a level,
FTS5's crisis merge still combines them). Only the threshold changes: the
hash never holds more than one catch-up's terms.

The settings are stored in the index's ``<table>_config`` table, so they are
put back as they were before the run commits: a key the library did not hold
is deleted again, and the library keeps no trace of the run's settings (a
failed run rolls them back with everything else).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite-utils is slow to import; only the type is needed here
    from sqlite_utils import Database

BULK_SETTINGS: dict[str, int] = {"hashsize": 64 * 2**20, "automerge": 0}
"""What a bulk run uses (see the module docstring for the measurements)."""
DEFAULTS: dict[str, int] = {"hashsize": 1024 * 1024, "automerge": 4}
"""FTS5's built-in values, restored through the API before an absent key is deleted."""


class BulkFts:
    """The bulk settings on every FTS5 table in ``tables`` until :meth:`restore`.

    Args:
        db: The database, inside an open transaction.
        tables: FTS5 tables to tune; missing ones are skipped.
    """

    def __init__(self, db: Database, tables: list[str]) -> None:
        """Remember each table's settings and apply the bulk ones."""
        self.db = db
        self.saved: dict[str, dict[str, int | None]] = {}
        present = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()}
        for table in tables:
            if table not in present or f"{table}_config" not in present:
                continue
            stored = dict(db.execute(f'SELECT k, v FROM "{table}_config"').fetchall())
            self.saved[table] = {key: stored.get(key) for key in BULK_SETTINGS}
            for key, value in BULK_SETTINGS.items():
                self._set(table, key, value)

    def _set(self, table: str, key: str, value: int) -> None:
        # The special insert updates both the config table and the open index's
        # in-memory copy (a plain UPDATE of the config table would not).
        self.db.execute(f'INSERT INTO "{table}"("{table}", rank) VALUES (?, ?)', [key, value])

    def restore(self) -> None:
        """Put every setting back as it was (call before the transaction commits)."""
        for table, saved in self.saved.items():
            for key, value in saved.items():
                self._set(table, key, DEFAULTS[key] if value is None else int(value))
                if value is None:
                    self.db.execute(f'DELETE FROM "{table}_config" WHERE k = ?', [key])
        self.saved = {}

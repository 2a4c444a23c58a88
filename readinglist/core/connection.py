"""The connection under a library: opening, upgrading, errors and transactions.

:class:`~readinglist.core.store.Library` builds the paper operations on top of
this. Writes are short transactions; those that read before they write start
with ``BEGIN IMMEDIATE`` so a second process waits for the lock instead of
failing on a stale snapshot (TECH-NOTES §8).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from readinglist.core.errors import LibraryError
from readinglist.core.schema import MIGRATION_NAMES, MIGRATION_SET, MIGRATIONS_TABLE

if TYPE_CHECKING:
    from sqlite_utils import Database

BUSY_TIMEOUT_S = 5.0
OUR_TABLES = {"papers", "tags", "paper_tags", "meta"}


class Connection:
    """An open readinglist library file (the plumbing under :class:`Library`).

    Args:
        path: The SQLite file. Its folder is created if missing.
        create: Whether a missing file may be created.
        threadsafe: Allow the connection to be used from threads other than
            the one that opened it. The caller must then serialise access
            (for example with a lock); the TUI does this for its search worker.

    Raises:
        LibraryError: if the file is not a readinglist library, is corrupt, or
            cannot be opened or upgraded.
    """

    def __init__(self, path: str | Path, *, create: bool = True, threadsafe: bool = False) -> None:
        """Open (and if need be create and upgrade) the library at ``path``."""
        self.path = Path(path).expanduser()
        if self.path.is_dir():
            raise LibraryError(f"{self.path}: is a directory, not a library file")
        if not self.path.exists() and not create:
            raise LibraryError(f"{self.path}: no such library")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_S, check_same_thread=not threadsafe)
        except (OSError, sqlite3.Error) as exc:
            raise LibraryError(f"{self.path}: cannot open: {exc}") from None
        self.conn = conn
        self._db: Database | None = None
        try:
            with self.errors():
                self._check_is_ours()
                conn.execute("PRAGMA foreign_keys = ON")
                if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    # WAL lets the TUI read while another process imports.
                    conn.execute("PRAGMA journal_mode = wal")
                if self._pending_migrations():
                    from readinglist.core.migrations import migrations

                    migrations.apply(self.db)
        except BaseException:
            conn.close()
            raise

    @property
    def db(self) -> Database:
        """The sqlite-utils view of the connection, for writes and schema work.

        Built on first use: importing sqlite-utils costs a few hundred
        milliseconds, which a one-shot ``readinglist search`` that only reads
        through :attr:`conn` never pays.
        """
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn)
        return self._db

    def _pending_migrations(self) -> bool:
        # Read the applied names with plain SQL so opening an up-to-date
        # library does not import sqlite-utils (see ``db``).
        return _unapplied(self.conn) is not False

    @staticmethod
    def needs_upgrade(path: str | Path) -> bool:
        """Whether opening the library at ``path`` would first migrate its schema.

        Checked read-only, so a caller can say so before a long upgrade (a few
        seconds for a million papers) instead of seeming to hang. A missing,
        unreadable or foreign file answers False: opening it reports that.
        """
        try:
            conn = sqlite3.connect(f"file:{Path(path).expanduser()}?mode=ro", uri=True)
        except sqlite3.Error:
            return False
        try:
            # No migrations table: a new, empty or foreign file, nothing slow to announce.
            return _unapplied(conn) is True
        except sqlite3.Error:
            return False
        finally:
            conn.close()

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Self:
        """Use the library as a context manager that closes it."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close on leaving the ``with`` block."""
        self.close()

    # -- plumbing -------------------------------------------------------------

    def _check_is_ours(self) -> None:
        rows = self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        names = {row[0] for row in rows}
        if names and not names & OUR_TABLES and MIGRATIONS_TABLE not in names:
            raise LibraryError(f"{self.path}: not a readinglist library (it holds other tables)")

    @contextlib.contextmanager
    def errors(self) -> Iterator[None]:
        """Turn SQLite errors into one-line :class:`LibraryError` messages."""
        try:
            yield
        except sqlite3.OperationalError as exc:
            text = str(exc)
            if "locked" in text or "busy" in text:
                raise LibraryError(f"{self.path}: database is locked by another process; try again") from None
            if "readonly" in text or "read-only" in text:
                raise LibraryError(f"{self.path}: library is read-only") from None
            if "disk" in text and "full" in text:
                raise LibraryError(f"{self.path}: disk is full") from None
            raise LibraryError(f"{self.path}: {text}") from None
        except sqlite3.DatabaseError as exc:
            raise LibraryError(f"{self.path}: not a readinglist library ({exc})") from None

    @contextlib.contextmanager
    def write(self) -> Iterator[Database]:
        """A write transaction that takes the write lock up front.

        Nested use becomes a savepoint of the outer transaction.
        """
        with self.errors():
            if self.conn.in_transaction:
                with self.db.atomic():
                    yield self.db
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with self.errors():
            row = self.conn.execute(sql, list(params)).fetchone()
        return None if row is None else row[0]

    def get_meta(self, key: str) -> str | None:
        """A value from the library's own key/value table."""
        return self._one("SELECT value FROM meta WHERE key = ?", [key])  # type: ignore[no-any-return]

    def set_meta(self, key: str, value: str) -> None:
        """Store a value in the library's own key/value table."""
        with self.write() as db:
            db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", [key, value])


def _unapplied(conn: sqlite3.Connection) -> bool | None:
    """Whether some migration is not applied yet; None if the file has no migrations table."""
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [MIGRATIONS_TABLE]
    ).fetchone()
    if found is None:
        return None
    rows = conn.execute(
        f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ?", [MIGRATION_SET]
    ).fetchall()
    return not set(MIGRATION_NAMES) <= {row[0] for row in rows}

"""The connection under a library: opening, upgrading, errors and transactions.

:class:`~readinglist.core.store.Library` builds the paper operations on top of
this. Writes are short transactions; those that read before they write start
with ``BEGIN IMMEDIATE`` so a second process waits for the lock instead of
failing on a stale snapshot (docs/tech-notes.md §4). What the file itself is
(ours, writable, damaged, which migrations it lacks) is asked of
:mod:`readinglist.core.library_file`.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from readinglist.core import history, library_file
from readinglist.core.errors import LibraryError
from readinglist.core.sqlite_import import load_sqlite_utils

if TYPE_CHECKING:
    from sqlite_utils import Database

BUSY_TIMEOUT_S = 5.0
"""How long SQLite waits for another process's lock before a statement fails, in seconds."""
PAGE_SIZE = 16384
"""The page size of a new library file, in bytes (SQLite's default is 4096).

A 4 KiB page holds two or three papers' rows (about 1.3 KB each with the
abstract) and one full-text index leaf (about 4 KB); at 100k papers the rows
took 184 MB of pages with 4 KiB and 155 MB with 16 KiB, and every table a
quarter as many pages. An import of 100k arXiv papers took 10-11 s of the
writer's CPU instead of 13, with a quarter of the WAL frames to write and to
checkpoint (docs/performance.md). A library keeps the page size it was made with.
"""


class Connection:
    """An open readinglist library file (the plumbing under :class:`Library`).

    Args:
        path: The SQLite file. Its folder is created if missing.
        create: Whether a missing file may be created.
        threadsafe: Allow the connection to be used from threads other than
            the one that opened it. The caller must then serialise access
            (for example with a lock); the TUI does this for its search worker.
        keep_backups: How many automatic backups to keep when opening
            upgrades the schema (a copy is made first); None reads
            ``config.toml``, 0 makes none.

    A library that cannot be changed still opens, for reading:
    :attr:`read_only` then says why, and every write raises it. That is a
    file in a read-only folder or file system, and a file written by a newer
    readinglist (a migration this version does not know).

    Raises:
        LibraryError: if the file is not a readinglist library, is damaged, or
            cannot be opened or upgraded.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        create: bool = True,
        threadsafe: bool = False,
        keep_backups: int | None = None,
    ) -> None:
        """Open (and if need be create and upgrade) the library at ``path``."""
        self.path = Path(path).expanduser()
        self.keep_backups = keep_backups
        self.read_only: str | None = None
        """Why the library cannot be changed (the message every write raises), or None."""
        if self.path.is_dir():
            raise LibraryError(f"{self.path}: is a directory, not a library file")
        if not self.path.exists() and not create:
            raise LibraryError(f"{self.path}: no such library")
        if self.path.exists() and not library_file.writable(self.path):
            self.read_only = f"{self.path}: the library is read-only (its file or folder cannot be written)"
            conn = library_file.open_read_only(self.path, BUSY_TIMEOUT_S, threadsafe)
        else:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, check_same_thread=not threadsafe)
            except (OSError, sqlite3.Error) as exc:
                raise LibraryError(f"{self.path}: cannot open: {exc}") from None
        self.conn = conn
        self._db: Database | None = None
        self._action: str | None = None  # the open action's description (see action())
        self._history_checked = False
        self._recording = True  # False while undo or redo rewrites an action's own log
        try:
            with self.errors():
                library_file.check_is_ours(conn, self.path)
                conn.execute("PRAGMA foreign_keys = ON")
                self._upgrade()
        except BaseException:
            conn.close()
            raise

    def _upgrade(self) -> None:
        """Bring the schema up to date (backing the library up first), or refuse writes if it is newer."""
        state = library_file.migration_state(self.conn)
        if state.unknown:
            from readinglist import __version__

            self.read_only = (
                f"{self.path}: written by a newer readinglist (migration {state.unknown[0]} is unknown "
                f"to readinglist {__version__}); upgrade readinglist to change this library"
            )
            # Belt and braces: SQLite itself now refuses any write on this connection.
            self.conn.execute("PRAGMA query_only = ON")
            return
        if self.read_only is not None:
            if state.pending:
                raise LibraryError(f"{self.read_only}, and it needs a schema upgrade that cannot be written")
            return
        if self.conn.execute("PRAGMA page_count").fetchone()[0] == 0:
            # A new file: pages larger than SQLite's 4 KiB (see PAGE_SIZE), fixed from here on.
            self.conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        if self.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            # WAL lets the TUI read while another process imports.
            self.conn.execute("PRAGMA journal_mode = wal")
        if state.pending:
            if state.has_table:
                # An existing library: keep a copy from before the upgrade.
                from readinglist.core import backups

                backups.automatic_backup(self.conn, self.path, backups.BEFORE_UPGRADE, self.keep_backups)
            load_sqlite_utils()  # without numpy (see sqlite_import)
            from readinglist.core import history
            from readinglist.core.migrations import migrations

            before = history.last_seq(self.conn) if history.has_history(self.conn) else 0
            migrations.apply(self.db)
            # What an upgrade changes is nobody's action, and must not look like another program's.
            history.forget_orphans(self.conn, before)
            self.conn.commit()

    @property
    def db(self) -> Database:
        """The sqlite-utils view of the connection, for writes and schema work.

        Built on first use: importing sqlite-utils costs a few hundred
        milliseconds, which a one-shot ``readinglist search`` that only reads
        through :attr:`conn` never pays.
        """
        if self._db is None:
            load_sqlite_utils()  # without numpy (see sqlite_import)
            from sqlite_utils import Database

            self._db = Database(self.conn)
        return self._db

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
            return library_file.unapplied(conn) is True
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
        except (sqlite3.IntegrityError, sqlite3.DataError, sqlite3.ProgrammingError) as exc:
            raise LibraryError(f"{self.path}: {exc}") from None
        except sqlite3.DatabaseError as exc:
            raise LibraryError(library_file.damaged(self.path, exc)) from None

    @contextlib.contextmanager
    def write(self) -> Iterator[Database]:
        """A write transaction that takes the write lock up front.

        Nested use becomes a savepoint of the outer transaction.

        Raises:
            LibraryError: :attr:`read_only` when the library cannot be changed.
        """
        if self.read_only is not None:
            raise LibraryError(self.read_only)
        with self.errors():
            if self.conn.in_transaction:
                with self.db.atomic():
                    yield self.db
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                start = self._history_start()
                yield self.db
                if start is not None and self._recording:
                    history.record(self.conn, start, self._action or "change")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def _history_start(self) -> int | None:
        """Where this transaction's history log starts (None: the library keeps no history)."""
        if not history.has_history(self.conn):
            return None
        if not self._history_checked:
            history.ensure(self.conn)
            self._history_checked = True
        return history.last_seq(self.conn)

    @contextlib.contextmanager
    def action(self, description: str) -> Iterator[Database]:
        """One undoable action: a write transaction recorded in the history as ``description``.

        Nested actions (and writes) join the outermost one, whose description
        is kept; :meth:`describe` changes it once the outcome is known.
        """
        outer = self._action is None
        if outer:
            self._action = description
        try:
            with self.write() as db:
                yield db
        finally:
            if outer:
                self._action = None

    def undo(self, count: int = 1, *, redo: bool = False) -> list[str]:
        """Undo the newest ``count`` actions (or redo the last undone ones), one transaction each.

        Returns:
            What was undone (redone), in order; it stops early when the history runs out.

        Raises:
            LibraryError: nothing to undo (redo), or an action whose rows another
                program changed since (:class:`~readinglist.core.history.UndoConflict`;
                the actions before it stay undone).
        """
        done: list[str] = []
        for _ in range(max(count, 1)):
            self._recording = False
            try:
                with self.write():
                    description = history.step(self.conn, redo)
            finally:
                self._recording = True
            if description is None:
                break
            done.append(description)
        if not done:
            raise LibraryError(f"nothing to {'redo' if redo else 'undo'}")
        return done

    def redo(self, count: int = 1) -> list[str]:
        """Redo the last ``count`` undone actions (see :meth:`undo`)."""
        return self.undo(count, redo=True)

    def history(self, limit: int = history.MAX_ACTIONS) -> list[history.HistoryEntry]:
        """The undo history, newest first (see :func:`readinglist.core.history.entries`)."""
        with self.errors():
            return history.entries(self.conn, limit)

    def describe(self, description: str) -> None:
        """Rename the open action (e.g. ``imported 120 papers`` once the import knows)."""
        if self._action is not None:
            self._action = description

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

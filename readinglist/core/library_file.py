"""The library file itself, before and beside its connection: what it is and what it needs.

Whether a file can be written, is a readinglist library, is damaged (and
which backup would restore it), and which migrations it lacks; opening one
read-only. :class:`~readinglist.core.connection.Connection` asks these when it
opens a library and when SQLite reports an error. Plain ``sqlite3`` only, so
opening an up-to-date library imports nothing more.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import NamedTuple

from readinglist.core.errors import LibraryError
from readinglist.core.schema import MIGRATION_NAMES, MIGRATION_SET, MIGRATIONS_TABLE

OUR_TABLES = {"papers", "tags", "paper_tags", "meta"}
SQLITE_HEADER = b"SQLite format 3\x00"


def file_uri(path: Path, options: str) -> str:
    """An SQLite ``file:`` URI for ``path`` (``?``, ``#`` and ``%`` in the name escaped)."""
    from urllib.parse import quote

    return f"file:{quote(str(path))}?{options}"


def writable(path: Path) -> bool:
    """Whether the library file and its folder (for the ``-wal`` and ``-shm`` files) can be written."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def open_read_only(path: Path, timeout: float, threadsafe: bool) -> sqlite3.Connection:
    """Open a library that cannot be written: read-only, immutable if SQLite needs that.

    A WAL library needs its ``-shm`` file even to read, and a read-only
    folder cannot hold a new one. Then the file is opened as immutable:
    safe because nothing can change it, though a ``-wal`` left by a crash
    (changes not yet copied into the file) is not read.

    Args:
        path: The library file.
        timeout: How long to wait for a lock, in seconds.
        threadsafe: Allow the connection to be used from other threads.

    Raises:
        LibraryError: if the file cannot be opened or read (damaged, not a library).
    """
    for options in ("mode=ro", "mode=ro&immutable=1"):
        try:
            uri = file_uri(path, options)
            conn = sqlite3.connect(uri, timeout, check_same_thread=not threadsafe, uri=True)
        except sqlite3.Error as exc:
            raise LibraryError(f"{path}: cannot open: {exc}") from None
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError:
            conn.close()  # cannot open the -shm: try immutable
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise LibraryError(damaged(path, exc)) from None
    raise LibraryError(f"{path}: cannot open the read-only library")


def check_is_ours(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a file that holds tables and none of ours (another program's database).

    Raises:
        LibraryError: if the file at ``path`` (open as ``conn``) is not a readinglist library.
    """
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    names = {row[0] for row in rows}
    if names and not names & OUR_TABLES and MIGRATIONS_TABLE not in names:
        raise LibraryError(f"{path}: not a readinglist library (it holds other tables)")


def damaged(path: Path, exc: sqlite3.DatabaseError) -> str:
    """The message for a file SQLite cannot read: damaged, or not a library at all."""
    from readinglist.core import backups

    try:
        with path.open("rb") as file:
            is_sqlite = file.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        is_sqlite = False
    newest = backups.newest_backup(path)
    if newest is not None:
        hint = f"; the newest backup is {newest} (readinglist restore {newest})"
    else:
        hint = f"; no backup was found in {backups.backup_folder(path)}"
    if is_sqlite:
        return f"{path}: the library file is damaged ({exc}){hint}"
    if newest is not None:
        # Its first page is gone, but a library of this name was backed up here.
        return f"{path}: damaged, or not a readinglist library ({exc}){hint}"
    return f"{path}: not a readinglist library ({exc})"


class MigrationState(NamedTuple):
    """Where a library file's schema stands against this version's migrations."""

    has_table: bool
    """Whether the file has a migrations table (False: new or empty)."""
    pending: list[str]
    """Migrations of this version not applied yet."""
    unknown: list[str]
    """Applied migrations this version does not know: a newer readinglist wrote the file."""


def migration_state(conn: sqlite3.Connection) -> MigrationState:
    """The migrations the library open as ``conn`` lacks, and those it has that this version does not know."""
    # Plain SQL, so opening an up-to-date library does not import sqlite-utils
    # (see ``Connection.db``).
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [MIGRATIONS_TABLE]
    ).fetchone()
    if found is None:
        return MigrationState(False, list(MIGRATION_NAMES), [])
    rows = conn.execute(
        f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY rowid", [MIGRATION_SET]
    ).fetchall()
    applied = [row[0] for row in rows]
    pending = [name for name in MIGRATION_NAMES if name not in applied]
    unknown = [name for name in applied if name not in MIGRATION_NAMES]
    return MigrationState(True, pending, unknown)


def unapplied(conn: sqlite3.Connection) -> bool | None:
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

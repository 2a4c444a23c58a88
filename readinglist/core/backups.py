"""Copies of the library in ``backups/`` beside it: made by hand, automatically, and restored.

Every copy is taken with SQLite's online backup API, so it is one consistent
snapshot even while the app or an import in another process uses the
library; it is written to a temporary name and renamed into place, so a
killed run never leaves a half-written backup under a real name.

Automatic copies are made before a schema upgrade and before an import that
adds more than :data:`IMPORT_BACKUP_MIN` papers; only the newest
``keep`` of them are kept (``[backups] keep`` in ``config.toml``, 0 turns
them off). Copies made with ``readinglist backup`` are never deleted.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from readinglist.core.errors import LibraryError, ReadingListError
from readinglist.core.library_file import file_uri
from readinglist.core.schema import MIGRATION_SET, MIGRATIONS_TABLE

IMPORT_BACKUP_MIN = 1000
"""An import adding more papers than this backs the library up first."""
FOLDER = "backups"
STALE_PART_S = 24 * 3600
"""A temporary ``.part`` copy this old was left by a killed run; pruning deletes it."""

BEFORE_UPGRADE = "before-upgrade"
BEFORE_IMPORT = "before-import"
BEFORE_RESTORE = "before-restore"
DAMAGED = "damaged"
MANUAL = "manual"
AUTOMATIC_KINDS = (BEFORE_UPGRADE, BEFORE_IMPORT, BEFORE_RESTORE, DAMAGED)

_STAMP = "%Y%m%d-%H%M%S"
_KIND_PART = "|".join(AUTOMATIC_KINDS)


@dataclass(frozen=True)
class BackupInfo:
    """One copy in the backups folder."""

    path: Path
    kind: str
    """``manual`` or one of :data:`AUTOMATIC_KINDS`."""
    taken_at: datetime
    """When it was taken (UTC, from its name)."""
    size: int
    """Its size in bytes."""


def backup_folder(library_path: Path) -> Path:
    """``backups/`` beside the library file."""
    return library_path.parent / FOLDER


def _name_pattern(library_path: Path) -> re.Pattern[str]:
    stem = re.escape(library_path.stem)
    return re.compile(rf"^{stem}-(\d{{8}}-\d{{6}})(?:-({_KIND_PART}))?(?:-\d+)?\.db$")


def new_backup_path(library_path: Path, kind: str = MANUAL) -> Path:
    """A free name ``backups/<stem>-<UTC time>[-<kind>].db`` beside the library."""
    stamp = datetime.now(UTC).strftime(_STAMP)
    suffix = "" if kind == MANUAL else f"-{kind}"
    folder = backup_folder(library_path)
    target = folder / f"{library_path.stem}-{stamp}{suffix}.db"
    n = 2
    while target.exists():  # two in one second: number them instead of overwriting
        target = folder / f"{library_path.stem}-{stamp}{suffix}-{n}.db"
        n += 1
    return target


def list_backups(library_path: Path) -> list[BackupInfo]:
    """The library's copies in its backups folder, newest first."""
    pattern = _name_pattern(library_path)
    found: list[tuple[str, int, BackupInfo]] = []
    try:
        entries = list(os.scandir(backup_folder(library_path)))
    except OSError:
        return []
    for entry in entries:
        match = pattern.match(entry.name)
        if match is None or not entry.is_file():
            continue
        stat = entry.stat()
        taken = datetime.strptime(match.group(1), _STAMP).replace(tzinfo=UTC)
        info = BackupInfo(Path(entry.path), match.group(2) or MANUAL, taken, stat.st_size)
        found.append((match.group(1), stat.st_mtime_ns, info))
    found.sort(key=lambda row: (row[0], row[1]), reverse=True)
    return [info for _, _, info in found]


def newest_backup(library_path: Path) -> Path | None:
    """The newest backup of the library to restore (automatic or manual, not a damaged copy)."""
    for info in list_backups(library_path):
        if info.kind != DAMAGED:
            return info.path
    return None


def copy_database(source: sqlite3.Connection, target: Path) -> Path:
    """Write a consistent copy of ``source``'s committed state to ``target``.

    The copy is built under a temporary name beside ``target`` and renamed
    into place; it is a standalone file (rollback journal, no ``-wal``).

    Raises:
        LibraryError: if ``target`` exists or cannot be written (a full disk too).
        sqlite3.DatabaseError: if ``source`` is damaged.
    """
    if target.exists():
        raise LibraryError(f"{target}: already exists; choose another name")
    tmp = target.parent / f".{target.name}.{secrets.token_hex(4)}.part"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        dest = sqlite3.connect(tmp)
        try:
            # pages=-1: one step, so the copy is a single snapshot.
            source.backup(dest, pages=-1)
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
        os.replace(tmp, target)
    except (OSError, sqlite3.OperationalError) as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        if "full" in reason.lower() or getattr(exc, "errno", None) == 28:
            reason = "disk is full"
        raise LibraryError(f"{target}: cannot write the backup: {reason}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return target


def configured_keep() -> int:
    """How many automatic backups ``config.toml`` asks to keep (0: none are made).

    Raises:
        ConfigError: if the config file is malformed.
    """
    from readinglist import paths
    from readinglist.config import load_settings

    return load_settings(paths.config_path()).backups_keep


def automatic_backup(
    source: sqlite3.Connection | Path, library_path: Path, kind: str, keep: int | None
) -> Path | None:
    """Back the library up before a risky change, then drop the oldest automatic copies.

    Args:
        source: A connection to read the committed state through, or the
            library's path to open one (needed when the caller's own
            connection is inside a write transaction, whose changes must not
            be copied).
        library_path: The library file (names the backups folder).
        kind: :data:`BEFORE_UPGRADE` or :data:`BEFORE_IMPORT`.
        keep: How many automatic copies to keep; None reads ``config.toml``.

    Returns:
        The new copy, or None if automatic backups are turned off.

    Raises:
        LibraryError: if the copy cannot be written; the change should not go ahead.
    """
    keep = configured_keep() if keep is None else keep
    if keep <= 0:
        return None
    target = new_backup_path(library_path, kind)
    if isinstance(source, Path):
        conn = sqlite3.connect(file_uri(source, "mode=ro"), uri=True, timeout=5.0)
        try:
            made = copy_database(conn, target)
        finally:
            conn.close()
    else:
        made = copy_database(source, target)
    prune(library_path, keep)
    return made


def prune(library_path: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` automatic backups (manual copies stay), and stale ``.part`` files.

    Returns:
        The deleted files.
    """
    automatic = [info.path for info in list_backups(library_path) if info.kind in AUTOMATIC_KINDS]
    removed: list[Path] = []
    for path in automatic[max(keep, 0) :]:
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    # Half-written copies of runs that were killed. Only old ones: a young one
    # may belong to a backup another process is writing right now.
    cutoff = time.time() - STALE_PART_S
    for part in backup_folder(library_path).glob(f".{library_path.stem}-*.part"):
        with contextlib.suppress(OSError):
            if part.stat().st_mtime < cutoff:
                part.unlink()
                removed.append(part)
    return removed


def check_library_file(path: Path) -> None:
    """Check that ``path`` is an intact readinglist library, without changing it.

    Raises:
        LibraryError: naming what is wrong (missing, not SQLite, damaged, not ours).
    """
    if not path.is_file():
        raise LibraryError(f"{path}: no such file")
    try:
        conn = sqlite3.connect(file_uri(path, "mode=ro&immutable=1"), uri=True)
    except sqlite3.Error as exc:
        raise LibraryError(f"{path}: cannot open: {exc}") from None
    try:
        verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
        if verdict != "ok":
            raise LibraryError(f"{path}: the file is damaged ({verdict})")
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if MIGRATIONS_TABLE not in names or "papers" not in names:
            raise LibraryError(f"{path}: not a readinglist library")
        ours = conn.execute(
            f"SELECT count(*) FROM {MIGRATIONS_TABLE} WHERE migration_set = ?", [MIGRATION_SET]
        ).fetchone()[0]
        if not ours:
            raise LibraryError(f"{path}: not a readinglist library")
    except sqlite3.DatabaseError as exc:
        raise LibraryError(f"{path}: not a valid library file ({exc})") from None
    finally:
        conn.close()


@dataclass(frozen=True)
class Restored:
    """What :func:`restore` did."""

    source: Path
    library: Path
    previous: Path | None
    """Where the library as it was before is kept (None if there was no library)."""


def restore(library_path: Path, source: Path) -> Restored:
    """Replace the library's contents with a backup, keeping a copy of the current file first.

    The backup is checked first; nothing changes if it is not an intact
    readinglist library. An openable library is overwritten in place with
    the backup API (so an app that has it open sees the restored papers); a
    damaged one is copied aside byte for byte and replaced.

    Raises:
        LibraryError: if the backup is not a valid library, is the library
            itself, or the library cannot be written.
    """
    source = source.expanduser()
    check_library_file(source)
    if library_path.exists() and source.resolve() == library_path.resolve():
        raise LibraryError(f"{source}: is the library itself")
    previous: Path | None = None
    if library_path.exists():
        previous = _keep_current(library_path)
    src = sqlite3.connect(file_uri(source, "mode=ro&immutable=1"), uri=True)
    try:
        if previous is None or not _overwrite_in_place(src, library_path):
            _replace_file(src, library_path)
    finally:
        src.close()
    return Restored(source, library_path, previous)


def _keep_current(library_path: Path) -> Path:
    """Copy the current library to the backups folder: by the backup API, or raw if damaged."""
    try:
        conn = sqlite3.connect(file_uri(library_path, "mode=ro"), uri=True, timeout=5.0)
        try:
            return copy_database(conn, new_backup_path(library_path, BEFORE_RESTORE))
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        pass
    target = new_backup_path(library_path, DAMAGED)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(library_path, target)
    except OSError as exc:
        raise LibraryError(f"{target}: cannot keep the current library: {exc.strerror or exc}") from None
    return target


def _overwrite_in_place(src: sqlite3.Connection, library_path: Path) -> bool:
    """Copy ``src`` over the library through SQLite, so open connections see it.

    Returns:
        False if the library file is too damaged for SQLite to write into.
    """
    try:
        dest = sqlite3.connect(library_path, timeout=5.0)
        try:
            size = dest.execute("PRAGMA page_size").fetchone()[0]
            if src.execute("PRAGMA page_size").fetchone()[0] == size:
                src.backup(dest, pages=-1)
            else:
                # SQLite cannot copy pages of another size into a WAL file: a backup made
                # with 4 KiB pages (libraries made before 16 KiB) is resized first.
                with _resized(src, size, library_path.parent) as resized:
                    resized.backup(dest, pages=-1)
        finally:
            dest.close()
    except sqlite3.OperationalError as exc:
        raise LibraryError(f"{library_path}: cannot restore into it: {exc}") from None
    except sqlite3.DatabaseError:
        return False
    return True


@contextlib.contextmanager
def _resized(src: sqlite3.Connection, page_size: int, folder: Path) -> Iterator[sqlite3.Connection]:
    """A temporary copy of ``src`` in ``folder`` with pages of ``page_size`` bytes, removed afterwards."""
    tmp = folder / f".restore.{secrets.token_hex(4)}.part"
    try:
        conn = sqlite3.connect(tmp)
        try:
            src.backup(conn, pages=-1)
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute(f"PRAGMA page_size = {int(page_size)}")
            conn.execute("VACUUM")  # rewrites the file with the new page size
            yield conn
        finally:
            conn.close()
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _replace_file(src: sqlite3.Connection, library_path: Path) -> None:
    """Put a copy of ``src`` at ``library_path`` by renaming (the old file is damaged or missing)."""
    tmp = library_path.parent / f".{library_path.name}.{secrets.token_hex(4)}.part"
    try:
        copy_database(src, tmp)
        for companion in ("-wal", "-shm"):
            # A stale WAL would be replayed into the restored file and corrupt it.
            with contextlib.suppress(FileNotFoundError):
                Path(f"{library_path}{companion}").unlink()
        os.replace(tmp, library_path)
    except (OSError, ReadingListError) as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise LibraryError(f"{library_path}: cannot restore into it: {exc}") from None

"""The library file: a newer schema, a damaged file, automatic backups, backup --list and restore."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from readinglist.config import ConfigError, load_settings
from readinglist.core import backups
from readinglist.core.errors import LibraryError
from readinglist.core.migrations import migrations
from readinglist.core.schema import MIGRATION_NAMES, MIGRATION_SET, MIGRATIONS_TABLE
from readinglist.core.store import Library

from .library_helpers import cli, one_line, seeded_library, snapshot, write_papers

FUTURE = "m999_from_a_newer_version"


def _from_the_future(path: Path) -> Path:
    """A library on which a newer readinglist applied a migration this one does not know."""
    seeded_library(path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            f"INSERT INTO {MIGRATIONS_TABLE} (migration_set, name, applied_at) VALUES (?, ?, '2030-01-01')",
            [MIGRATION_SET, FUTURE],
        )
        conn.execute("CREATE TABLE future_things (x)")  # what that migration made
    conn.close()
    return path


def test_a_newer_library_is_read_but_never_written(tmp_path: Path) -> None:
    path = _from_the_future(tmp_path / "lib.db")
    before = snapshot(path)
    with Library(path) as lib:
        assert lib.read_only is not None and FUTURE in lib.read_only
        assert lib.count() == 220
        with pytest.raises(LibraryError, match=f"{FUTURE}.*upgrade readinglist"):
            lib.set_starred(1, True)
        # Not even raw SQL on the connection can write (query_only).
        with pytest.raises(sqlite3.OperationalError):
            lib.conn.execute("UPDATE papers SET starred = 1")
    assert snapshot(path) == before
    with sqlite3.connect(path) as conn:  # the upgrade path did not touch the migrations either
        names = [r[0] for r in conn.execute(f"SELECT name FROM {MIGRATIONS_TABLE} ORDER BY id")]
    assert names == [*MIGRATION_NAMES, FUTURE]


@pytest.mark.slow
def test_a_newer_library_through_the_cli(tmp_path: Path) -> None:
    path = _from_the_future(tmp_path / "lib.db")
    before = snapshot(path)
    for write in (["star", "1"], ["note", "1", "--set", "x"], ["import", "--sample"], ["tag", "1", "+x"]):
        result = cli("--db", str(path), *write)
        assert result.returncode == 1, write
        line = one_line(result.stderr)
        assert FUTURE in line and "upgrade readinglist" in line, line
    # $EDITOR is not even started: what would be typed there could not be saved.
    editor = tmp_path / "editor.sh"
    editor.write_text(f"#!/bin/sh\ntouch {tmp_path / 'editor-ran'}\n", encoding="utf-8")
    editor.chmod(0o755)
    edited = cli("--db", str(path), "note", "1", "--edit", env={"EDITOR": str(editor), "VISUAL": str(editor)})
    assert edited.returncode == 1 and FUTURE in one_line(edited.stderr)
    assert not (tmp_path / "editor-ran").exists()
    assert snapshot(path) == before
    listed = cli("--db", str(path), "list", "--limit", "3")
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 3
    found = cli("--db", str(path), "search", "retrieval", "--json")
    assert found.returncode == 0 and json.loads(found.stdout)
    shown = cli("--db", str(path), "show", "1", "--json")
    assert shown.returncode == 0 and json.loads(shown.stdout)["id"] == 1
    exported = cli("--db", str(path), "export", "--format", "json")
    assert exported.returncode == 0 and len(json.loads(exported.stdout)["papers"]) == 220
    assert snapshot(path) == before


def _damage(path: Path) -> None:
    """Overwrite the schema page after the header: SQLite can no longer read the file."""
    with path.open("r+b") as file:
        file.seek(100)
        file.write(b"\xa5" * 3000)


def test_a_damaged_library_says_so_and_names_the_newest_backup(tmp_path: Path) -> None:
    path = seeded_library(tmp_path / "lib.db")
    with Library(path) as lib:
        older = backups.automatic_backup(lib.conn, path, backups.BEFORE_IMPORT, keep=5)
        newest = backups.automatic_backup(lib.conn, path, backups.BEFORE_UPGRADE, keep=5)
    assert older is not None and newest is not None
    os.utime(older, ns=(1, 1))  # same second: the name's number and the mtime still order them
    _damage(path)
    result = cli("--db", str(path), "list")
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert line.startswith(f"readinglist: {path}: the library file is damaged"), line
    assert "not a readinglist library" not in line
    assert f"readinglist restore {newest}" in line


def test_a_damaged_library_without_backups_says_where_it_looked(tmp_path: Path) -> None:
    path = seeded_library(tmp_path / "lib.db")
    _damage(path)
    with pytest.raises(LibraryError, match=r"damaged .*no backup was found in .*backups"):
        Library(path)


def test_restore_brings_a_damaged_library_back_and_keeps_the_damaged_file(tmp_path: Path) -> None:
    path = seeded_library(tmp_path / "lib.db")
    assert cli("--db", str(path), "star", "5").returncode == 0
    made = cli("--db", str(path), "backup")
    assert made.returncode == 0
    copy = Path(made.stdout.strip())
    good = snapshot(path)
    _damage(path)
    damaged_bytes = path.read_bytes()
    listed = cli("--db", str(path), "backup", "--list")  # works on the damaged library
    assert listed.returncode == 0 and str(copy) in listed.stdout and "manual" in listed.stdout
    restored = cli("--db", str(path), "restore", str(copy))
    assert restored.returncode == 0, restored.stderr
    assert snapshot(path) == good
    kept = [i for i in backups.list_backups(path) if i.path != copy]
    assert len(kept) == 1 and kept[0].path.read_bytes() == damaged_bytes
    assert str(kept[0].path) in restored.stdout


def test_restore_keeps_a_copy_of_the_current_library_and_works_under_an_open_connection(
    tmp_path: Path,
) -> None:
    path = seeded_library(tmp_path / "lib.db")
    old = tmp_path / "old.db"
    with Library(path) as lib:
        from readinglist.core import exporter

        exporter.backup(lib, old)
        lib.set_note(3, "written after the backup")
        before_restore = snapshot(path)
        # Another process restores while this connection (say, the app) stays open.
        result = cli("--db", str(path), "restore", str(old))
        assert result.returncode == 0, result.stderr
        assert lib.get(3).notes == ""  # the open connection sees the restored file
        lib.set_note(4, "still writable")  # and can go on writing to it
    kept = [i for i in backups.list_backups(path) if i.kind == backups.BEFORE_RESTORE]
    assert len(kept) == 1
    assert snapshot(kept[0].path)[2] == before_restore[2]
    with Library(path) as lib:
        assert lib.get(4).notes == "still writable"


def _library_with_pages(path: Path, page_size: int) -> Path:
    """A seeded library whose file has pages of ``page_size`` bytes (older libraries have 4 KiB)."""
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA page_size = {page_size}")
    conn.execute("CREATE TABLE made_first (x)")  # the page size is fixed from here on
    conn.execute("DROP TABLE made_first")
    conn.close()
    return seeded_library(path)


@pytest.mark.parametrize(("library_pages", "backup_pages"), [(16384, 4096), (4096, 16384)])
def test_restore_copies_a_backup_with_another_page_size_under_an_open_connection(
    tmp_path: Path, library_pages: int, backup_pages: int
) -> None:
    path = _library_with_pages(tmp_path / "lib.db", library_pages)
    old = _library_with_pages(tmp_path / "old.db", backup_pages)
    with Library(old) as lib:
        lib.set_note(3, "from the backup")
    good = snapshot(old)
    with Library(path) as lib:
        lib.set_note(4, "written in the library")
        result = cli("--db", str(path), "restore", str(old))
        assert result.returncode == 0, result.stderr
        assert lib.get(3).notes == "from the backup"  # the open connection sees the restored file
        assert lib.get(4).notes == ""
        assert lib.conn.execute("PRAGMA page_size").fetchone()[0] == library_pages
    assert snapshot(path) == good
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


@pytest.mark.parametrize("bad", ["text", "foreign", "damaged", "missing"])
def test_restore_refuses_a_file_that_is_not_a_valid_library(tmp_path: Path, bad: str) -> None:
    path = seeded_library(tmp_path / "lib.db")
    before = snapshot(path)
    source = tmp_path / f"{bad}.db"
    if bad == "text":
        source.write_text("not a database\n" * 100)
    elif bad == "foreign":
        with sqlite3.connect(source) as conn:
            conn.execute("CREATE TABLE invoices (id)")
    elif bad == "damaged":
        seeded_library(source)
        _damage(source)
    result = cli("--db", str(path), "restore", str(source))
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert str(source) in line
    assert snapshot(path) == before
    assert backups.list_backups(path) == []  # refused before anything was copied


def _old_schema_library(path: Path) -> None:
    db = Database(path)
    migrations.apply(db, stop_before="m002_fulltext")
    db.execute(
        "INSERT INTO papers (title, added_at, title_key) "
        "VALUES ('Old paper', '2020-01-01T00:00:00Z', 'old paper')"
    )
    db.conn.commit()
    db.close()


def test_an_upgrade_backs_the_library_up_first(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    _old_schema_library(path)
    with Library(path, keep_backups=5) as lib:
        assert lib.count() == 1
    (info,) = backups.list_backups(path)
    assert info.kind == backups.BEFORE_UPGRADE
    conn = sqlite3.connect(info.path)
    applied = [r[0] for r in conn.execute(f"SELECT name FROM {MIGRATIONS_TABLE}")]
    assert applied == ["m001_initial"]  # the file as it was before the upgrade
    assert conn.execute("SELECT title FROM papers").fetchall() == [("Old paper",)]
    conn.close()
    # A new library has nothing to back up; an up-to-date one needs no upgrade.
    Library(tmp_path / "new.db", keep_backups=5).close()
    Library(path, keep_backups=5).close()
    assert backups.list_backups(tmp_path / "new.db") == [] and len(backups.list_backups(path)) == 1


def test_config_turns_upgrade_backups_off(tmp_path: Path, isolated_env: Path) -> None:
    config = Path(os.environ["READINGLIST_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[backups]\nkeep = 0\n", encoding="utf-8")
    path = tmp_path / "lib.db"
    _old_schema_library(path)
    assert cli("--db", str(path), "stats").returncode == 0
    assert backups.list_backups(path) == []


@pytest.mark.slow
def test_an_import_of_more_than_1000_papers_backs_up_first(tmp_path: Path) -> None:
    path = seeded_library(tmp_path / "lib.db")
    small = cli("--db", str(path), "import", str(write_papers(tmp_path / "small.json", 1000)))
    assert small.returncode == 0, small.stderr
    assert backups.list_backups(path) == []  # 1,000 added: not more than 1,000
    big = cli("--db", str(path), "import", str(write_papers(tmp_path / "big.json", 1001, start=5000)))
    assert big.returncode == 0, big.stderr
    (info,) = backups.list_backups(path)
    assert info.kind == backups.BEFORE_IMPORT
    assert snapshot(info.path)[:2] == ("ok", 1220)  # the library before this import
    assert snapshot(path)[1] == 2221
    listed = cli("--db", str(path), "backup", "--list")
    assert listed.returncode == 0 and "before-import" in listed.stdout and str(info.path) in listed.stdout


def test_only_the_newest_automatic_backups_are_kept(tmp_path: Path) -> None:
    path = seeded_library(tmp_path / "lib.db")
    with Library(path) as lib:
        from readinglist.core import exporter

        manual = exporter.backup(lib)
        folder = path.parent / "backups"
        stale, young = folder / ".lib-20200101-000000.db.dead.part", folder / ".lib-x.db.live.part"
        stale.write_bytes(b"left by a kill -9")
        os.utime(stale, (1, 1))
        young.write_bytes(b"another process is writing this one")
        made = [backups.automatic_backup(lib.conn, path, backups.BEFORE_IMPORT, keep=3) for _ in range(5)]
    kept = backups.list_backups(path)
    assert [i.path for i in kept if i.kind != "manual"] == list(reversed(made))[:3]
    assert manual in [i.path for i in kept]  # a copy made by hand is never deleted
    assert [p for p in folder.iterdir() if p.name.endswith(".part")] == [young]


def test_backup_settings_are_checked(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[backups]\nkeep = 2\n", encoding="utf-8")
    assert load_settings(config).backups_keep == 2
    assert load_settings(tmp_path / "missing.toml").backups_keep == 5
    for bad, line in (("keep = -1", 2), ("keep = true", 2), ('keep = "5"', 2), ("kept = 3", 2)):
        config.write_text(f"[backups]\n{bad}\n", encoding="utf-8")
        with pytest.raises(ConfigError, match=f"^{config}:{line}: "):
            load_settings(config)

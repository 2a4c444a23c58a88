"""A full disk: the import, the automatic backup and a manual backup fail with one line; nothing changes.

The disk is a small tmpfs (skipped, with the reason, where the test cannot mount one).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from readinglist.core import backups

from .library_helpers import cli, one_line, seeded_library, small_disk, snapshot, write_papers


def _library_on_small_disk(tmp_path: Path, disk: Path) -> Path:
    # Seeded outside, then copied: filling the small disk is the test, not the setup.
    source = seeded_library(tmp_path / "seed" / "library.db")
    shutil.copyfile(source, disk / "library.db")
    return disk / "library.db"


def _keep(tmp_path: Path, keep: int) -> dict[str, str]:
    config = tmp_path / f"keep{keep}.toml"
    config.write_text(f"[backups]\nkeep = {keep}\n", encoding="utf-8")
    return {"READINGLIST_CONFIG": str(config)}


@pytest.mark.slow
def test_an_import_that_fills_the_disk_changes_nothing(tmp_path: Path) -> None:
    papers = write_papers(tmp_path / "big.json", 2500, abstract_words=60)
    with small_disk(tmp_path / "disk", 2400) as disk:
        path = _library_on_small_disk(tmp_path, disk)
        before = snapshot(path)
        result = cli("--db", str(path), "import", str(papers), env=_keep(tmp_path, 0))
        assert result.returncode == 1
        line = one_line(result.stderr)
        assert line == f"readinglist: {path}: disk is full", line
        assert snapshot(path) == before
        # Once there is room again, the same import goes through whole.
        (tmp_path / "bigger").mkdir()
        shutil.copyfile(path, tmp_path / "bigger" / "library.db")
    moved = tmp_path / "bigger" / "library.db"
    again = cli("--db", str(moved), "import", str(papers), env=_keep(tmp_path, 0))
    assert again.returncode == 0, again.stderr
    assert snapshot(moved)[:2] == ("ok", 2720)


def test_an_automatic_backup_that_does_not_fit_stops_the_import(tmp_path: Path) -> None:
    papers = write_papers(tmp_path / "papers.json", 1500, abstract_words=5)
    with small_disk(tmp_path / "disk", 2600) as disk:
        path = _library_on_small_disk(tmp_path, disk)
        before = snapshot(path)
        result = cli("--db", str(path), "import", str(papers), env=_keep(tmp_path, 5))
        assert result.returncode == 1
        line = one_line(result.stderr)
        assert "cannot write the backup: disk is full; nothing was imported" in line, line
        assert "keep = 0" in line
        assert snapshot(path) == before
        assert backups.list_backups(path) == []
        assert list((disk / "backups").iterdir()) == []  # no half-written copy left behind
        # A manual backup says the same, and leaves nothing either.
        manual = cli("--db", str(path), "backup")
        assert manual.returncode == 1 and "disk is full" in one_line(manual.stderr)
        assert list((disk / "backups").iterdir()) == []
        assert snapshot(path) == before

"""Shared fixtures: every test gets its own library file and config, never the user's."""

from __future__ import annotations

import inspect
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from readinglist.core.sample import import_sample
from readinglist.core.store import Library


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that drive the real app ``ui``, so ``-m "not ui"`` can leave them out.

    A test drives the app when it is a coroutine (every one runs ``App.run_test``)
    or compares snapshots: marked here once, rather than by hand in each module.
    """
    for item in items:
        if isinstance(item, pytest.Function) and (
            inspect.iscoroutinefunction(item.obj) or "snap_compare" in item.fixturenames
        ):
            item.add_marker(pytest.mark.ui)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the library, config and XDG folders at a temporary directory."""
    home = tmp_path / "home"
    monkeypatch.setenv("READINGLIST_DB", str(home / "library.db"))
    monkeypatch.setenv("READINGLIST_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    for name in ("TMUX", "SSH_TTY", "SSH_CONNECTION", "SSH_CLIENT"):  # where OSC 52 is the only channel
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a fresh library file."""
    return tmp_path / "lib" / "library.db"


@pytest.fixture
def library(db_path: Path) -> Iterator[Library]:
    """An empty library in a temporary file."""
    with Library(db_path) as lib:
        yield lib


@pytest.fixture(scope="session")
def sample_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library file holding the bundled sample, imported once per session (per xdist worker)."""
    path = tmp_path_factory.mktemp("sample") / "library.db"
    with Library(path) as lib:
        import_sample(lib)
    return path


@pytest.fixture(scope="session")
def indexed_sample_file(sample_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample library with every paper embedded for meaning search (``readinglist index``), once."""
    from readinglist.cli import main

    path = tmp_path_factory.mktemp("indexed") / "library.db"
    shutil.copyfile(sample_file, path)
    assert main(["index", "--db", str(path)]) == 0
    return path


@pytest.fixture
def indexed_db(indexed_sample_file: Path, tmp_path: Path) -> Path:
    """A copy of :func:`indexed_sample_file` for one test to change."""
    path = tmp_path / "indexed.db"
    shutil.copyfile(indexed_sample_file, path)
    return path


@pytest.fixture
def sample_library(db_path: Path, sample_file: Path) -> Iterator[Library]:
    """A library holding the bundled 220-paper sample.

    A copy of :func:`sample_file`: the same file an import of the sample makes,
    for a file copy instead of an import (a third of a second) per test.
    """
    assert not db_path.exists(), "a test takes sample_library or library, not both"
    db_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(sample_file, db_path)
    with Library(db_path) as lib:
        yield lib


@pytest.fixture
def many_matches(tmp_path: Path) -> Path:
    """A library of 400 papers that all say "lattice": more than a page of candidates."""
    import json

    from readinglist.core.importing import import_files

    src = tmp_path / "many.jsonl"
    lines = [
        json.dumps(
            {
                "id": f"2401.{i:05d}",
                "title": f"Lattice study number {i}" if i % 2 else f"Paper {i} on quarks",
                "abstract": f"We measure the lattice spacing in run {i}.",
                "authors": "A. Author",
            }
        )
        for i in range(400)
    ]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = tmp_path / "many.db"
    with Library(path) as lib:
        assert import_files(lib, [src], format_name="arxiv-jsonl").added == 400
    return path

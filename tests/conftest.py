"""Shared fixtures: every test gets its own library file and config, never the user's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from readinglist.core.sample import import_sample
from readinglist.core.store import Library


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


@pytest.fixture
def sample_library(library: Library) -> Library:
    """A library holding the bundled 220-paper sample."""
    import_sample(library)
    return library

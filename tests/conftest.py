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


@pytest.fixture
def sample_library(library: Library) -> Library:
    """A library holding the bundled 220-paper sample."""
    import_sample(library)
    return library


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

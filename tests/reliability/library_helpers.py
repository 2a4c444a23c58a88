"""Helpers for the library-file reliability tests: real processes, real files, real mounts."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from readinglist.core.sample import seed_if_new
from readinglist.core.store import Library

_WORDS = (
    "sparse attention retrieval graph diffusion kernel tensor quantum bandit policy gradient "
    "vision speech protein molecule lattice manifold causal federated robust latent"
).split()


def cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``readinglist ARGS`` in its own process, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "readinglist", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )


def write_papers(path: Path, count: int, *, start: int = 0, abstract_words: int = 40) -> Path:
    """A JSON file of ``count`` distinct generated papers (titles never repeat across ``start`` ranges)."""
    papers = []
    for i in range(start, start + count):
        a, b, c = _WORDS[i % 20], _WORDS[(i // 20) % 20], _WORDS[(i // 400) % 20]
        words = " ".join(_WORDS[(i * 7 + k) % 20] for k in range(abstract_words))
        papers.append({"title": f"Paper {i}: {a} {b} {c} number {i}", "abstract": words, "year": 2020})
    path.write_text(json.dumps(papers), encoding="utf-8")
    return path


def seeded_library(path: Path) -> Path:
    """A library file holding the 220-paper sample, closed (no -wal/-shm left)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with Library(path) as lib:
        seed_if_new(lib)
    return path


def snapshot(path: Path) -> tuple[str, int, list[tuple[object, ...]]]:
    """integrity_check, paper count and every row that a user changes, read through plain SQLite.

    A read-write connection: as the last one to close, it removes the ``-wal``
    and ``-shm`` files, so the folder holds just the library afterwards.
    """
    conn = sqlite3.connect(path)
    try:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        count = conn.execute("SELECT count(*) FROM papers").fetchone()[0]
        rows = conn.execute(
            "SELECT id, title, starred, status, queue_position, notes, (SELECT group_concat(t.name, ' ') "
            "FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.paper_id = papers.id) FROM papers "
            "ORDER BY id"
        ).fetchall()
    finally:
        conn.close()
    return check, count, rows


def one_line(text: str) -> str:
    """The single line of an error message (fails on a traceback or several lines)."""
    assert "Traceback" not in text, text
    assert text.count("\n") == 1 and text.endswith("\n"), text
    return text.rstrip("\n")


def _mount(*args: str) -> str | None:
    """Run mount; None on success, else why it is impossible here."""
    if shutil.which("mount") is None:
        return "no mount command"
    if os.geteuid() != 0:
        return "mounting needs root"
    result = subprocess.run(["mount", *args], capture_output=True, text=True)
    return None if result.returncode == 0 else f"mount {' '.join(args)} failed: {result.stderr.strip()}"


def _umount(target: Path) -> None:
    if subprocess.run(["umount", str(target)], capture_output=True).returncode != 0:
        # Something still holds it (a connection a failing test left open): detach lazily.
        subprocess.run(["umount", "-l", str(target)], capture_output=True)


@contextlib.contextmanager
def read_only_view(folder: Path, target: Path) -> Iterator[Path]:
    """``folder`` seen through a read-only bind mount at ``target`` (root only: chmod does not stop root)."""
    target.mkdir(parents=True, exist_ok=True)
    why = _mount("--bind", "-o", "ro", str(folder), str(target))
    if why is not None:
        pytest.skip(f"cannot make a read-only folder here: {why}")
    try:
        yield target
    finally:
        _umount(target)


@contextlib.contextmanager
def immutable_file(path: Path) -> Iterator[Path]:
    """``path`` made unwritable even for root (``chattr +i``), in a folder that stays writable."""
    if shutil.which("chattr") is None:
        pytest.skip("no chattr command to make a file unwritable for root")
    result = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot make a file immutable here: {result.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)


@contextlib.contextmanager
def small_disk(target: Path, size_kib: int) -> Iterator[Path]:
    """A tmpfs of ``size_kib`` mounted at ``target``: a disk that fills up."""
    target.mkdir(parents=True, exist_ok=True)
    why = _mount("-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(target))
    if why is not None:
        pytest.skip(f"cannot make a small disk here: {why}")
    try:
        yield target
    finally:
        _umount(target)

"""``export -o PATH`` replaces only regular files, keeps their mode and never leaves a half file (#12)."""

from __future__ import annotations

import json
import os
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from readinglist.core import exporter
from readinglist.core.errors import ReadingListError
from readinglist.core.importing import import_files
from readinglist.core.sample import import_sample
from readinglist.core.store import Library

from .interop_cli import run_cli


def parts(folder: Path) -> list[str]:
    return sorted(n for n in os.listdir(folder) if n.endswith(".part"))


@pytest.fixture
def sample_db(db_path: Path) -> Path:
    with Library(db_path) as lib:
        import_sample(lib)
    return db_path


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_without_blocking(sample_db: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run_cli("export", "-o", fifo, db=sample_db, timeout=30)
    assert (result.returncode, result.stdout) == (1, "")
    assert (
        result.stderr
        == f"readinglist: {fifo}: is a FIFO (named pipe), not a regular file; nothing was written\n"
    )
    assert stat.S_ISFIFO(fifo.stat().st_mode) and parts(tmp_path) == []


def test_a_folder_is_refused(sample_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    result = run_cli("export", "--format", "csv", "-o", folder, db=sample_db)
    assert result.returncode == 1
    assert result.stderr == f"readinglist: {folder}: is a folder, not a regular file; nothing was written\n"
    assert folder.is_dir() and os.listdir(folder) == [] and parts(tmp_path) == []


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null")
def test_a_device_is_refused(sample_db: Path) -> None:
    result = run_cli("export", "-o", "/dev/null", db=sample_db)
    assert result.returncode == 1
    assert result.stderr == "readinglist: /dev/null: is a device, not a regular file; nothing was written\n"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o604])
def test_a_replaced_file_keeps_its_mode(sample_library: Library, tmp_path: Path, mode: int) -> None:
    target = tmp_path / "private.bib"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(mode)
    assert exporter.export_to_file(sample_library, "bibtex", target) == 220
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert target.read_text(encoding="utf-8").startswith("@misc{")


def test_a_new_file_gets_ordinary_permissions(sample_library: Library, tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        exporter.export_to_file(sample_library, "json", tmp_path / "new.json")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o644


def test_left_overs_of_dead_exports_go_live_ones_stay(sample_library: Library, tmp_path: Path) -> None:
    target = tmp_path / "list.md"
    dead = tmp_path / ".list.md.4194305-deadbeef.part"  # above Linux's largest pid
    alive = tmp_path / f".list.md.{os.getppid()}-cafef00d.part"
    other = tmp_path / ".other.md.4194305-deadbeef.part"
    for path in (dead, alive, other):
        path.write_text("half", encoding="utf-8")
    exporter.export_to_file(sample_library, "markdown", target)
    assert parts(tmp_path) == sorted([alive.name, other.name])
    assert target.read_text(encoding="utf-8").startswith("# Reading list")


def test_an_unwritable_folder_is_one_error(sample_library: Library, tmp_path: Path) -> None:
    with pytest.raises(ReadingListError, match=r"missing/out.json: cannot write: No such file or directory"):
        exporter.export_to_file(sample_library, "json", tmp_path / "missing" / "out.json")


# -- signals, with a real process exporting a large library ----------------------------------


@pytest.fixture(scope="module")
def large_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20,000 papers (words from a small vocabulary, so the import itself stays quick)."""
    folder = tmp_path_factory.mktemp("large")
    rng = random.Random(12)
    vocab = ["".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(4, 10))) for _ in range(3000)]
    source = folder / "papers.jsonl"
    with source.open("w", encoding="utf-8") as out:
        for n in range(20_000):
            record = {
                "id": f"{2001 + n // 10_000}.{n % 10_000:05d}",
                "title": " ".join(rng.choices(vocab, k=10)),
                "abstract": " ".join(rng.choices(vocab, k=60)),
                "authors": "A. Author and B. Writer",
            }
            out.write(json.dumps(record) + "\n")
    path = folder / "large.db"
    with Library(path) as lib:
        assert import_files(lib, [source]).added == 20_000
    return path


def start_export(db: Path, target: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, READINGLIST_DB=str(db))
    return subprocess.Popen(
        [sys.executable, "-m", "readinglist", "export", "--format", "bibtex", "-o", str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def wait_for_part(folder: Path, process: subprocess.Popen[str], least: int = 100_000) -> Path:
    """The export's ``.part`` file, once it holds ``least`` bytes (the export is under way)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "the export ended before it could be interrupted"
        for name in parts(folder):
            part = folder / name
            if part.stat().st_size >= least:
                return part
        time.sleep(0.01)
    raise AssertionError("no .part file appeared")


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, getattr(signal, "SIGHUP", signal.SIGTERM)])
def test_sigterm_mid_export_removes_the_part_and_keeps_the_old_file(
    large_db: Path, tmp_path: Path, sig: signal.Signals
) -> None:
    target = tmp_path / "refs.bib"
    target.write_text("% the previous export\n", encoding="utf-8")
    process = start_export(large_db, target)
    wait_for_part(tmp_path, process)
    process.send_signal(sig)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert err == "readinglist: interrupted; nothing was changed by the running command\n"
    assert parts(tmp_path) == []
    assert target.read_text(encoding="utf-8") == "% the previous export\n"


@pytest.mark.slow
def test_sigkill_mid_export_leaves_at_worst_a_part_file_the_next_export_removes(
    large_db: Path, tmp_path: Path
) -> None:
    target = tmp_path / "refs.bib"
    target.write_text("% the previous export\n", encoding="utf-8")
    process = start_export(large_db, target)
    part = wait_for_part(tmp_path, process)
    process.kill()
    process.communicate(timeout=30)
    # The target is never truncated: it is the old file; the half export is in the .part file.
    assert target.read_text(encoding="utf-8") == "% the previous export\n"
    assert parts(tmp_path) == [part.name]
    result = run_cli("export", "--format", "bibtex", "--view", "starred", "-o", target, db=large_db)
    assert (result.returncode, result.stderr) == (0, f"exported 0 papers to {target}\n")
    assert parts(tmp_path) == [] and target.read_text(encoding="utf-8") == ""

"""``readinglist search`` runs in its own process only: nothing outlives it, nothing is left behind.

The search server this replaces received every search's environment and
terminal through a socket in ``$XDG_RUNTIME_DIR`` (or ``/tmp``), and stayed up
for ten minutes after a search. These tests run the real command in a child
process and look at what it leaves: processes, and files in the runtime folders.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from readinglist.core.sample import import_sample
from readinglist.core.store import Library

# Runs COMMAND as a child of a process that adopts every orphan of its
# descendants (PR_SET_CHILD_SUBREAPER), so even a daemon that forked twice and
# left the session is found. Prints the exit status and whatever is still
# running once the command has exited, then kills those leftovers.
_REAPER = textwrap.dedent(
    """
    import ctypes, json, os, signal, subprocess, sys, time
    PR_SET_CHILD_SUBREAPER = 36
    if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        sys.exit("prctl failed")
    done = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, capture_output=True, start_new_session=True)
    time.sleep(0.5)  # time for a background process started on the way out to show itself

    def children():
        found = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/stat") as fh:
                    stat = fh.read()
                with open(f"/proc/{pid}/cmdline", "rb") as fh:
                    cmd = fh.read().replace(b"\\0", b" ").decode(errors="replace").strip()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == os.getpid():  # field 4: the parent
                found.append((int(pid), cmd))
        return found

    left = children()
    for pid, _ in left:
        os.kill(pid, signal.SIGKILL)
    print(json.dumps({"code": done.returncode, "out": done.stdout.decode(), "left": left}))
    """
)


@pytest.fixture
def sample_db(tmp_path: Path) -> Path:
    path = tmp_path / "lib" / "library.db"
    with Library(path) as lib:
        import_sample(lib)
    return path


@pytest.fixture
def runtime_dirs(tmp_path: Path) -> dict[str, Path]:
    """Empty private folders where a background helper would put its socket, lock or log."""
    dirs = {name: tmp_path / name for name in ("xdg-run", "tmp", "rl-run")}
    for path in dirs.values():
        path.mkdir(mode=0o700)
    return dirs


def _search_env(runtime_dirs: dict[str, Path]) -> dict[str, str]:
    env = dict(os.environ)
    env["XDG_RUNTIME_DIR"] = str(runtime_dirs["xdg-run"])
    env["TMPDIR"] = str(runtime_dirs["tmp"])
    # The removed server's own switches: set as a user of the old version might
    # have them, they must start nothing now.
    env["READINGLIST_RUNTIME_DIR"] = str(runtime_dirs["rl-run"])
    env["READINGLIST_SERVER"] = "1"
    return env


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs Linux's child subreaper and /proc")
def test_no_process_outlives_a_search_and_no_runtime_file_is_made(
    sample_db: Path, runtime_dirs: dict[str, Path]
) -> None:
    command = [sys.executable, "-m", "readinglist", "--db", str(sample_db), "search", "chinchila"]
    for _ in range(2):  # the old server started on the first search and served the second
        done = subprocess.run(
            [sys.executable, "-c", _REAPER, *command],
            env=_search_env(runtime_dirs),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout)
        assert report["code"] == 0
        assert "Chinchilla" in report["out"]
        assert report["left"] == []
    for name, path in runtime_dirs.items():
        assert list(path.iterdir()) == [], name


def test_the_server_modules_are_gone() -> None:
    import importlib.util

    for name in ("readinglist.search_server", "readinglist.search_request", "readinglist.client"):
        assert importlib.util.find_spec(name) is None, name


def _imported_by_search(args: list[str], env: dict[str, str]) -> set[str]:
    """Every module a whole ``python -m readinglist`` process imports, as ``-X importtime`` lists them."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "readinglist", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Chinchilla" in done.stdout
    return {
        line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")
    }


HEAVY = (
    "platformdirs",  # the library path is given: no need to look up the user's folders
    "textual",
    "rich",
    "pyperclip",
    "rapidfuzz",  # about 20 ms; a search compares a handful of typo candidates (vocab.osa_distance)
    "dataclasses",  # with inspect, about 15 ms, plus each class it makes
    "inspect",
    "argparse",  # a plain search reads its arguments itself (readinglist.cli_quick)
    "shutil",  # what argparse loads to measure the terminal
    "sqlite_utils",
    "bibtexparser",
    "orjson",
    "readinglist.ui",
    "readinglist.config",
    "readinglist.core.importing",
    "readinglist.core.exporter",
    "readinglist.core.formats",
)


@pytest.mark.parametrize("how", ["--db", "READINGLIST_DB"])
def test_a_search_process_imports_none_of_the_heavy_modules(
    sample_db: Path, runtime_dirs: dict[str, Path], how: str
) -> None:
    env = _search_env(runtime_dirs)
    if how == "--db":
        env.pop("READINGLIST_DB", None)
        args = ["search", "--db", str(sample_db), "chinchila"]
    else:
        env["READINGLIST_DB"] = str(sample_db)
        args = ["search", "chinchila"]
    modules = _imported_by_search(args, env)
    assert "readinglist.core.search" in modules  # the listing is real: the engine shows up
    loaded = sorted(m for m in modules if m.startswith(HEAVY))
    assert loaded == []


def test_a_search_ending_the_process_early_writes_all_its_output(sample_db: Path, tmp_path: Path) -> None:
    """A plain search leaves through ``os._exit`` (readinglist.entry): everything must be flushed first."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # buffered, as usual
    command = [sys.executable, "-m", "readinglist", "--db", str(sample_db), "search", "a", "--limit=500"]
    outputs = []
    for extra in ([], ["--json"]):
        out = tmp_path / f"out{len(extra)}.txt"
        with out.open("w") as fh:
            done = subprocess.run(
                [*command, *extra],
                stdout=fh,
                stderr=subprocess.PIPE,
                env=env,
                text=True,
                timeout=60,
            )
        assert done.returncode == 0, done.stderr
        outputs.append(out.read_text())
    lines, papers = outputs[0], json.loads(outputs[1])
    assert len(papers) > 100
    assert lines.endswith("\n")
    assert [line.split()[0] for line in lines.splitlines()] == [str(p["id"]) for p in papers]


def test_a_failing_search_still_exits_with_its_status(tmp_path: Path) -> None:
    not_a_library = tmp_path / "notes.txt"
    not_a_library.write_text("hello\n" * 200)
    done = subprocess.run(
        [sys.executable, "-m", "readinglist", "--db", str(not_a_library), "search", "quant"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("readinglist: ") and done.stderr.count("\n") == 1
    assert not_a_library.read_text() == "hello\n" * 200


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_search_whose_output_cannot_be_written_says_so_in_one_line(sample_db: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # the write fails at the flush
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "readinglist", "--db", str(sample_db), "search", "chinchila", "--limit=3"],
            stdout=full,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert done.stderr == "readinglist: cannot write the output: No space left on device\n"

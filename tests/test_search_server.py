"""The search server: a served search is byte for byte the search run here, or it runs here.

Each test starts a real server process on a private socket folder and runs the
real ``readinglist`` entry point in subprocesses, comparing with the server
turned off. Whether a run was served is read from the client process itself:
a served search never imports ``readinglist.cli``.
"""

from __future__ import annotations

import contextlib
import fcntl
import marshal
import os
import pty
import shutil
import signal
import socket
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from readinglist import client
from readinglist.core.importer import import_sample
from readinglist.core.store import Library

pytestmark = pytest.mark.skipif(not hasattr(socket, "SCM_RIGHTS"), reason="needs Unix sockets")

_CLIENT = (
    "import os, sys\n"
    "from readinglist.client import main\n"
    "code = main()\n"
    "with open(os.environ['MARK'], 'w') as f:\n"
    "    f.write('local' if 'readinglist.cli' in sys.modules else 'served')\n"
    "sys.exit(code)\n"
)


@pytest.fixture
def lib_file(tmp_path: Path) -> Path:
    """The 220-paper sample in a library file, closed again."""
    path = tmp_path / "lib" / "library.db"
    with Library(path) as lib:
        import_sample(lib)
    return path


@pytest.fixture
def runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Servers allowed, with their sockets in a private folder of this test."""
    folder = tmp_path / "run"
    monkeypatch.setenv("READINGLIST_SERVER", "1")
    monkeypatch.setenv("READINGLIST_RUNTIME_DIR", str(folder))
    return folder


def _wait_for(condition: object, what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _answers() -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        try:
            sock.connect(client.socket_path())
        except OSError:
            return False
    return True


@pytest.fixture
def server(runtime: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[subprocess.Popen[bytes]]:
    """A running server, stopped (and checked to clean up) after the test.

    Its idle time is short, so that even a test run killed midway leaves no server behind for long.
    """
    monkeypatch.setenv("READINGLIST_SERVER_IDLE", "20")
    with subprocess.Popen([sys.executable, "-m", "readinglist.search_server"]) as proc:
        try:
            _wait_for(_answers, "the server to listen")
            yield proc
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                assert proc.wait(timeout=20) == 0
            assert not Path(client.socket_path()).exists()


def _run(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> tuple[int, str, str, str]:
    mark = tmp_path / "mark"
    result = subprocess.run(
        [sys.executable, "-c", _CLIENT, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "MARK": str(mark), **(env or {})},
        cwd=cwd,
        timeout=60,
    )
    return result.returncode, result.stdout, result.stderr, mark.read_text()


def _local(tmp_path: Path, *args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    code, out, err, _mark = _run(tmp_path, *args, env={"READINGLIST_SERVER": "0"}, cwd=cwd)
    return code, out, err


def _started(tmp_path: Path, args: list[str], mark: str = "mark") -> subprocess.Popen[bytes]:
    """The client running in the background, its output and errors in pipes."""
    return subprocess.Popen(
        [sys.executable, "-c", _CLIENT, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "MARK": str(tmp_path / mark)},
    )


@pytest.mark.parametrize(
    "args",
    [
        ["search", "chinchila"],
        ["search", "--json", "--limit", "3", "retrieval augmented"],
        ["search", 'title:"unclosed'],
        ["search", "nothingmatchesthisword"],
        ["search", "--limit", "x", "a"],
        ["search", "--help"],
        ["search"],
    ],
)
def test_served_search_is_the_local_search(
    server: object, lib_file: Path, tmp_path: Path, args: list[str]
) -> None:
    served = _run(tmp_path, "--db", str(lib_file), *args)
    assert served[3] == "served"
    assert served[:3] == _local(tmp_path, "--db", str(lib_file), *args)


def test_the_client_folder_and_environment_are_used(server: object, lib_file: Path, tmp_path: Path) -> None:
    # A relative --db resolves against the client's folder; the library from $READINGLIST_DB.
    rel = _run(tmp_path, "--db", "library.db", "search", "chinchilla", cwd=lib_file.parent)
    assert rel[3] == "served" and "Chinchilla" in rel[1]
    via_env = _run(tmp_path, "search", "chinchilla", env={"READINGLIST_DB": str(lib_file)})
    assert via_env[3] == "served"
    assert via_env[:3] == rel[:3]


def test_a_broken_library_is_reported_like_a_local_run(server: object, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"SQLite format 3\0" + b"garbage" * 1000)
    served = _run(tmp_path, "--db", str(junk), "search", "x")
    assert served[3] == "served"
    assert served[0] == 1 and "the library file is damaged" in served[2]
    assert served[:3] == _local(tmp_path, "--db", str(junk), "search", "x")


def test_other_commands_are_declined_and_run_here(server: object, lib_file: Path, tmp_path: Path) -> None:
    args = ("--db", str(lib_file), "list", "--tag", "search", "--limit", "2")
    declined = _run(tmp_path, *args)
    assert declined[3] == "local"
    assert declined[:3] == _local(tmp_path, *args)
    assert _run(tmp_path, "--db", str(lib_file), "search", "gpt")[3] == "served"  # still serving


def test_junk_requests_do_not_stop_the_server(server: object, lib_file: Path, tmp_path: Path) -> None:
    shapes = [
        marshal.dumps([1, 2]),
        marshal.dumps((client.PROTOCOL, "search", "/", {"A": "b"}, ())),  # argv not a list
        marshal.dumps((client.PROTOCOL,) * 5),
    ]
    framed = [len(m).to_bytes(4, "big") + m for m in shapes]
    raw = [b"", b"\x00\x00", b"\x00\x00\x00\x10short", b"\x00\x00\x00\x03abc"]
    with open(os.devnull, "r+b") as null:
        for junk, fds in [(j, []) for j in raw] + [(j, [null.fileno()] * 3) for j in raw[1:] + framed]:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.connect(client.socket_path())
                if junk:
                    socket.send_fds(sock, [junk], fds)
                sock.shutdown(socket.SHUT_WR)
                assert sock.recv(1) in (b"", client.DECLINED)
    assert _run(tmp_path, "--db", str(lib_file), "search", "gpt")[3] == "served"


def test_a_second_server_leaves_the_first_alone(server: subprocess.Popen[bytes]) -> None:
    second = subprocess.run([sys.executable, "-m", "readinglist.search_server"], timeout=60)
    assert second.returncode == 0
    assert server.poll() is None and _answers()


def _upgrade(site: Path, change: str) -> None:
    """Change the code a server in ``site`` runs, the way an edit or an install would."""
    if change == "edit":
        source = site / "readinglist" / "core" / "search" / "rank.py"
        source.write_text(source.read_text() + "\n# upgraded\n")
    elif change == "new module":
        (site / "readinglist" / "core" / "search" / "extra.py").write_text("X = 1\n")
    else:  # pip replaces a distribution's metadata folder
        (site / "dep-1.0.dist-info").rename(site / "dep-1.1.dist-info")


@pytest.mark.parametrize("change", ["edit", "new module", "new distribution"])
def test_changed_code_is_never_served(runtime: Path, lib_file: Path, tmp_path: Path, change: str) -> None:
    # A copy of the package, so that "an upgrade" touches no file of the real one.
    copy = tmp_path / "site"
    shutil.copytree(
        Path(client.__file__).parent, copy / "readinglist", ignore=shutil.ignore_patterns("__pycache__")
    )
    # ... beside a dependency "installed" there, as in a site-packages folder.
    (copy / "dep-1.0.dist-info").mkdir()
    (copy / "dep-1.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: dep\nVersion: 1.0\n")
    env = {"PYTHONPATH": str(copy), "READINGLIST_SERVER_IDLE": "2"}
    code = "from readinglist import client; print(client.socket_path())"
    # (run from tmp_path: `python -c` puts its working folder first on the path)
    found = subprocess.check_output(
        [sys.executable, "-c", code], text=True, env={**os.environ, **env}, cwd=tmp_path
    )
    sock = Path(found.strip())
    assert sock != Path(client.socket_path())  # the copy has a server of its own
    server = [sys.executable, "-m", "readinglist.search_server"]

    def search() -> tuple[int, str, str, str]:
        return _run(tmp_path, "--db", str(lib_file), "search", "gpt", env=env, cwd=tmp_path)

    with subprocess.Popen(server, env={**os.environ, **env}, cwd=tmp_path) as old:
        _wait_for(sock.exists, "the copy's server")
        assert search()[3] == "served"
        _upgrade(copy, change)
        stale = search()
        assert old.wait(timeout=20) == 0  # it stepped down
    assert stale[3] == "local"
    assert stale[:3] == _local(tmp_path, "--db", str(lib_file), "search", "gpt")
    # ... and the client started a fresh server in its place, which serves the new code and idles out.
    _wait_for(sock.exists, "a fresh server")
    assert search()[3] == "served"
    _wait_for(lambda: not sock.exists(), "the fresh server to idle out")


def test_without_a_server_one_is_started_and_idles_out(runtime: Path, lib_file: Path, tmp_path: Path) -> None:
    # A killed server leaves its socket file behind: the client must not trip on it.
    runtime.mkdir(mode=0o700)
    Path(client.socket_path()).touch()
    env = {"READINGLIST_SERVER_IDLE": "2"}
    first = _run(tmp_path, "--db", str(lib_file), "search", "chinchilla", env=env)
    assert first[3] == "local" and "Chinchilla" in first[1]
    _wait_for(_answers, "the started server to listen")
    assert _run(tmp_path, "--db", str(lib_file), "search", "chinchilla")[:3] == first[:3]
    _wait_for(lambda: not Path(client.socket_path()).exists(), "the idle server to exit")


def test_a_folder_open_to_others_is_not_used(
    server: object, runtime: Path, lib_file: Path, tmp_path: Path
) -> None:
    runtime.chmod(0o755)
    try:
        result = _run(tmp_path, "--db", str(lib_file), "search", "gpt")
    finally:
        runtime.chmod(0o700)
    assert result[3] == "local"
    assert result[:3] == _local(tmp_path, "--db", str(lib_file), "search", "gpt")


def test_turned_off_means_no_server(lib_file: Path, tmp_path: Path) -> None:
    result = _run(tmp_path, "--db", str(lib_file), "search", "gpt")  # conftest sets READINGLIST_SERVER=0
    assert result[3] == "local" and result[0] == 0
    assert not Path(client.runtime_dir()).exists()


def test_a_reader_that_stops_early_is_no_error(server: object, lib_file: Path, tmp_path: Path) -> None:
    args = ["--db", str(lib_file), "search", "--limit", "500", "--json", "model"]
    with _started(tmp_path, args) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.read(10) == b"[\n  {\n    "  # then close, like `| head -c 10`
        proc.stdout.close()
        assert proc.wait(timeout=60) == 0
        assert proc.stderr.read() == b""
    assert (tmp_path / "mark").read_text() == "served"
    assert _run(tmp_path, "--db", str(lib_file), "search", "gpt")[3] == "served"  # the server lives on


def test_an_interrupted_client_stops_the_answer(server: object, lib_file: Path, tmp_path: Path) -> None:
    args = ["--db", str(lib_file), "search", "--limit", "1000", "--json", "language model"]
    full = len(_local(tmp_path, *args)[1].encode())
    assert full > 200_000  # several pipe buffers
    with _started(tmp_path, args) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.read(1)  # the server is writing; unread, the pipe fills and it waits
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)  # what Ctrl-C does to the client only
        assert proc.wait(timeout=20) == 130
        got = len(first + proc.stdout.read())  # EOF once the server gave up the descriptor
        assert got < full / 2
        assert (
            proc.stderr.read().decode()
            == "readinglist: interrupted; nothing was changed by the running command\n"
        )
    assert _run(tmp_path, "--db", str(lib_file), "search", "gpt")[3] == "served"


def test_a_slow_reader_holds_up_no_other_search(server: object, lib_file: Path, tmp_path: Path) -> None:
    args = ["--db", str(lib_file), "search", "--limit", "1000", "--json", "language model"]
    with _started(tmp_path, args, mark="slow-mark") as slow:
        assert slow.stdout is not None
        slow.stdout.read(1)  # the slow one is being answered, and its pipe is full
        other = _run(tmp_path, "--db", str(lib_file), "search", "chinchilla")  # 60 s timeout
        assert other[3] == "served" and "Chinchilla" in other[1]
        assert slow.poll() is None  # still waiting for its reader
        rest = slow.stdout.read()
        assert slow.wait(timeout=20) == 0
    assert rest.rstrip().endswith(b"]")


def test_errors_and_output_interleave_as_in_a_local_run(
    server: object, lib_file: Path, tmp_path: Path
) -> None:
    def merged(env: dict[str, str]) -> bytes:
        return subprocess.run(
            [
                sys.executable,
                "-c",
                _CLIENT,
                "--db",
                str(lib_file),
                "search",
                "--limit",
                "2",
                '"language model',
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env={**os.environ, "MARK": str(tmp_path / "mark"), **env},
            timeout=60,
            check=True,
        ).stdout

    served = merged({})
    assert (tmp_path / "mark").read_text() == "served"
    assert served.startswith(b"readinglist: unclosed quote")
    assert served == merged({"READINGLIST_SERVER": "0"})


def test_a_terminal_is_seen_as_one(server: object, lib_file: Path, tmp_path: Path) -> None:
    def on_a_terminal(env: dict[str, str]) -> bytes:
        controller, terminal = pty.openpty()
        fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 52, 0, 0))
        try:
            subprocess.run(
                [sys.executable, "-c", _CLIENT, "--db", str(lib_file), "search", "--help"],
                stdout=terminal,
                stderr=terminal,
                env={**os.environ, "MARK": str(tmp_path / "mark"), **env},
                timeout=60,
                check=True,
            )
            os.close(terminal)
            out = b""
            with contextlib.suppress(OSError):  # EIO once the terminal is drained
                while chunk := os.read(controller, 65536):
                    out += chunk
            return out
        finally:
            os.close(controller)

    served = on_a_terminal({})
    assert (tmp_path / "mark").read_text() == "served"
    assert len(served.splitlines()[0]) <= 52 < 70  # the usage line wrapped to the terminal's width
    assert served == on_a_terminal({"READINGLIST_SERVER": "0"})


def test_the_client_umask_is_used(server: object, tmp_path: Path) -> None:
    code = f"import os; os.umask(0o077); exec({_CLIENT!r})"
    new = tmp_path / "new" / "library.db"
    env = {**os.environ, "MARK": str(tmp_path / "mark")}
    subprocess.run(
        [sys.executable, "-c", code, "--db", str(new), "search", "x"], env=env, check=True, timeout=60
    )
    assert (tmp_path / "mark").read_text() == "served"
    assert new.stat().st_mode & 0o077 == 0


def test_a_deleted_working_folder_is_no_error(server: object, lib_file: Path, tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    code = f"import os; os.chdir({str(gone)!r}); os.rmdir({str(gone)!r}); exec({_CLIENT!r})"
    result = subprocess.run(
        [sys.executable, "-c", code, "--db", str(lib_file), "search", "chinchilla"],
        capture_output=True,
        text=True,
        env={**os.environ, "MARK": str(tmp_path / "mark")},
        timeout=60,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert "Chinchilla" in result.stdout and (tmp_path / "mark").read_text() == "local"


def test_no_server_is_started_where_none_could_listen(
    tmp_path: Path, lib_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READINGLIST_SERVER", "1")
    deep = tmp_path / ("d" * 100)
    monkeypatch.setenv("READINGLIST_RUNTIME_DIR", str(deep))  # the socket path would not fit
    result = _run(tmp_path, "--db", str(lib_file), "search", "chinchilla")
    assert result[0] == 0 and result[3] == "local"
    assert not client.usable_socket_path()
    assert not deep.exists()  # no folder, no server, no log: nothing was started

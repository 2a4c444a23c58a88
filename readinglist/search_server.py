"""The resident search server behind ``readinglist search`` (see ``readinglist.client``).

One server per interpreter and package copy, started by the first search that
found none, answering one request at a time until it has been idle for
``READINGLIST_SERVER_IDLE`` seconds (ten minutes by default). For each request
it takes over the client's working directory, environment and standard streams,
runs the real command line, restores its own state and sends the exit status.

It serves ``search`` only: a read that cannot change the library, so a server
started under one library serves any other the request names. It declines,
and exits, once the package's source files change under it (an upgrade or an
edit), so a client never gets an answer from stale code.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import io
import marshal
import os
import select
import signal
import socket
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from readinglist import cli
from readinglist.cli_parser import command_of
from readinglist.client import ACCEPTED, DECLINED, PROTOCOL, STEPPING_DOWN, runtime_dir, socket_path

IDLE_S = 600.0
"""How long a server waits for its next request before it exits."""
_MAX_REQUEST = 8 << 20
_CHUNK = 16 << 10
_PACKAGE = Path(__file__).resolve().parent


def spawn() -> None:
    """Start a server in the background, detached from this terminal and session.

    A server that is already running wins the lock and the new one exits at once,
    so racing clients are harmless.
    """
    subprocess.Popen(
        [sys.executable, "-m", "readinglist.search_server"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        close_fds=True,
        cwd="/",  # never keep a user's folder busy
    )


def fingerprint(files: tuple[Path, ...] | None = None) -> tuple[tuple[str, int, int], ...]:
    """The package's source files with their sizes and modification times.

    Args:
        files: The files to look at (the ones found at start-up, so that a check per
            request costs stats, not a directory walk); every ``*.py`` file when not given.
    """
    found = []
    for path in files if files is not None else sorted(_PACKAGE.rglob("*.py")):
        try:
            st = path.stat()
        except OSError:
            return ()  # a file went away: an upgrade is under way
        found.append((str(path), st.st_mtime_ns, st.st_size))
    return tuple(found)


def serve(idle_s: float | None = None) -> None:
    """Listen on this installation's socket until idle; return at once if a server runs.

    Args:
        idle_s: Seconds without a request before exiting; ``READINGLIST_SERVER_IDLE``
            or ten minutes when not given.
    """
    if idle_s is None:
        idle_s = float(os.environ.get("READINGLIST_SERVER_IDLE") or IDLE_S)
    folder = Path(runtime_dir())
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    st = folder.stat()
    if st.st_uid != os.getuid() or st.st_mode & 0o077:
        return  # someone else's or an open folder: clients would not talk to us anyway
    path = socket_path()
    with open(path + ".lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)  # left by a server that was killed
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listener.bind(path)
            os.chmod(path, 0o600)
            listener.listen(16)
            listener.settimeout(idle_s)
            _serve_forever(listener)
        finally:
            listener.close()
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)


class _Stop(BaseException):
    """SIGTERM: unwinds past the per-request error handling, removing the socket on the way."""


def _stop(*_: object) -> None:
    raise _Stop


def _serve_forever(listener: socket.socket) -> None:
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    started = fingerprint()
    files = tuple(Path(name) for name, _, _ in started)
    while True:
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            return
        with conn:
            if not _handle(conn, started, files):
                return


def _handle(conn: socket.socket, started: tuple[tuple[str, int, int], ...], files: tuple[Path, ...]) -> bool:
    """Serve one request; False when the server must stop (its code changed)."""
    conn.settimeout(5.0)  # a client that connects and says nothing must not block the rest
    fds: list[int] = []
    try:
        if hasattr(socket, "SO_PEERCRED"):
            _pid, uid, _gid = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))
            if uid != os.getuid():
                conn.sendall(DECLINED)
                return True
        request, fds = _receive(conn)
        if not _well_formed(request) or len(fds) != 3:
            conn.sendall(DECLINED)
            return True
        if fingerprint(files) != started:
            conn.sendall(STEPPING_DOWN)
            return False
        _, argv, cwd, env, encodings = request
        if command_of(argv) != "search" or not os.path.isdir(cwd):
            conn.sendall(DECLINED)
            return True
        conn.sendall(ACCEPTED)
        conn.settimeout(None)
        code = _run(argv, cwd, env, encodings, fds, conn)
        with contextlib.suppress(OSError):
            conn.sendall(str(code).encode())
        return True
    except OSError:
        return True  # the client went away; wait for the next one
    finally:
        for fd in fds:
            with contextlib.suppress(OSError):
                os.close(fd)


def _well_formed(request: Any) -> bool:
    """A request of this protocol: a client of another version or a stray writer is declined."""
    if not (isinstance(request, tuple) and len(request) == 5 and request[0] == PROTOCOL):
        return False
    _, argv, cwd, env, encodings = request
    return (
        isinstance(argv, list)
        and all(isinstance(a, str) for a in argv)
        and isinstance(cwd, str)
        and isinstance(env, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in env.items())
        and isinstance(encodings, tuple)
        and len(encodings) == 4
        and all(isinstance(e, str) for e in encodings)
    )


def _receive(conn: socket.socket) -> tuple[Any, list[int]]:
    """The request (length-prefixed ``marshal`` data) and the descriptors sent with it."""
    data, fds, _flags, _addr = socket.recv_fds(conn, 1 << 16, 3)
    if len(data) < 4:
        return None, fds
    size = int.from_bytes(data[:4], "big")
    if size > _MAX_REQUEST:
        return None, fds
    body = bytearray(data[4:])
    while len(body) < size:
        chunk = conn.recv(min(1 << 16, size - len(body)))
        if not chunk:
            return None, fds
        body += chunk
    try:
        return marshal.loads(bytes(body)), fds
    except (EOFError, ValueError, TypeError):
        return None, fds


class _ClientStream(io.RawIOBase):
    """One of the client's output descriptors, given up as soon as the client is gone.

    A user who presses Ctrl-C ends the client, not the server: without this check
    the rest of a long answer would still reach their terminal.
    """

    def __init__(self, fd: int, conn: socket.socket) -> None:
        super().__init__()
        self._fd = fd
        self._conn = conn

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def write(self, data: Any) -> int:
        # The client sends nothing after its request: readable means it hung up.
        if select.select([self._conn], [], [], 0)[0]:
            raise BrokenPipeError(errno.EPIPE, "the client went away")
        # A short write hands control back to the buffer, so a long answer is checked
        # every 16 KiB instead of being written in one blocking call.
        return os.write(self._fd, memoryview(data)[:_CHUNK])


def _text_out(fd: int, conn: socket.socket, encoding: str, errors: str) -> io.TextIOWrapper:
    tty = os.isatty(fd)
    return io.TextIOWrapper(
        io.BufferedWriter(_ClientStream(fd, conn)), encoding=encoding, errors=errors, line_buffering=tty
    )


def _run(
    argv: list[str],
    cwd: str,
    env: dict[str, str],
    encodings: tuple[str, ...],
    fds: list[int],
    conn: socket.socket,
) -> int:
    """Run the command line as the client would have, and return its exit status."""
    out_enc, out_err, err_enc, err_err = encodings
    with _borrowed(cwd, env):
        stdin = open(fds[0], closefd=False)  # all three are closed below; the fds by the caller
        stdout = _text_out(fds[1], conn, out_enc, out_err)
        stderr = _text_out(fds[2], conn, err_enc, err_err)
        saved = sys.stdin, sys.stdout, sys.stderr
        sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr
        try:
            code = _exit_status(argv, stderr)
        finally:
            sys.stdin, sys.stdout, sys.stderr = saved
            for stream in (stdout, stderr, stdin):
                with contextlib.suppress(OSError, ValueError):
                    stream.close()  # flushes; a reader that went away is not our error
    return code


def _exit_status(argv: list[str], stderr: io.TextIOBase) -> int:
    try:
        return cli.main(argv)
    except SystemExit as exc:  # argparse's usage errors and --help
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=stderr)
        return 1
    except Exception as exc:  # the server must outlive one bad request
        print(f"readinglist: the search server failed ({type(exc).__name__}: {exc})", file=stderr)
        return 1


@contextlib.contextmanager
def _borrowed(cwd: str, env: dict[str, str]) -> Iterator[None]:
    """Take on the client's working directory and environment for one request."""
    own_env = dict(os.environ)
    try:
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        yield
    finally:
        os.environ.clear()
        os.environ.update(own_env)
        os.chdir("/")


if __name__ == "__main__":
    with contextlib.suppress(_Stop):
        serve()

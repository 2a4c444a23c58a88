"""One request to the search server, answered in a forked child of it.

The child takes on the client's working directory, environment, umask and
standard streams, runs the real command line and sends back the exit status.
Being a child, it can change all of those without restoring them, a crash or a
slow reader cannot stop the server, and several clients are answered at once.
"""

from __future__ import annotations

import contextlib
import errno
import io
import marshal
import os
import select
import socket
import struct
import sys
from typing import Any

from readinglist import cli
from readinglist.cli_parser import command_of
from readinglist.client import ACCEPTED, DECLINED, PROTOCOL

_MAX_REQUEST = 8 << 20
_CHUNK = 16 << 10


def handle(conn: socket.socket) -> None:
    """Answer one client: decline it, or run its search and send the exit status."""
    conn.settimeout(5.0)  # a client that connects and says nothing gives up its child
    fds: list[int] = []
    try:
        if hasattr(socket, "SO_PEERCRED"):
            _pid, uid, _gid = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))
            if uid != os.getuid():
                conn.sendall(DECLINED)
                return
        request, fds = _receive(conn)
        if not _well_formed(request) or len(fds) != 3:
            conn.sendall(DECLINED)
            return
        _, argv, cwd, env, umask, encodings = request
        if command_of(argv) != "search" or not os.path.isdir(cwd):
            conn.sendall(DECLINED)
            return
        conn.sendall(ACCEPTED)
        conn.settimeout(None)
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        os.umask(umask)
        code = _run(argv, encodings, fds, conn)
        with contextlib.suppress(OSError):
            conn.sendall(str(code).encode())
    except OSError:
        pass  # the client went away
    finally:
        for fd in fds:
            with contextlib.suppress(OSError):
                os.close(fd)


def _well_formed(request: Any) -> bool:
    """A request of this protocol: a client of another version or a stray writer is declined."""
    if not (isinstance(request, tuple) and len(request) == 6 and request[0] == PROTOCOL):
        return False
    _, argv, cwd, env, umask, encodings = request
    return (
        isinstance(argv, list)
        and all(isinstance(a, str) for a in argv)
        and isinstance(cwd, str)
        and isinstance(env, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in env.items())
        and isinstance(umask, int)
        and 0 <= umask <= 0o777
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

    def isatty(self) -> bool:
        return os.isatty(self._fd)

    def write(self, data: Any) -> int:
        # The client sends nothing after its request: readable means it hung up.
        if select.select([self._conn], [], [], 0)[0]:
            raise BrokenPipeError(errno.EPIPE, "the client went away")
        # A short write hands control back to the buffer, so a long answer is checked
        # every 16 KiB instead of being written in one blocking call.
        return os.write(self._fd, memoryview(data)[:_CHUNK])


def _text_out(fd: int, conn: socket.socket, encoding: str, errors: str, *, stderr: bool) -> io.TextIOWrapper:
    # As Python buffers its own streams: stderr by line always, stdout by line on a terminal.
    return io.TextIOWrapper(
        io.BufferedWriter(_ClientStream(fd, conn)),
        encoding=encoding,
        errors=errors,
        line_buffering=stderr or os.isatty(fd),
    )


def _run(argv: list[str], encodings: tuple[str, ...], fds: list[int], conn: socket.socket) -> int:
    """Run the command line on the client's streams and return its exit status."""
    out_enc, out_err, err_enc, err_err = encodings
    sys.stdin = open(fds[0], closefd=False)  # its fd is closed by handle()
    sys.stdout = stdout = _text_out(fds[1], conn, out_enc, out_err, stderr=False)
    sys.stderr = stderr = _text_out(fds[2], conn, err_enc, err_err, stderr=True)
    try:
        return _exit_status(argv)
    finally:
        for stream in (stdout, stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.close()  # flushes; a reader that went away is not our error


def _exit_status(argv: list[str]) -> int:
    try:
        return cli.main(argv)
    except SystemExit as exc:  # argparse's usage errors and --help
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=sys.stderr)
        return 1
    except Exception as exc:  # one line, as the command line promises, never a traceback
        print(f"readinglist: the search server failed ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 1

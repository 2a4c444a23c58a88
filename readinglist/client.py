"""The ``readinglist`` command's entry point: a search goes to a resident server when one runs.

Python spends about 80 ms importing the search engine, argparse and rapidfuzz
before the first query runs: longer than a whole ``fzf --filter`` over 100k
titles. So ``readinglist search`` first offers its arguments, working
directory, environment and standard streams (the file descriptors themselves,
over a Unix socket) to a per-installation server that has everything loaded
already. The server runs the real command line on them and sends back the
exit status, so the output, errors and exit codes are exactly those of a run
here. With no server, or one that declines, the command runs in this process
and then starts a server for next time; the server exits after ten idle
minutes (``READINGLIST_SERVER_IDLE`` seconds). ``READINGLIST_SERVER=0`` turns
all of this off.

This module imports only built-in modules on the fast path: each ordinary
import would cost part of what the server saves.
"""

from __future__ import annotations

import _socket
import marshal
import os
import sys
import zlib

PROTOCOL = 2
"""Bumped whenever the request or reply layout changes."""
ACCEPTED = b"A"
DECLINED = b"D"
STEPPING_DOWN = b"S"
"""The server's code changed under it: it exits, and the client starts a fresh one."""
_OFF = ("0", "off", "no", "false")


def enabled() -> bool:
    """Whether searches may go through a server (POSIX, and not turned off)."""
    return hasattr(_socket, "SCM_RIGHTS") and os.environ.get("READINGLIST_SERVER", "1").lower() not in _OFF


def runtime_dir() -> str:
    """The private folder holding the server's socket and lock."""
    override = os.environ.get("READINGLIST_RUNTIME_DIR")
    if override:
        return override
    base = os.environ.get("XDG_RUNTIME_DIR")
    if base:
        return os.path.join(base, "readinglist")
    return f"/tmp/readinglist-{os.getuid()}"


def socket_path() -> str:
    """The socket of the server for this environment and this copy of the package.

    Two virtualenvs, or two checkouts, must never answer for each other; ``python``
    and ``python3`` of one virtualenv share a prefix, so they share a server.
    """
    key = f"{sys.prefix}\0{os.path.dirname(os.path.abspath(__file__))}".encode()
    return os.path.join(runtime_dir(), f"search-{zlib.crc32(key):08x}.sock")


def private(st: os.stat_result) -> bool:
    """Whether a folder (its ``stat``) is ours and closed to others.

    Only such a folder may carry our environment, and only there does a server listen.
    """
    return st.st_uid == os.getuid() and not st.st_mode & 0o077


def usable_socket_path() -> bool:
    """Whether the socket path fits in a Unix socket address (108 bytes with its NUL)."""
    return len(os.fsencode(socket_path())) < 108


def main() -> int:
    """Run ``readinglist``: through the server when it can serve, here otherwise."""
    argv = sys.argv[1:]
    wants_server = "search" in argv and enabled()
    if wants_server:
        status = _ask_server(argv)
        if isinstance(status, int):
            return status
        wants_server = status != "declined"
    from readinglist.cli import main as run_here
    from readinglist.cli_parser import command_of

    code = run_here(argv)
    if wants_server and command_of(argv) == "search":
        from readinglist.search_server import spawn

        spawn()
    return code


def _ask_server(argv: list[str]) -> int | str:
    """Send the request; the exit status, or why it must run here instead."""
    path = socket_path()
    try:
        # Only a folder of our own, closed to others, may receive our environment.
        st = os.stat(os.path.dirname(path))
    except OSError:
        return "absent"
    if not private(st) or not usable_socket_path():
        return "declined"
    if sys.stdout is None or sys.stderr is None:
        return "declined"
    try:
        cwd = os.getcwd()
    except OSError:  # the folder was deleted under the shell: a local run copes
        return "declined"
    umask = os.umask(0)
    os.umask(umask)
    env = dict(os.environ)
    try:
        # The server's own terminal is /dev/null: help text must wrap to ours.
        columns, lines = os.get_terminal_size(sys.__stdout__.fileno())  # type: ignore[union-attr]
        env.setdefault("COLUMNS", str(columns))
        env.setdefault("LINES", str(lines))
    except (AttributeError, ValueError, OSError):
        pass
    request = marshal.dumps(
        (
            PROTOCOL,
            argv,
            cwd,
            env,
            umask,
            (sys.stdout.encoding, sys.stdout.errors, sys.stderr.encoding, sys.stderr.errors),
        )
    )
    fds = b"".join(fd.to_bytes(4, sys.byteorder) for fd in (0, 1, 2))
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        try:
            sock.connect(path)
            sock.sendmsg(
                [len(request).to_bytes(4, "big") + request],
                [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, fds)],
            )
            answer = sock.recv(1)
        except OSError:
            return "absent"
        if answer == STEPPING_DOWN:
            return "absent"
        if answer != ACCEPTED:
            return "declined"
        # From here on the server owns our output: never run the command twice.
        reply = b""
        try:
            while chunk := sock.recv(64):
                reply += chunk
        except OSError:
            pass
    except KeyboardInterrupt:
        print("readinglist: interrupted; nothing was changed by the running command", file=sys.stderr)
        return 130
    finally:
        sock.close()
    if not reply.isdigit():
        print("readinglist: the search server stopped before answering; search again", file=sys.stderr)
        return 1
    return int(reply)

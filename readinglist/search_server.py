"""The resident search server behind ``readinglist search`` (see ``readinglist.client``).

One server per virtualenv and package copy, started by the first search that
found none, until it has been idle for ``READINGLIST_SERVER_IDLE`` seconds (ten
minutes by default). It holds the imported engine; each request is answered by
a forked child of it (``readinglist.search_request``), so one slow reader never
holds up another search.

It serves ``search`` only; the request names the library, so one server serves
them all. It steps down once the package's source files or folders, or the
folders its dependencies are installed in, change under it (an upgrade or an
edit), so a client never gets an answer from stale code.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import importlib.metadata
import io
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NoReturn

from readinglist import cli
from readinglist.client import STEPPING_DOWN, private, runtime_dir, socket_path, usable_socket_path
from readinglist.search_request import handle

IDLE_S = 600.0
"""How long a server waits for its next request before it exits."""
_PACKAGE = Path(__file__).resolve().parent


def spawn() -> None:
    """Start a server in the background, detached from this terminal and session.

    A server that is already running keeps the lock and the new one exits, so
    racing clients are harmless. Nothing is started where no server could run
    (a folder that cannot be made private, a socket path too long); a server
    that fails at start-up leaves its error in ``<socket>.log``.
    """
    try:
        if not _ready():
            return
        log = open(socket_path() + ".log", "w")  # the child's stderr; closed here once handed over
    except OSError:
        return
    with log:
        subprocess.Popen(
            [sys.executable, "-m", "readinglist.search_server"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,
            close_fds=True,
            cwd="/",  # never keep a user's folder busy
        )


def watched() -> tuple[Path, ...]:
    """The files and folders the server's code comes from.

    Every source file and folder of the package, and the folders distributions
    are installed in (``site-packages``). A folder's modification time changes
    when an entry is added, removed or renamed: a new module in the package, or
    a distribution installed, upgraded or removed (pip replaces its
    ``*.dist-info`` folder), is noticed by a stat.
    """
    package = [_PACKAGE, *(p for p in _PACKAGE.rglob("*") if p.is_dir() and p.name != "__pycache__")]
    installs = {Path(str(dist.locate_file(""))).resolve() for dist in importlib.metadata.distributions()}
    return tuple(dict.fromkeys([*sorted(_PACKAGE.rglob("*.py")), *sorted(package), *sorted(installs)]))


def fingerprint(paths: tuple[Path, ...] | None = None) -> tuple[tuple[str, int, int], ...]:
    """The sizes and modification times of what the server's code is made of.

    Args:
        paths: The files and folders to look at (those :func:`watched` found at
            start-up, so that a check per request costs stats, not a directory
            walk); :func:`watched` when not given.
    """
    found = []
    for path in paths if paths is not None else watched():
        try:
            st = path.stat()
        except OSError:
            return ()  # something went away: an upgrade is under way
        found.append((str(path), st.st_mtime_ns, st.st_size))
    return tuple(found)


def idle_seconds() -> float:
    """``READINGLIST_SERVER_IDLE`` when it is a positive number of seconds, else ten minutes."""
    try:
        value = float(os.environ.get("READINGLIST_SERVER_IDLE") or IDLE_S)
    except ValueError:
        return IDLE_S
    return value if value > 0 else IDLE_S


def serve() -> None:
    """Listen on this installation's socket until idle; return at once if a server runs."""
    if not _ready():
        return  # clients would not talk to us anyway
    path = socket_path()
    with open(path + ".lock", "w") as lock:
        if not _take(lock):
            return
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)  # left by a server that was killed
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listener.bind(path)
            os.chmod(path, 0o600)
            listener.listen(64)
            listener.settimeout(idle_seconds())
            _serve_forever(listener)
        finally:
            listener.close()
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)


def _ready() -> bool:
    """Make the private runtime folder; whether a server could listen in it.

    Raises:
        OSError: if the folder cannot be made.
    """
    if not usable_socket_path():
        return False
    folder = runtime_dir()
    os.makedirs(folder, mode=0o700, exist_ok=True)
    return private(os.stat(folder))


def _take(lock: io.TextIOWrapper) -> bool:
    """The server lock; a server stepping down is given a second to let go of it."""
    deadline = time.monotonic() + 1.0
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)


class _Stop(BaseException):
    """SIGTERM: unwinds the server, removing its socket on the way."""


def _stop(*_: object) -> None:
    raise _Stop


def _serve_forever(listener: socket.socket) -> None:
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # answered children reap themselves
    _warm_up()
    # Children would otherwise copy every page the collector touches: freezing what is
    # loaded keeps those pages shared, and a child lives too briefly to need collecting.
    gc.freeze()
    started = fingerprint()
    files = tuple(Path(name) for name, _, _ in started)
    while True:
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            return
        with conn:
            if fingerprint(files) != started:
                with contextlib.suppress(OSError):
                    conn.sendall(STEPPING_DOWN)
                return
            if os.fork() == 0:
                _answer(listener, conn)


def _answer(listener: socket.socket, conn: socket.socket) -> NoReturn:
    """The forked child: answer one client, then exit without running the server's clean-up."""
    try:
        listener.close()
        gc.disable()
        for sig in (signal.SIGTERM, signal.SIGCHLD):
            signal.signal(sig, signal.SIG_DFL)
        handle(conn)
    finally:
        os._exit(0)


def _warm_up() -> None:
    """Run one search on a scratch library, so children inherit everything it loads."""
    with tempfile.TemporaryDirectory() as scratch:
        out = io.StringIO()
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = out
        try:
            cli.main(["--db", os.path.join(scratch, "warm.db"), "search", "warm up"])
        except Exception:  # only an optimisation; a real request reports what fails
            pass
        finally:
            sys.stdout, sys.stderr = saved


if __name__ == "__main__":
    with contextlib.suppress(_Stop):
        serve()

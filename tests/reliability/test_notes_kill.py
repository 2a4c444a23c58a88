"""kill -9 of the real app while a note is typed loses at most the last second or so of typing.

The app runs in a process of its own under a pseudo-terminal, keys arrive at a
steady typing pace, and the process is killed without warning mid-stream; the
library file is then read as the next start would read it.
"""

from __future__ import annotations

import fcntl
import os
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

from readinglist.ui.widgets.notes_editor import AUTOSAVE_DELAY_S

from .notes_support import seeded

KEY_INTERVAL_S = 0.08
"""About twelve keys a second: fast, steady typing that never pauses."""
SLACK_S = 0.8
"""What a loaded CI machine may add: the keys' way through the terminal, timers, the write."""
TYPED = "the quick brown fox jumps over the lazy dog and keeps typing "


class Terminal:
    """The app in a child process on a pseudo-terminal, its output drained in a thread."""

    def __init__(self, db_path: Path) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "READINGLIST_DB": str(db_path)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "readinglist"],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,  # its own session: the signal reaches it alone
            close_fds=True,
        )
        os.close(slave)
        self.output = bytearray()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        # The app blocks once the terminal's buffer is full: read everything it writes.
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return  # the child is gone (EIO)
            if not chunk:
                return
            with self._lock:
                self.output += chunk

    def wait_for(self, text: str, timeout: float = 60.0) -> None:
        """Wait until the screen has shown ``text``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if text.encode() in self.output:
                    return
            assert self.process.poll() is None, f"the app exited with {self.process.returncode}"
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared on the screen")

    def send(self, text: str) -> None:
        os.write(self.master, text.encode())

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self._reader.join(timeout=5)
        os.close(self.master)


def notes_of(db_path: Path) -> dict[int, str]:
    conn = sqlite3.connect(str(db_path))
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return dict(conn.execute("SELECT id, notes FROM papers WHERE notes != ''").fetchall())
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.parametrize("typing_s", [2.3, 4.7])
def test_kill_9_while_typing_loses_at_most_the_last_second(tmp_path: Path, typing_s: float) -> None:
    db_path = seeded(tmp_path / "library.db")
    terminal = Terminal(db_path)
    typed_at: list[float] = []
    try:
        terminal.wait_for("220 papers")  # the rows are in
        terminal.wait_for("Markdown · saved")  # the highlighted paper's note is shown
        terminal.send("n")
        terminal.wait_for("Leave notes")  # the footer of the focused notes pane
        start = time.monotonic()
        while time.monotonic() - start < typing_s:
            terminal.send(TYPED[len(typed_at) % len(TYPED)])
            typed_at.append(time.monotonic())
            time.sleep(KEY_INTERVAL_S)
        terminal.send(TYPED[len(typed_at) % len(TYPED)])
        typed_at.append(time.monotonic())
        killed_at = time.monotonic()
        terminal.process.send_signal(signal.SIGKILL)
    finally:
        terminal.kill()
    assert terminal.process.returncode == -signal.SIGKILL
    typed = "".join(TYPED[i % len(TYPED)] for i in range(len(typed_at)))
    notes = notes_of(db_path)
    assert len(notes) <= 1, notes
    stored = "".join(notes.values())
    assert stored, "nothing of the note was saved while the typing went on"
    assert typed.startswith(stored)
    lost = typed_at[len(stored) :]
    lost_s = killed_at - lost[0] if lost else 0.0
    print(f"typed {len(typed)} keys in {typing_s} s; kill -9 lost {len(lost)} keys, the last {lost_s:.2f} s")
    assert lost_s <= AUTOSAVE_DELAY_S + SLACK_S, (len(typed), len(stored), lost_s)

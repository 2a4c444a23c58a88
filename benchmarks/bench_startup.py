#!/usr/bin/env python3
"""The app's first frame in a real terminal (tmux), side by side with a minimal Textual app.

Each run starts a command in a new tmux session (a private server, ``-L``) and
polls ``capture-pane`` every few milliseconds until the command's first frame
shows: for ``readinglist`` the search bar's placeholder, for the minimal app
(a ``Static`` and a ``Footer``) its text. Runs of the two alternate, so both
see the same load. Then ``python -X importtime`` says where the app's imports
go, and whether the modules only later screens need were loaded.

    .venv/bin/python benchmarks/bench_startup.py -n 100000 --runs 9
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SESSION = "startup"
SOCKET = "readinglist-bench-startup"
APP_MARK = "/ search titles"
MINIMAL_MARK = "minimal app ready"
MINIMAL_APP = f'''
from textual.app import App, ComposeResult
from textual.widgets import Footer, Static


class Minimal(App[None]):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Static("{MINIMAL_MARK}")
        yield Footer()


Minimal().run()
'''
LATER_MODULES = ("bibtexparser", "pylatexenc", "readinglist.core.formats", "readinglist.core.cite")
"""Modules that only the copy menu and the import and export dialogs need."""


def tmux(*args: str) -> str:
    out = subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True, check=False)
    return out.stdout


def cpu_seconds(pid: str) -> float:
    """User plus system CPU time of process ``pid`` so far (``/proc``, in clock ticks)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def first_frame(command: str, mark: str, size: tuple[int, int], env: dict[str, str]) -> tuple[float, float]:
    """Seconds from starting ``command`` in tmux to its screen showing ``mark``, and its CPU seconds by then.

    The CPU time (of the pane's process: the shell execs the command) depends
    far less on what else the machine runs than the wall time does.
    """
    tmux("kill-server")
    exports = " ".join(f"{k}={v}" for k, v in env.items())
    start = time.perf_counter()
    # exec: the pane's process is the command itself, whose CPU time /proc then gives.
    line = f"exec env {exports} {command}"
    tmux("new-session", "-d", "-s", SESSION, "-x", str(size[0]), "-y", str(size[1]), line)
    pid = tmux("list-panes", "-t", SESSION, "-F", "#{pane_pid}").strip()
    try:
        while True:
            if mark in tmux("capture-pane", "-p", "-t", SESSION):
                return time.perf_counter() - start, cpu_seconds(pid)
            if time.perf_counter() - start > 30:
                raise SystemExit(f"no first frame in 30 s: {command}")
            time.sleep(0.003)
    finally:
        tmux("kill-server")


def import_report(python: str, top: int) -> None:
    """Print the app's slowest imports (cumulative) and whether later-only modules were loaded."""
    out = subprocess.run(
        [python, "-X", "importtime", "-c", "import readinglist.ui; import readinglist.ui.app"],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    rows: list[tuple[int, str]] = []
    for line in out.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = (part.strip() for part in line.removeprefix("import time:").split("|"))
        rows.append((int(cumulative), name))
    names = {name.strip() for _, name in rows}
    total = next((us for us, name in rows if name.strip() == "readinglist.ui.app"), 0)
    print(f"\nimporting readinglist.ui.app: {total / 1000:.0f} ms (one -X importtime run, cumulative)")
    for us, name in sorted(rows, reverse=True)[:top]:
        print(f"  {us / 1000:7.1f} ms  {name.strip()}")
    loaded = [m for m in LATER_MODULES if any(n == m or n.startswith(m + ".") for n in names)]
    print(f"loaded at start-up though only later screens need them: {', '.join(loaded) or 'none'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("-n", type=int, default=100_000, help="papers in the library")
    parser.add_argument("--data", type=Path, default=ROOT / "bench-data", help="cache folder")
    parser.add_argument("--runs", type=int, default=9, help="runs of each command")
    parser.add_argument("--size", default="120x40", help="terminal size")
    parser.add_argument("--top", type=int, default=15, help="slowest imports to list")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("tmux is needed")
    args.data.mkdir(parents=True, exist_ok=True)
    db = args.data / f"lib-{args.n}.db"
    if not db.exists():
        # The script's own folder is on sys.path when it runs.
        from bench_tui import build_library  # it loads the app: only when there is a library to build

        db = build_library(args.n, args.data)
    width, height = (int(v) for v in args.size.split("x"))
    size = (width, height)
    python = sys.executable
    readinglist = str(Path(python).with_name("readinglist"))
    with tempfile.TemporaryDirectory() as tmp:
        minimal = Path(tmp) / "minimal.py"
        minimal.write_text(MINIMAL_APP)
        # Config and data folders of its own (no config: the defaults), so a user's theme
        # or keymap is not measured; found as a user's are (platformdirs), not by $READINGLIST_CONFIG.
        env = {"XDG_CONFIG_HOME": tmp, "XDG_DATA_HOME": tmp, "TERM": "tmux-256color"}
        commands = {
            "readinglist": (f"{readinglist} --db {db}", APP_MARK),
            "minimal Textual app": (f"{python} {minimal}", MINIMAL_MARK),
        }
        first_frame(*commands["readinglist"], size, env)  # warm the page cache once
        times: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, (command, mark) in commands.items():
                wall, used = first_frame(command, mark, size, env)
                times[name].append(wall)
                cpu[name].append(used)
    load = os.getloadavg()
    print(f"first frame in tmux {args.size}, {args.n:,} papers, {args.runs} runs each, alternating")
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    for name, runs in times.items():
        ms = sorted(t * 1000 for t in runs)
        used = statistics.median(cpu[name]) * 1000
        print(
            f"  {name:<20} median {statistics.median(ms):5.0f} ms  (min {ms[0]:.0f}, max {ms[-1]:.0f}),"
            f" CPU by then {used:4.0f} ms"
        )
    gap = statistics.median(times["readinglist"]) - statistics.median(times["minimal Textual app"])
    cpu_gap = statistics.median(cpu["readinglist"]) - statistics.median(cpu["minimal Textual app"])
    print(f"  readinglist beyond the minimal app: {gap * 1000:.0f} ms wall, {cpu_gap * 1000:.0f} ms CPU")
    import_report(python, args.top)


if __name__ == "__main__":
    main()

"""Running the real command line in a child process, for the interop tests (#12)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_cli(
    *args: str | Path, db: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``python -m readinglist ARGS`` on ``db`` (default: the test's ``READINGLIST_DB``)."""
    env = dict(os.environ)
    if db is not None:
        env["READINGLIST_DB"] = str(db)
    return subprocess.run(
        [sys.executable, "-m", "readinglist", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )

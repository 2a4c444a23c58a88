"""A one-line progress bar for long imports, drawn on stderr (no Textual, no rich)."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from readinglist.core.importing import ImportProgress


class ProgressBar:
    """A one-line progress bar on stderr, redrawn in place; only on a terminal."""

    WIDTH = 30
    MIN_BYTES = 2_000_000

    def __init__(self, stream: TextIO) -> None:
        """Draw on ``stream``."""
        self.stream = stream
        self.start = time.monotonic()
        self.drawn = False

    @classmethod
    def for_files(cls, files: Sequence[Path], stream: TextIO | None = None) -> ProgressBar | None:
        """A bar if the input is large and ``stream`` (default stderr) is a terminal, else None."""
        out = stream or sys.stderr
        size = sum(f.stat().st_size for f in files if f.is_file())
        if size < cls.MIN_BYTES or not out.isatty():
            return None
        return cls(out)

    def update(self, progress: ImportProgress) -> None:
        """Redraw for the latest progress report."""
        rate = progress.done / max(time.monotonic() - self.start, 1e-6)
        if progress.fraction is None:
            bar = ""
        else:
            filled = int(progress.fraction * self.WIDTH)
            bar = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {progress.fraction:4.0%} "
        self.stream.write(f"\r{progress.path.name}: {bar}{progress.done:,} entries, {rate:,.0f}/s ")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        """Finish the line so later messages start on their own."""
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()

"""The reading side of an import: files to batches of prepared drafts.

Small inputs are read inline. Large ones are read in a helper *process*, so
that parsing (pure Python) and writing to SQLite run on two cores at once. A
thread would not do: the writer's ``executemany`` takes the GIL back for every
row, and with a parsing thread holding it each hand-over waits for Python's
switch interval, which made the writer several times slower when we tried.

Batches travel through a queue of a few batches at most, so memory stays
bounded whatever the file size.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import queue
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

from readinglist.core.errors import FormatError, ReadingListError
from readinglist.core.formats import BUILTIN_FORMATS, BadEntry, Format, get_format, textio
from readinglist.core.import_run import Prepared, prepare
from readinglist.core.models import PaperDraft

PARALLEL_MIN_BYTES = 32_000_000
"""Inputs this large (about 17,000 arXiv records) are parsed in a helper process (0.3-1 s to start)."""
QUEUE_BATCHES = 4


@dataclass
class Batch:
    """Drafts (or the error that stopped a file) from one file, and how far into it the reader is."""

    path: Path
    items: list[Prepared | BadEntry]
    error: FormatError | None = None
    position: int = 0


def _batches(sources: Sequence[tuple[Path, Format]], batch_size: int) -> Iterator[Batch]:
    for path, fmt in sources:
        assert fmt.read is not None
        items: list[Prepared | BadEntry] = []
        try:
            for item in fmt.read(path):
                items.append(prepare(item, path, fmt.name) if isinstance(item, PaperDraft) else item)
                if len(items) >= batch_size:
                    yield Batch(path, items, position=textio.position(path))
                    items = []
        except FormatError as exc:
            yield Batch(path, items, error=exc, position=textio.position(path))
            continue
        if items:
            yield Batch(path, items, position=textio.position(path))


class Reader:
    """Batches from files, read inline or in a helper process; use as a context manager."""

    def __init__(self, sources: Sequence[tuple[Path, Format]], batch_size: int) -> None:
        """Pick inline or parallel reading from the input size and formats."""
        self.sources = list(sources)
        self.batch_size = batch_size
        size = sum(_size(p) for p, _ in self.sources)
        parallel = size >= PARALLEL_MIN_BYTES and all(f.name in BUILTIN_FORMATS for _, f in self.sources)
        self.process: Any = None
        if parallel:
            ctx = multiprocessing.get_context("spawn")  # fork is unsafe in a threaded app (the TUI)
            self.queue: Any = ctx.Queue(maxsize=QUEUE_BATCHES)
            self.halt: Event = ctx.Event()
            plan = [(str(p), f.name) for p, f in self.sources]
            self.process = ctx.Process(
                target=_work, args=(plan, batch_size, self.queue, self.halt), name="readinglist-import-reader"
            )
            self.process.daemon = True

    @property
    def parallel(self) -> bool:
        """Whether a helper process does the reading."""
        return self.process is not None

    def __enter__(self) -> Reader:
        """Start the helper process, if any."""
        if self.process is not None:
            self.process.start()
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop the helper process, whether or not the run finished."""
        if self.process is None:
            return
        self.halt.set()
        with contextlib.suppress(Exception):
            while True:  # unblock a reader waiting on a full queue
                self.queue.get_nowait()
        self.process.join(timeout=2)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()
        self.queue.close()

    def batches(self) -> Iterator[Batch]:
        """Every batch, in file order."""
        if self.process is None:
            yield from _batches(self.sources, self.batch_size)
            return
        while True:
            try:
                message = self.queue.get(timeout=1.0)
            except queue.Empty:
                if not self.process.is_alive():
                    raise ReadingListError("the import reader stopped unexpectedly") from None
                continue
            kind = message[0]
            if kind == "done":
                return
            if kind == "crash":
                raise ReadingListError(f"the import reader failed: {message[1]}")
            _, path, items, error, position = message
            yield Batch(Path(path), items, None if error is None else FormatError(*error), position)


def _work(plan: list[tuple[str, str]], batch_size: int, out: Any, halt: Event) -> None:
    """The helper process: read every file and send its batches (errors as plain tuples)."""

    def send(message: tuple[Any, ...]) -> bool:
        while not halt.is_set():
            try:
                out.put(message, timeout=0.1)
                return True
            except queue.Full:
                continue
        # Told to stop: exit without waiting for queued batches nobody will read.
        out.cancel_join_thread()
        return False

    try:
        sources = [(Path(p), get_format(name)) for p, name in plan]
        for batch in _batches(sources, batch_size):
            # FormatError's constructor takes three fields, so it is sent as them.
            error = None if batch.error is None else (batch.error.path, batch.error.line, batch.error.reason)
            if not send(("batch", str(batch.path), batch.items, error, batch.position)):
                return
        send(("done",))
    except BaseException:
        send(("crash", traceback.format_exc(limit=3).strip().splitlines()[-1]))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0

"""The reading side of an import: files to batches of prepared drafts.

Small inputs are read inline. Large ones are read in a helper *process*, so
that parsing (pure Python) and writing to SQLite run on two cores at once. A
thread would not do: the writer's ``executemany`` takes the GIL back for every
row, and with a parsing thread holding it each hand-over waits for Python's
switch interval, which made the writer several times slower when we tried.

The helper is a plain ``python -m readinglist.core.importing.reader`` that pickles
batches into a pipe, a few batches ahead of the writer at most, so memory
stays bounded whatever the file size. It also counts each batch's words for
the search word list (:func:`count_batch`), work the writer would otherwise do
at the end of the run, inside its transaction: the writer is the busier of
the two.
"""

from __future__ import annotations

import contextlib
import gc
import json
import pickle
import queue
import select
import subprocess
import sys
import threading
import traceback
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from readinglist.core.errors import FormatError, ReadingListError
from readinglist.core.formats import BUILTIN_FORMATS, BadEntry, Format, get_format, textio
from readinglist.core.importing.prepare import Prepared, prepare
from readinglist.core.models import PaperDraft
from readinglist.core.search.vocab import ABSTRACT_SAMPLE, count_papers

_new_prepared = tuple.__new__
"""Rebuilds a :class:`Prepared` from the plain tuple sent over the pipe, without a Python-level call."""
SEND_AHEAD = 16
"""Batches the helper may have parsed ahead of the pipe (about 3.5 MB each for arXiv records):
enough to go on parsing through a catch-up of the writer's (about a second), at most 56 MB."""
HELPER_GC_THRESHOLD = 50_000
"""Allocations between the garbage collector's young passes in the helper process (default 700)."""
PARALLEL_MIN_BYTES = 32_000_000
"""Inputs this large (about 17,000 arXiv records) are parsed in a helper process (0.3-1 s to start).

A file of :data:`~readinglist.core.importing.shards.SPLIT_MIN_BYTES` or more is
read in parts by two (see :mod:`~readinglist.core.importing.shards`)."""


@dataclass
class Batch:
    """Drafts (or the error that stopped a file) from one file, and how far into it the reader is."""

    path: Path
    items: list[Prepared | BadEntry]
    error: FormatError | None = None
    position: int = 0
    counts: Counter[str] | None = None
    """The search word list's counts for the batch's papers (:func:`count_batch`), when counted here."""


def count_batch(items: Sequence[Prepared | BadEntry]) -> Counter[str]:
    """The word-list counts of a batch's papers, as if each were new (abstracts sampled).

    Counting where the file is read takes this work off the writing process,
    which only merges the counts (:class:`~readinglist.core.importing.run.ImportRun`).
    """
    return count_papers(
        ((i.title, i.authors_json, i.notes or "", i.abstract) for i in items if type(i) is Prepared),
        ABSTRACT_SAMPLE,
    )


def _batches(sources: Sequence[tuple[Path, Format]], batch_size: int, count: bool = False) -> Iterator[Batch]:
    for path, fmt in sources:
        assert fmt.read is not None
        yield from file_batches(path, fmt.read(path), fmt.name, batch_size, count)


def file_batches(
    path: Path, drafts: Iterator[PaperDraft | BadEntry], format_name: str, batch_size: int, count: bool
) -> Iterator[Batch]:
    """One file's drafts (or a part's) prepared, in batches; an error that stops it ends the last one."""
    items: list[Prepared | BadEntry] = []
    line = 0
    try:
        for item in drafts:
            line = item.line
            items.append(_prepare(item, path, format_name) if isinstance(item, PaperDraft) else item)
            if len(items) >= batch_size:
                yield _batch(path, items, None, count)
                items = []
    except FormatError as exc:
        yield _batch(path, items, exc, count)
        return
    except (ValueError, TypeError, LookupError, ArithmeticError, RecursionError) as exc:
        # A reader that failed on something it did not foresee. Stopping the file
        # with a message beats a traceback (and, read in the helper process, the
        # loss of every file's papers even under --skip-bad).
        after = f" after line {line}" if line else ""
        reason = f"reading stopped{after}: {type(exc).__name__}: {_first_line(exc)}"
        yield _batch(path, items, FormatError(str(path), 0, reason), count)
        return
    if items:
        yield _batch(path, items, None, count)


def _prepare(draft: PaperDraft, path: Path, format_name: str) -> Prepared | BadEntry:
    """:func:`prepare`, with a field it cannot handle making a bad entry, not a failed import."""
    try:
        return prepare(draft, path, format_name)
    except (ValueError, TypeError, AttributeError, RecursionError) as exc:
        return BadEntry(
            str(path), draft.line, f"cannot import this entry: {type(exc).__name__}: {_first_line(exc)}"
        )


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().split("\n", 1)[0][:200]


def _batch(path: Path, items: list[Prepared | BadEntry], error: FormatError | None, count: bool) -> Batch:
    return Batch(path, items, error, textio.position(path), count_batch(items) if count else None)


class Reader:
    """Batches from files, read inline or in one or two helper processes; use as a context manager."""

    def __init__(self, sources: Sequence[tuple[Path, Format]], batch_size: int) -> None:
        """Pick inline or parallel reading (one helper, or two for a file read in parts) from the input."""
        self.sources = list(sources)
        self.batch_size = batch_size
        size = sum(_size(p) for p, _ in self.sources)
        self.parallel = size >= PARALLEL_MIN_BYTES and all(f.name in BUILTIN_FORMATS for _, f in self.sources)
        # Imported here: shards builds on this module.
        from readinglist.core.importing import shards

        self.split = [self.parallel and shards.splits(p, f) for p, f in self.sources]
        self.processes: list[subprocess.Popen[bytes]] = []
        self.finished = False

    def __enter__(self) -> Reader:
        """Start the helper processes, if reading in parallel."""
        if not self.parallel:
            return self
        from readinglist.core.importing import shards

        helpers = 2 if any(self.split) else 1
        for helper in range(helpers):
            plan = {
                "files": [(str(p), f.name, s) for (p, f), s in zip(self.sources, self.split, strict=True)],
                "batch": self.batch_size,
                "encodings": textio.encodings(),
                "helper": helper,
                "helpers": helpers,
                "part_bytes": shards.PART_BYTES,
            }
            try:
                # A plain ``python -m``: unlike multiprocessing's spawn it never re-imports
                # the caller's main script (which could run its top-level code twice).
                process = subprocess.Popen(
                    [sys.executable, "-m", __name__, json.dumps(plan)],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,  # a TUI owns the terminal; errors come as messages
                )
            except OSError:
                self._stop()  # read inline instead
                return self
            self.processes.append(process)
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop the helper processes, whether or not the run finished."""
        self._stop()

    def _stop(self) -> None:
        processes, self.processes = self.processes, []
        for process in processes:
            if self.finished:
                # It sent everything and is exiting on its own: give it a moment.
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=2)
            if process.poll() is None:
                process.kill()
            process.wait()
            if process.stdout is not None:
                process.stdout.close()

    def batches(self) -> Iterator[Batch]:
        """Every batch, in file order."""
        if not self.processes:
            yield from _batches(self.sources, self.batch_size)
            return
        self.received = False
        try:
            if len(self.processes) == 1:
                while (message := self._receive(0))[0] != "done":
                    yield _decoded(message)
            else:
                from readinglist.core.importing import shards

                paths = [p for p, _ in self.sources]
                for batch in shards.merged(paths, self._receive, _decoded):
                    if batch is not None:
                        yield batch
            self.finished = True
        except _NotStarted:
            # It could not even start (no Python there?): read here instead.
            self._stop()
            yield from _batches(self.sources, self.batch_size)

    def ready(self) -> bool:
        """Whether the next batch is on its way already (always when read inline or in parts).

        A writer that would otherwise wait for it can do other work first (see
        :meth:`~readinglist.core.importing.run.ImportRun.idle`).
        """
        if len(self.processes) != 1:
            return True
        stream = self.processes[0].stdout
        if stream is None or stream.closed:
            return True
        try:
            readable, _, _ = select.select([stream], [], [], 0)
        except (OSError, ValueError):  # a pipe select cannot watch (Windows): just read it
            return True
        return bool(readable)

    def _receive(self, helper: int) -> tuple[Any, ...]:
        """Helper ``helper``'s next message (a batch, ``end`` or ``done``).

        Raises:
            ReadingListError: if the helper failed, or stopped after sending something.
        """
        stream = self.processes[helper].stdout
        assert stream is not None
        try:
            message: tuple[Any, ...] = pickle.load(stream)
        except (EOFError, pickle.UnpicklingError):
            if self.received:
                raise ReadingListError("the import reader stopped unexpectedly") from None
            raise _NotStarted from None
        self.received = True
        if message[0] == "crash":
            raise ReadingListError(f"the import reader failed: {message[1]}")
        return message


class _NotStarted(Exception):
    """A helper process sent nothing at all: it could not start."""


def message(batch: Batch) -> tuple[Any, ...]:
    """A batch as the helper sends it: plain values that pickle fast."""
    # FormatError's constructor takes three fields, so it is sent as them.
    error = None if batch.error is None else (batch.error.path, batch.error.line, batch.error.reason)
    # Plain tuples: pickle takes a slow generic path for every NamedTuple (1.5-2.5x the time).
    items = [tuple(i) if type(i) is Prepared else i for i in batch.items]
    return ("batch", str(batch.path), items, error, batch.position, dict(batch.counts or {}))


def _decoded(message: tuple[Any, ...]) -> Batch:
    _, path, items, error, position, counts = message
    items = [_new_prepared(Prepared, i) if type(i) is tuple else i for i in items]
    error = None if error is None else FormatError(*error)
    return Batch(Path(path), items, error, position, Counter(counts))


class _Sender:
    """Writes pickled messages to the pipe from a thread, so that parsing goes on while it is full.

    With the pipe alone (it holds less than one batch) the helper stopped
    whenever the writer was busy, for example indexing, and the writer then
    waited for each next batch to be parsed: 2.3 s of waiting in a 100k
    import. ``SEND_AHEAD`` batches queued here keep both sides busy; the
    thread spends its time blocked in ``write`` or ``get``, without the GIL.
    """

    def __init__(self, out: BinaryIO) -> None:
        """Start the sending thread."""
        self.out = out
        self.queue: queue.Queue[bytes | None] = queue.Queue(maxsize=SEND_AHEAD)
        self.broken = threading.Event()
        self.thread = threading.Thread(target=self._run, name="import-sender", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (data := self.queue.get()) is not None:
            try:
                self.out.write(data)
                self.out.flush()
            except OSError:  # BrokenPipeError: the writer stopped listening
                self.broken.set()
                return

    def _put(self, data: bytes | None) -> None:
        while not self.broken.is_set():
            try:
                self.queue.put(data, timeout=0.1)
                return
            except queue.Full:
                continue
        raise BrokenPipeError

    def send(self, message: tuple[Any, ...]) -> None:
        """Queue one message, waiting while ``SEND_AHEAD`` are queued.

        Raises:
            BrokenPipeError: once the writer has stopped listening.
        """
        self._put(pickle.dumps(message, protocol=5))

    def close(self) -> None:
        """Send everything queued, then stop the thread."""
        with contextlib.suppress(BrokenPipeError):
            self._put(None)
        self.thread.join()


def _work(plan: dict[str, Any], out: BinaryIO) -> None:
    """The helper process: read every file (or its parts of them) and send the batches.

    At most ``SEND_AHEAD`` batches wait to be sent and the pipe holds less
    than one, so a reader that runs ahead of the writer waits: memory stays
    bounded on both sides.
    """
    sender = _Sender(out)
    try:
        textio.set_encodings(plan.get("encodings", {}))
        if int(plan.get("helpers", 1)) > 1:
            from readinglist.core.importing import shards

            shards.work(plan, sender.send)
        else:
            sources = [(Path(f[0]), get_format(f[1])) for f in plan["files"]]
            for batch in _batches(sources, int(plan["batch"]), count=True):
                sender.send(message(batch))
        sender.send(("done",))
    except BrokenPipeError:
        pass  # the writer stopped listening: the run failed or was cancelled
    except BaseException:
        with contextlib.suppress(BrokenPipeError):
            sender.send(("crash", traceback.format_exc(limit=3).strip().splitlines()[-1]))
    finally:
        sender.close()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


if __name__ == "__main__":
    _out = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing printed by accident can corrupt the pickle stream
    # Parsing makes millions of short-lived objects that reference counting frees; the
    # collector's young passes every 700 allocations cost 10% of this process's CPU
    # (0.7 s at 100k arXiv papers). The writer does the same (importing.files).
    gc.set_threshold(HELPER_GC_THRESHOLD, *gc.get_threshold()[1:])
    _work(json.loads(sys.argv[1]), _out)

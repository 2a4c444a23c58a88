"""Reading a large file in two helper processes at once: parts (shards) in turn, kept in order.

One reading process is the bottleneck of a big import: parsing BibTeX takes
about twice the CPU the writer needs. With two, the file is cut into parts of a
few MiB and part ``g`` (counted over every file of the import) is read by
helper ``g % 2``; the writer takes the batches of part 0 from helper 0, then
part 1's from helper 1, and so on, so the papers come in file order.

Each helper walks every file (:func:`parts`), both deciding the same cuts from
the same bytes: a part ends where the format allows (:attr:`Sharding.cut`, for
BibTeX where its reader starts a chunk), after about :data:`PART_BYTES`. The
part a helper does not read it only skims: to number lines and count
characters on (progress positions) and to keep the state the format carries
over (BibTeX's ``@string`` macros). After each part a helper sends an
``("end", file, found, last, empty, position)`` message; the writer moves on to the other
helper then, says "no entries" for a file whose parts together found none, and
drops the batches of a file after the one that stopped it (a
:class:`FormatError`), as reading it in one process would.
"""

from __future__ import annotations

import codecs
import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from readinglist.core.errors import FormatError
from readinglist.core.formats import Format, Sharding, get_format, textio
from readinglist.core.importing.reader import Batch, file_batches, message

PART_BYTES = 4 << 20
"""About how much of a file one part is (the last may be shorter, a part with huge entries longer)."""
SPLIT_MIN_BYTES = 64_000_000
"""Files this large (about 40,000 BibTeX entries) are read in parts by two helpers."""
SPLIT_MIN_CPUS = 3
"""Two helpers pay only with a core each beside the writer's.

On two cores the writer (about 11 s of CPU at 100k BibTeX entries) and one
helper (about 19 s) already keep both cores busy for most of the run: the
second helper's start, its skimming of the other's parts (about 1 s each)
and three processes taking turns on two cores made the 100k BibTeX import
1-2 s slower, not faster (docs/performance.md, "Import read in two processes")."""
_MAX_PART_BYTES = 16 * PART_BYTES
"""A part that found no place to end by this size takes the rest of the file (no line end in it?)."""


@dataclass
class Part:
    """One part of a file, as both helpers see it."""

    start: int
    """Its first byte's offset in the file."""
    data: bytes | None
    """Its bytes; None for the rest of the file (read from it) or the whole file (``whole``)."""
    text: str
    """Its text, for the helper that skips it ("" when not read)."""
    first_line: int
    first_char: int
    last: bool = False
    whole: bool = False
    """The whole file, read by :attr:`Format.read` (a file not read in parts)."""


def splits(path: Path, fmt: Format) -> bool:
    """Whether ``path`` is worth reading in parts and can be: large, UTF-8, in a format that can."""
    if (os.cpu_count() or 1) < SPLIT_MIN_CPUS:
        return False
    if fmt.sharding is None or textio.encoding_of(path) != "utf-8-sig":
        return False
    try:
        return path.stat().st_size >= SPLIT_MIN_BYTES
    except OSError:
        return False


def parts(path: Path, sharding: Sharding | None, part_bytes: int = PART_BYTES) -> Iterator[Part]:
    """The parts of a file, the same in both helpers (one whole part unless ``sharding`` allows cuts)."""
    if sharding is None or not sharding.splittable(path):
        yield Part(0, None, "", 1, 0, last=True, whole=True)
        return
    try:
        handle = path.open("rb")
    except OSError:
        yield Part(0, None, "", 1, 0, last=True, whole=True)  # its reader says why
        return
    with handle:
        # One part held back: only the next one says whether it was the last.
        held: Part | None = None
        for part in _cuts(handle, sharding, part_bytes):
            if held is not None:
                yield held
            held = part
        if held is not None:
            held.last = True
            yield held


def _cuts(handle: Any, sharding: Sharding, part_bytes: int) -> Iterator[Part]:
    start, line, char, before = 0, 1, 0, 0
    data = b""
    bom = handle.read(3) == codecs.BOM_UTF8
    handle.seek(0)
    block_size = textio.DECODE_BLOCK
    while True:
        block = handle.read(part_bytes)
        data += block
        end = data.rfind(b"\n") + 1
        if not block or len(data) > _MAX_PART_BYTES:
            # The rest of the file, read from it to its end (no cut needed, or none found).
            yield Part(start, None, "", line, char)
            return
        if not end:
            continue
        skip = 3 if start == 0 and bom else 0  # the BOM is not text (utf-8-sig drops it)
        try:
            text = data[skip:end].decode("utf-8")
        except UnicodeDecodeError:
            # Reading the file whole, the decoding block holding a bad byte fails as a whole,
            # lines before it included: only the rest of the file, read in the same blocks
            # (textio.iter_part), stops where that does.
            yield Part(start, None, "", line, char)
            return
        # The block holding the end of the next part's first line (and a byte more) must be good:
        # a bad byte there would stop reading the whole file before that line, so before this
        # part's end. So the cut is looked for a block or more before the end of what was read.
        at, entries = sharding.cut(text[: len(text) - block_size], before)
        size = 0
        while at > 0:
            size = end - len(text[at:].encode("utf-8"))  # the bytes before the cut
            line_end = data.find(b"\n", size) + 2
            if line_end >= 2 and -(-(start + line_end) // block_size) * block_size <= start + end:
                break
            at, entries = sharding.cut(text[:at], before)
        if at <= 0:
            continue
        part = data[:size]
        yield Part(start, part, text[:at] if sharding.skip is not None else "", line, char)
        lines, crlf = part.count(b"\n"), 0  # bytes.count: far quicker than the text's
        if b"\r" in part:
            crlf = part.count(b"\r\n")
            lines += part.count(b"\r") - crlf
        start, line, before = start + size, line + lines, before + entries
        char += at - crlf  # as iter_lines counts: CRLF is one character
        data = data[size:]


def work(plan: dict[str, Any], send: Callable[[tuple[Any, ...]], None]) -> None:
    """One of two helpers (``plan["helper"]``: 0 or 1): read its parts of every file, send their batches."""
    me, helpers, size = int(plan["helper"]), int(plan["helpers"]), int(plan["batch"])
    part_bytes = int(plan.get("part_bytes", PART_BYTES))
    turn = 0
    for index, (name, format_name, split) in enumerate(plan["files"]):
        path, fmt = Path(name), get_format(format_name)
        sharding = fmt.sharding if split else None
        state = sharding.state() if sharding is not None else None
        stopped = False  # a part of ours stopped the file: the writer drops the rest
        for part in parts(path, sharding, part_bytes):
            mine = turn % helpers == me
            turn += 1
            if not mine:
                if sharding is not None and sharding.skip is not None and part.text and not stopped:
                    sharding.skip(part.text, state)
                continue
            found, reading = 0, not stopped
            if reading:
                if part.whole or sharding is None:
                    assert fmt.read is not None
                    drafts = fmt.read(path)
                else:
                    lines = textio.iter_part(path, part.data, part.start, part.first_line, part.first_char)
                    drafts = sharding.read(path, lines, state)
                for batch in file_batches(path, drafts, fmt.name, size, count=True):
                    found += len(batch.items)
                    stopped = stopped or batch.error is not None
                    send((*message(batch), index))
            empty = sharding.empty if sharding is not None and not part.whole else None
            send(("end", index, found, part.last, empty, textio.position(path) if reading else 0))


def merged(
    paths: list[Path], receive: Callable[[int], tuple[Any, ...]], decode: Callable[[tuple[Any, ...]], Batch]
) -> Iterator[Batch | None]:
    """The batches of two helpers in file order; a final None once both said they are done.

    ``receive(h)`` is helper ``h``'s next message. Batches of a file after the
    one with its error, or of a part of a file that already failed, are dropped.
    """
    turn = 0
    found: Counter[int] = Counter()
    failed: set[int] = set()
    position: dict[int, int] = {}
    while True:
        got = receive(turn % 2)
        kind = got[0]
        if kind == "done":
            # No part numbered ``turn``: the other helper has nothing more either.
            if receive((turn + 1) % 2)[0] == "done":
                yield None
            return
        if kind == "end":
            _, index, count, last, empty, at = got
            found[index] += count
            position[index] = max(position.get(index, 0), at)
            if last and empty and not found[index] and index not in failed:
                path = paths[index]
                yield Batch(path, [], FormatError(str(path), 1, empty), position.get(index, 0), Counter())
            turn += 1
            continue
        index = got[-1]
        if index in failed:
            continue
        batch = decode(got[:-1])
        position[index] = batch.position
        if batch.error is not None:
            failed.add(index)
        yield batch

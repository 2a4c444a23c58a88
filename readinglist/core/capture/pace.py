"""At most one request every few seconds to a server, across processes, by a slot kept in the library.

Each request reserves the next free slot (the later of now and the last slot
plus the interval) in a write transaction, so two processes adding papers at
once take turns instead of both asking at the same moment; then it sleeps
until its slot. A library that cannot be written paces this process only.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from readinglist.core.errors import LibraryError
from readinglist.core.store import Library

ARXIV_SLOT = "capture_arxiv_last_request"
"""The meta key holding the time (seconds since the epoch) of the last arXiv request."""
SKEW_INTERVALS = 100
"""A stored slot further ahead than this many intervals is a clock that moved back: ignored."""


class Pace:
    """Call before each request; it sleeps until the request's slot.

    Args:
        library: Where the last slot is kept; None keeps it in this object only.
        interval: Seconds between two requests.
        key: The meta key (one per server).
        clock: Wall-clock seconds (shared by processes, so not monotonic).
        sleep: How to wait.
    """

    def __init__(
        self,
        library: Library | None,
        interval: float,
        key: str = ARXIV_SLOT,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """Keep the slot in ``library`` under ``key``."""
        self.library = library if library is not None and library.read_only is None else None
        self.interval = interval
        self.key = key
        self._clock = clock
        self._sleep = sleep
        self._last: float | None = None
        self.waited = 0.0
        """Seconds slept so far."""

    def __call__(self) -> None:
        """Reserve the next slot and sleep until it comes."""
        now = self._clock()
        slot = self.reserve(now)
        if slot > now:
            self.waited += slot - now
            self._sleep(slot - now)

    def reserve(self, now: float) -> float:
        """Take the first free slot at or after ``now`` and return it."""
        if self.library is not None:
            try:
                with self.library.write() as db:
                    stored = self.library.get_meta(self.key)
                    slot = self._next(now, _seconds(stored))
                    db.execute(
                        "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", [self.key, repr(slot)]
                    )
                self._last = slot
                return slot
            except LibraryError:
                self.library = None  # busy or read-only: pace this process alone
        slot = self._next(now, self._last)
        self._last = slot
        return slot

    def _next(self, now: float, last: float | None) -> float:
        if last is None or last - now > SKEW_INTERVALS * max(self.interval, 1.0):
            return now
        return max(now, last + self.interval)


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None

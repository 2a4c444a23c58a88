"""Python's cyclic garbage collector, run while the user is not typing.

Left to itself, the collector runs whenever enough objects were allocated,
on whichever thread allocated them, holding the GIL throughout. In the app
at 100k papers a full collection took 60-140 ms and a middle one 5-20 ms, and
they fell in the middle of keystrokes: the search worker and the frame that
shows its rows both stopped for them (traced: a frame's ``Strip.__init__``
"took" 100 ms). :class:`GcPacer` instead freezes everything that exists once
the app has started (modules, widgets, caches: collecting them can never free
anything) and runs the collector itself from a timer, only after the keyboard
has been quiet for a moment. Most garbage is freed by reference counting
anyway; only reference cycles wait for these collections, so memory stays
bounded. Young objects (a few keys' worth: a few milliseconds) are collected
whenever no search is running; a full collection waits for a quiet keyboard,
or a minute of non-stop typing.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

from textual.app import App
from textual.timer import Timer

TICK_S = 0.25
"""How often the pacer looks whether a collection is due."""
QUIET_S = 0.4
"""Collect only once no key has arrived for this long."""
YOUNG_MIN_OBJECTS = 5_000
"""Below this many new objects a young collection is not worth a tick."""
YOUNG_MAX_DELAY_S = 3.0
"""Collect the young objects after this long even if searches never stopped."""
FULL_EVERY_S = 15.0
"""A full collection (every generation not frozen) when quiet, at most this often."""
FULL_MAX_DELAY_S = 60.0
"""A full collection after this long even if the keyboard never went quiet."""


class GcPacer:
    """Runs the garbage collector from a timer of the app instead of mid-keystroke."""

    def __init__(self) -> None:
        """Not started: :meth:`start` takes the collector over."""
        self._timer: Timer | None = None
        self._busy: Callable[[], bool] = lambda: False
        self._was_enabled = True
        self._last_key = 0.0
        self._last_young = self._last_full = time.monotonic()
        self.collections = 0
        """How many collections the pacer ran (for tests and benchmarks)."""

    def start(self, app: App[object], busy: Callable[[], bool] = lambda: False) -> None:
        """Collect and freeze what exists now, turn automatic collection off, start the timer.

        Args:
            app: The app whose timer runs the collections.
            busy: Whether a search is running (its rows are what the user waits for).
        """
        if self._timer is not None:
            return
        self._busy = busy
        self._was_enabled = gc.isenabled()
        gc.collect()
        gc.freeze()
        gc.disable()
        self._last_young = self._last_full = time.monotonic()
        self._timer = app.set_interval(TICK_S, self.tick, name="gc-pacer")

    def stop(self) -> None:
        """Give the collector back as it was (the process may run another app, as tests do)."""
        if self._timer is None:
            return
        self._timer.stop()
        self._timer = None
        gc.unfreeze()
        if self._was_enabled:
            gc.enable()

    @property
    def last_key_at(self) -> float:
        """When :meth:`key_pressed` was last called (``time.monotonic``; 0 before)."""
        return self._last_key

    def key_pressed(self) -> None:
        """A key arrived: its search and frame come first."""
        self._last_key = time.monotonic()

    def tick(self) -> None:
        """Collect now if a collection is due and the keyboard is quiet (or it waited too long)."""
        if self._timer is None:
            return
        now = time.monotonic()
        idle = not self._busy()
        quiet = idle and now - self._last_key >= QUIET_S
        if (quiet and now - self._last_full >= FULL_EVERY_S) or now - self._last_full >= FULL_MAX_DELAY_S:
            gc.collect()
            self._last_full = self._last_young = now
            self.collections += 1
        elif gc.get_count()[0] >= YOUNG_MIN_OBJECTS and (idle or now - self._last_young >= YOUNG_MAX_DELAY_S):
            gc.collect(1)
            self._last_young = now
            self.collections += 1

"""What a user sees: key delivered to the app -> the frame that shows its results.

Pilot's ``press`` waits for the app to go idle (20 ms sleeps, docs/tech-notes.md §1), so
timing around it measures Pilot as much as the app. :class:`FrameProbe` instead
stamps each key when the (headless) driver hands it to the app, and each frame
when the screen's compositor update reaches ``App._display``. The headless
driver writes nothing, so the probe renders the update to the terminal byte
string itself, as a real driver would, before it stamps the frame. A frame
"shows" a query when the paper list drew rows during it while the screen held
that query's rows (the list and the status line change in the same call).
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field
from typing import Any

from textual import events
from textual._compositor import CompositorUpdate
from textual.app import App

from readinglist.core.models import View
from readinglist.core.search.session import RowsRequest
from readinglist.ui.screens.main import MainScreen
from readinglist.ui.widgets.paper_list import PaperList


@dataclass
class Frame:
    at: float
    requests: set[RowsRequest] = field(default_factory=set)
    """The requests (view, tag, query) whose rows the list drew in this frame."""


class FrameProbe:
    """Stamps keys as the driver delivers them and frames as they are written."""

    def __init__(self, app: App[Any], screen: MainScreen) -> None:
        self.app, self.screen = app, screen
        self.keys: list[tuple[float, str]] = []
        self.frames: list[Frame] = []
        self._painted: set[RowsRequest] = set()
        self.bytes_written = 0
        papers = screen.query_one(PaperList)
        render_line = papers.render_line

        def traced_render_line(y: int) -> Any:
            rows = screen.rows
            if rows is not None:
                self._painted.add(rows.request)
            return render_line(y)

        papers.render_line = traced_render_line  # type: ignore[method-assign]
        display = app._display

        def traced_display(target: Any, renderable: Any) -> None:
            display(target, renderable)
            if isinstance(renderable, CompositorUpdate):
                # What a terminal driver would write (the headless one skips it).
                self.bytes_written += len(renderable.render_segments(app.console))
            self.frames.append(Frame(time.perf_counter(), self._painted))
            self._painted = set()

        app._display = traced_display  # type: ignore[method-assign]
        driver = app._driver
        assert driver is not None
        send = driver.send_message

        def traced_send(message: Any) -> None:
            if isinstance(message, events.Key):
                self.keys.append((time.perf_counter(), message.key))
            send(message)

        driver.send_message = traced_send  # type: ignore[method-assign]

    def send_key(self, key: str) -> None:
        """Deliver one key as the driver would, without waiting for anything."""
        char = " " if key == "space" else key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(self.app)
        assert self.app._driver is not None
        self.app._driver.send_message(event)

    def first_frame(self, query: str, after: float, view: View | None = None) -> float | None:
        """When the first frame after ``after`` showed rows for ``query`` (in ``view``)."""
        for frame in self.frames:
            if frame.at >= after and any(r.query == query and view in (None, r.view) for r in frame.requests):
                return frame.at
        return None

    async def wait_for(
        self, query: str, after: float, view: View | None = None, timeout: float = 30.0
    ) -> float:
        """Wait until a frame shows ``query``'s rows; seconds from ``after`` to that frame."""
        deadline = time.perf_counter() + timeout
        while (at := self.first_frame(query, after, view)) is None:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"no frame showed {query!r}")
            await asyncio.sleep(0.002)
        return at - after

    async def type_at_pace(
        self, text: str, lo: float, hi: float, seed: int = 4
    ) -> tuple[list[float], int, float]:
        """Type ``text`` a key every ``lo``-``hi`` s without waiting for results.

        Returns:
            For each key whose own query reached the screen (before the next
            key, or at all), key -> that frame; how many keys never had their
            results shown (a newer query overtook them); and the last key -> its
            results.
        """
        rng = random.Random(seed)
        sent: list[tuple[float, str]] = []
        typed = self.screen.query_one("#search").value  # type: ignore[attr-defined]
        for char in text:
            typed += char
            self.send_key("space" if char == " " else char)
            sent.append((time.perf_counter(), typed))
            await asyncio.sleep(rng.uniform(lo, hi))
        last = await self.wait_for(sent[-1][1], sent[-1][0])
        shown, skipped = [], 0
        for at, query in sent:
            frame = self.first_frame(query, at)
            if frame is None:
                skipped += 1
            else:
                shown.append(frame - at)
        return shown, skipped, last

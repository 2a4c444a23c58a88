"""Fixtures for driving the real app headless: a library file, a fake clipboard, helpers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from textual.pilot import Pilot

from readinglist.config import Settings
from readinglist.ui.app import ReadingListApp, make_app
from readinglist.ui.screens.main import MainScreen
from readinglist.ui.widgets.paper_list import PaperList


@dataclass
class FakeClipboard:
    """Stands in for pyperclip: CI machines have no system clipboard."""

    works: bool = True
    copied: list[str] = field(default_factory=list)

    def __call__(self, text: str) -> bool:
        self.copied.append(text)
        return self.works


@pytest.fixture
def clipboard() -> FakeClipboard:
    return FakeClipboard()


AppFactory = Callable[..., ReadingListApp]


@pytest.fixture
def make(db_path: Path, clipboard: FakeClipboard) -> AppFactory:
    """Build the app on the test's library file (seeded with the sample on first start)."""

    def build(settings: Settings | None = None) -> ReadingListApp:
        return make_app(db_path, settings or Settings(), system_copy=clipboard)

    return build


async def settle(pilot: Pilot[int]) -> None:
    """Wait for pending timers' workers and their results to reach the screen."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def search(pilot: Pilot[int], text: str) -> None:
    """Type a query (by setting the value: no per-key cost) and wait for the results."""
    from textual.widgets import Input

    await pilot.press("slash")
    pilot.app.screen.query_one("#search", Input).value = text
    await pilot.pause(0.2)  # the debounce
    await settle(pilot)


def main_screen(app: ReadingListApp) -> MainScreen:
    screen = app.screen_stack[0]  # the default screen, under any dialog
    assert isinstance(screen, MainScreen), screen
    return screen


def paper_list(app: ReadingListApp) -> PaperList:
    return main_screen(app).query_one(PaperList)


def current_id(app: ReadingListApp) -> int:
    paper_id = paper_list(app).current_id
    assert paper_id is not None
    return paper_id


def notices(app: ReadingListApp) -> list[str]:
    """The messages of the notifications shown so far."""
    # Textual keeps live notifications in a private list; there is no public reader.
    return [n.message for n in app._notifications]


def status_line(app: ReadingListApp) -> str:
    from textual.widgets import Static

    return str(main_screen(app).query_one("#status", Static).render())

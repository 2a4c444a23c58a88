"""Fixtures for driving the real app headless: a library file, a fake clipboard, helpers."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from textual.message import Message
from textual.pilot import Pilot

from readinglist.config import Settings
from readinglist.core.sample import seed_if_new
from readinglist.core.search.session import RowsRequest
from readinglist.core.store import Library
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


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library file holding the sample, seeded once per session and copied per test."""
    path = tmp_path_factory.mktemp("template") / "library.db"
    with Library(path) as lib:
        assert seed_if_new(lib) is not None
    return path


@pytest.fixture
def make(db_path: Path, clipboard: FakeClipboard, sample_template: Path) -> AppFactory:
    """Build the app on the test's library file.

    The file starts as a copy of the seeded sample (seeding each test would cost
    a third of a second); ``fresh=True`` starts from nothing, as a first launch does.
    """

    def build(settings: Settings | None = None, *, fresh: bool = False) -> ReadingListApp:
        if not fresh and not db_path.exists():
            db_path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(sample_template, db_path)
        return make_app(db_path, settings or Settings(), system_copy=clipboard)

    return build


async def settle(pilot: Pilot[int]) -> None:
    """Wait for pending timers' workers and their results to reach the screen.

    ``WorkerManager.wait_for_complete`` raises ``WorkerCancelled`` when an
    exclusive worker is superseded by a newer one while it waits (under load a
    search or a count often is), and ``WorkerError`` for a worker not started
    yet; so wait for each worker, skip the superseded ones and look again for
    workers they started. A worker that failed still fails the test.
    """
    from textual.worker import WorkerCancelled, WorkerState

    await pilot.pause()
    for _ in range(100):
        running = [w for w in pilot.app.workers if not w.is_finished]
        if not running:
            break
        for worker in running:
            if worker.state == WorkerState.PENDING:
                await pilot.pause(0.01)
                continue
            try:
                await worker.wait()
            except WorkerCancelled:
                pass  # superseded by a newer request: that one is waited for next
        await pilot.pause()
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


def session_lock(app: ReadingListApp) -> AbstractContextManager[bool]:
    """The search session's lock: a test holding it makes the worker wait, as a slow search would."""
    from readinglist.ui.widgets.rows_loader import RowsLoader

    return main_screen(app).query_one(RowsLoader).session.lock


@dataclass
class LoadsStarted:
    """A ``run_test(message_hook=...)`` that records the rows loader's ``Started`` messages."""

    requests: list[RowsRequest] = field(default_factory=list)
    _messages: list[Message] = field(default_factory=list)

    def __call__(self, message: Message) -> None:
        from readinglist.ui.widgets.rows_loader import RowsLoader

        # The hook sees a message once per node it bubbles through: count it once.
        if isinstance(message, RowsLoader.Started) and not any(m is message for m in self._messages):
            self._messages.append(message)
            self.requests.append(message.request)

    @property
    def queries(self) -> list[str]:
        """The query of every load started, in order."""
        return [request.query for request in self.requests]

"""The app runs the garbage collector itself, between keystrokes, and gives it back on exit."""

from __future__ import annotations

import gc
import weakref

import pytest

from readinglist.ui import gc_pacing

from .conftest import AppFactory, main_screen, search, session_lock, settle


class _Node:
    """Something that can be part of a reference cycle and be watched by a weak reference."""

    def __init__(self) -> None:
        self.other: _Node | None = None


def _cycle() -> weakref.ref[_Node]:
    """A reference cycle nothing else refers to: only the cyclic collector can free it."""
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    return weakref.ref(a)


async def test_a_full_collection_waits_for_a_quiet_keyboard(
    make: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert gc.isenabled()
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pacer = app.gc_pacer
        # Start-up is frozen and the automatic collector is off while the app runs.
        assert not gc.isenabled()
        assert gc.get_freeze_count() > 0
        await search(pilot, "attention")
        # No await from here on: the pacer's own timer cannot run in between.
        monkeypatch.setattr(gc_pacing, "YOUNG_MIN_OBJECTS", 10**9)  # only full collections here
        monkeypatch.setattr(gc_pacing, "FULL_EVERY_S", 0.0)  # a full collection is due at once...
        garbage = _cycle()
        pacer.key_pressed()
        pacer.tick()
        assert garbage() is not None  # ...but not while keys are arriving
        monkeypatch.setattr(gc_pacing, "QUIET_S", 0.0)
        pacer.tick()
        assert garbage() is None
        assert pacer.collections >= 1
    # Another app (or test) in this process gets the collector back as it was.
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


async def test_nothing_is_collected_while_a_search_runs_until_it_waited_too_long(
    make: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gc_pacing, "YOUNG_MIN_OBJECTS", 0)
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pacer = app.gc_pacer
        await pilot.press("slash")
        with session_lock(app):  # the search waits here, as a slow one would run
            await pilot.press("s")
            garbage = _cycle()
            pacer.tick()
            assert garbage() is not None
            monkeypatch.setattr(gc_pacing, "YOUNG_MAX_DELAY_S", 0.0)  # it ran for too long
            pacer.tick()
            assert garbage() is None
        await settle(pilot)
        # The search still lands.
        rows = main_screen(app).rows
        assert rows is not None and rows.request.query == "s"

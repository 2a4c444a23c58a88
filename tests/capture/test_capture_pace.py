"""arXiv's rule, one request every 3 s, kept across processes through the library."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import pytest

from readinglist.core.capture.pace import ARXIV_SLOT, Pace
from readinglist.core.capture.settings import ARXIV_INTERVAL_S, capture_settings
from readinglist.core.store import Library
from tests.capture.conftest import run
from tests.capture.fakeweb import FakeWeb


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def test_the_default_is_arxivs_published_rule() -> None:
    assert ARXIV_INTERVAL_S == 3.0
    assert capture_settings({}, {}).arxiv_interval == 3.0
    assert capture_settings({}, {"READINGLIST_ARXIV_INTERVAL": "0.2"}).arxiv_interval == 0.2
    with pytest.raises(ValueError, match="READINGLIST_ARXIV_INTERVAL"):
        capture_settings({}, {"READINGLIST_ARXIV_INTERVAL": "soon"})


def test_two_connections_take_turns_three_seconds_apart(db_path: Path) -> None:
    clock = Clock(1_000.0)
    with Library(db_path) as one, Library(db_path) as two:
        first = Pace(one, ARXIV_INTERVAL_S, clock=clock, sleep=clock.sleep)
        second = Pace(two, ARXIV_INTERVAL_S, clock=clock, sleep=clock.sleep)
        first()  # nobody asked before: at once
        assert clock.slept == []
        second()  # the other "process" asks at the same moment: it waits its turn
        assert clock.slept == [3.0]
        clock.now += 1.0  # a second later, the first asks again: 2 s after the second's slot
        first()
        assert clock.slept == [3.0, 2.0]
        assert float(one.get_meta(ARXIV_SLOT) or 0) == pytest.approx(1_006.0)
        clock.now += 60.0  # long after: no wait
        second()
        assert clock.slept == [3.0, 2.0]


def test_two_requests_reserved_at_once_get_consecutive_slots(db_path: Path) -> None:
    clock = Clock(50.0)
    with Library(db_path) as lib:
        pace = Pace(lib, ARXIV_INTERVAL_S, clock=clock, sleep=clock.sleep)
        assert [pace.reserve(50.0), pace.reserve(50.0), pace.reserve(50.5)] == [50.0, 53.0, 56.0]


def test_a_slot_far_ahead_is_a_clock_that_moved_back(db_path: Path) -> None:
    clock = Clock(10_000.0)
    with Library(db_path) as lib:
        lib.set_meta(ARXIV_SLOT, repr(10_000.0 + 86_400))
        Pace(lib, ARXIV_INTERVAL_S, clock=clock, sleep=clock.sleep)()
    assert clock.slept == []


def test_without_a_library_the_process_paces_itself() -> None:
    clock = Clock(0.0)
    pace = Pace(None, ARXIV_INTERVAL_S, clock=clock, sleep=clock.sleep)
    pace()
    pace()
    assert clock.slept == [3.0]


def test_commands_one_after_another_keep_the_interval(
    web: FakeWeb, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READINGLIST_ARXIV_INTERVAL", "0.4")
    db = tmp_path / "library.db"
    for ref in ("2310.06825", "1706.03762", "hep-th/9901001"):
        assert run(capsys, db, "add", ref)[0] == 0
    times = [h.at for h in web.hits]
    assert len(times) == 3
    assert all(b - a >= 0.39 for a, b in itertools.pairwise(times))


def test_two_processes_at_once_keep_the_interval(web: FakeWeb, tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    with Library(db):
        pass  # created (and upgraded) before the two start
    env = {**os.environ, "READINGLIST_ARXIV_INTERVAL": "1.0", "READINGLIST_DB": str(db)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "readinglist", "add", ref],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for ref in ("2310.06825", "1706.03762")
    ]
    outs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    first, second = sorted(h.at for h in web.hits)
    # Slots are 1 s apart; a loaded machine may delay the first request after its slot a little.
    assert second - first >= 0.8

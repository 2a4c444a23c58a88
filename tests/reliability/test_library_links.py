"""Opening links is safe: only http(s) reaches the browser, never an option or a file: link."""

from __future__ import annotations

import contextlib
import stat
import webbrowser
from collections.abc import Iterator
from pathlib import Path

import pytest

from readinglist.core.link_policy import MAX_URL_CHARS, decide_open
from readinglist.core.store import Library
from tests.ui import conftest as ui
from tests.ui.conftest import AppFactory, current_id, notices, settle

# The app fixtures live beside the UI tests; these tests use them from here.
clipboard, make, sample_template = ui.clipboard, ui.make, ui.sample_template


@pytest.mark.parametrize(
    ("value", "opened"),
    [
        ("https://arxiv.org/abs/2310.06825", "https://arxiv.org/abs/2310.06825"),
        ("HTTP://Example.org/a?b=c#d", "HTTP://Example.org/a?b=c#d"),
        ("  https://example.org/x  ", "https://example.org/x"),
        ("www.example.org/paper", "https://www.example.org/paper"),
        ("https://example.org/a paper [v2]", "https://example.org/a%20paper%20[v2]"),
        ("https://example.org/caf\u00e9", "https://example.org/caf%C3%A9"),
        ("https://example.org/%20already", "https://example.org/%20already"),
    ],
)
def test_web_links_are_opened(value: str, opened: str) -> None:
    decision = decide_open(value)
    assert decision.allowed
    assert decision.url == opened


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("file:///etc/passwd", "not file:"),
        ("FILE:///etc/passwd", "not file:"),
        ("javascript:alert(1)", "not javascript:"),
        ("data:text/html,<script>alert(1)</script>", "not data:"),
        ("--renderer-cmd-prefix=/bin/sh -c id", "starts with '-'"),
        ("-https://example.org", "starts with '-'"),
        ("", "no link"),
        ("   ", "no link"),
        ("example.org/paper", "no http:// or https://"),
        ("/etc/passwd", "no http:// or https://"),
        ("https:/etc/passwd", "no web host"),
        ("http://", "no web host"),
        ("https://example.org/\x1b[31mred", "control or hidden"),
        ("https://example.org/a\nb", "control or hidden"),
        ("https://example.org/\u202egnp.exe", "control or hidden"),
        ("https://example.org:99999999/", "not a valid web address"),
        ("https://example.org/" + "a" * MAX_URL_CHARS, "longer than"),
    ],
)
def test_everything_else_is_refused_with_a_reason(value: str, reason: str) -> None:
    decision = decide_open(value)
    assert not decision.allowed
    assert decision.url is None
    assert reason in decision.reason


def test_none_is_refused() -> None:
    assert decide_open(None).reason == "the paper has no link"


@pytest.fixture
def browser_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A real $BROWSER command that records every argument it is given."""
    log = tmp_path / "opened.txt"
    script = tmp_path / "browser.sh"
    script.write_text(
        f'#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a" >> "{log}"; done\n', encoding="utf-8"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("BROWSER", str(script))
    # webbrowser reads $BROWSER once per process; make it look again.
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    monkeypatch.setattr(webbrowser, "_browsers", {})
    return log


def _set_link(db_path: Path, paper_id: int, url: str) -> None:
    """Give a paper this URL and nothing that would take precedence over it."""
    with Library(db_path) as lib, lib.write() as db:
        db.execute("UPDATE papers SET url = ?, arxiv_id = NULL, doi = NULL WHERE id = ?", [url, paper_id])


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("file:///etc/passwd", "only http and https links are opened, not file:"),
        ("javascript:alert(document.cookie)", "not javascript:"),
        ("javascript:[/bold][link=x]", "not javascript:"),  # markup in the notice must not break it
        ("--renderer-cmd-prefix=touch /tmp/pwned", "which a browser would read as an option"),
    ],
)
async def test_o_on_a_bad_link_notifies_and_opens_nothing(
    make: AppFactory, browser_log: Path, db_path: Path, url: str, why: str
) -> None:
    app = make()
    # Toasts drawn (off by default under run_test): markup in the link must not break them.
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        _set_link(db_path, current_id(app), url)
        assert app.library.get(current_id(app)).primary_link == url
        # A real browser would be run (the app is not suspended under run_test,
        # so make suspending a no-op): nothing at all may reach it.
        app.suspend = _no_suspend  # type: ignore[method-assign]
        await pilot.press("o")
        await settle(pilot)
        assert not browser_log.exists()
        refused = [n for n in notices(app) if n.startswith("Not opening")]
        assert len(refused) == 1 and why in refused[0]


async def test_o_on_a_good_link_with_a_space_opens_it_encoded(
    make: AppFactory, browser_log: Path, db_path: Path
) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _set_link(db_path, current_id(app), "https://example.org/a b")
        app.suspend = _no_suspend  # type: ignore[method-assign]
        await pilot.press("o")
        await settle(pilot)
        assert browser_log.read_text(encoding="utf-8") == "https://example.org/a%20b\n"


@contextlib.contextmanager
def _no_suspend() -> Iterator[None]:
    yield

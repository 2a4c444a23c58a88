"""Copying (the app's clipboard, OSC 52, the verified system clipboard) and opening links."""

from __future__ import annotations

import base64
import stat
import webbrowser
from collections.abc import Callable
from pathlib import Path

import pytest

from readinglist.core import cite
from readinglist.core.models import Paper
from readinglist.ui.clipboard import CopyOutcome, system_copy_outcome
from readinglist.ui.screens.copy_menu import CopyMenu
from readinglist.ui.screens.text_dialog import TextDialog

from .conftest import AppFactory, FakeClipboard, current_id, notices, settle


async def test_y_copies_the_primary_link(make: AppFactory, clipboard: FakeClipboard) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        written: list[str] = []
        assert app._driver is not None
        app._driver.write = written.append  # type: ignore[method-assign,assignment]
        await pilot.press("y")
        link = app.library.get(current_id(app)).primary_link
        assert app.clipboard == link  # OSC 52 is sent at once
        await settle(pilot)  # the system clipboard is tried in a thread
        assert clipboard.copied == [link]
        osc = [w for w in written if w.startswith("\x1b]52;c;")]
        assert base64.b64decode(osc[-1][len("\x1b]52;c;") : -1]).decode() == link
        assert "Copied the link" in notices(app)
        assert not isinstance(app.screen, TextDialog)


async def test_without_a_clipboard_the_text_is_shown_to_select(
    make: AppFactory, clipboard: FakeClipboard
) -> None:
    clipboard.works = False
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        link = app.library.get(current_id(app)).primary_link
        assert app.clipboard == link
        assert isinstance(app.screen, TextDialog)
        assert any("terminal clipboard (OSC 52)" in n for n in notices(app))
        from textual.widgets import TextArea

        area = app.screen.query_one(TextArea)
        assert area.text == link and area.selected_text == link
        await pilot.press("escape")
        assert not isinstance(app.screen, TextDialog)


async def test_copy_menu(make: AppFactory) -> None:
    choices: list[tuple[str, Callable[[Paper], str]]] = [
        ("l", lambda p: p.primary_link),
        ("m", cite.markdown_link),
        ("t", lambda p: p.title),
        ("b", cite.bibtex_entry),
    ]
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        paper = app.library.get(current_id(app))
        for key, expected in choices:
            await pilot.press("Y")
            assert isinstance(app.screen, CopyMenu)
            await pilot.press(key)
            assert not isinstance(app.screen, CopyMenu)
            assert app.clipboard == expected(paper), key


async def test_copy_menu_code_link(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        papers = app.library.papers()
        with_code = next(p for p in papers if cite.code_link(p))
        without = next(p for p in papers if not cite.code_link(p))
        lst = app.screen.query_one("#papers")
        for paper, expected in ((with_code, cite.code_link(with_code)), (without, None)):
            lst.cursor = lst.ids.index(paper.id)  # type: ignore[attr-defined]
            await pilot.pause()
            app.copy_to_clipboard("untouched")
            await pilot.press("Y", "c")
            if expected is None:
                assert app.clipboard == "untouched"
                assert any("no code link" in n for n in notices(app))
                await pilot.press("escape")
            else:
                assert app.clipboard == expected


def test_system_copy_outcome() -> None:
    def broken(text: str) -> bool:
        raise RuntimeError("no clipboard daemon")

    assert system_copy_outcome("x", lambda t: True) is CopyOutcome.SYSTEM
    assert system_copy_outcome("y", lambda t: False) is CopyOutcome.TERMINAL
    assert system_copy_outcome("z", broken) is CopyOutcome.TERMINAL


def test_real_pyperclip_without_a_display_is_not_trusted() -> None:
    from readinglist.ui.clipboard import _system_copy

    # The autouse fixture removed DISPLAY: pyperclip finds no clipboard, which must not raise.
    assert _system_copy("text") is False


@pytest.fixture
def browser_script(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A real $BROWSER command that records the URL it was asked to open."""
    log = tmp_path / "opened.txt"
    script = tmp_path / "browser.sh"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{log}"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("BROWSER", str(script))
    # webbrowser reads $BROWSER once per process; make it look again.
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    monkeypatch.setattr(webbrowser, "_browsers", {})
    return log


async def test_open_link_runs_the_browser(make: AppFactory, browser_script: Path) -> None:
    import contextlib
    from collections.abc import Iterator

    @contextlib.contextmanager
    def no_suspend() -> Iterator[None]:
        yield

    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")  # a terminal browser, and run_test cannot hand the terminal over
        assert not browser_script.exists()
        assert any("cannot be handed over" in n for n in notices(app))
        app.suspend = no_suspend  # type: ignore[method-assign]
        await pilot.press("o")
        link = app.library.get(current_id(app)).primary_link
        assert browser_script.read_text(encoding="utf-8") == link + "\n"
        assert f"Opened {link}" in notices(app)


async def test_open_link_without_any_browser(make: AppFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BROWSER", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    monkeypatch.setattr(webbrowser, "_browsers", {})
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        assert any(n.startswith("No web browser found") for n in notices(app))

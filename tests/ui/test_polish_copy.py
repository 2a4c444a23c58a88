"""Copying without needless dialogs (#16): confirmed or OSC 52-only copies open no modal."""

from __future__ import annotations

from pathlib import Path

import pytest

from readinglist.config import ConfigError, Settings, load_settings
from readinglist.core import cite
from readinglist.ui.clipboard import osc52_is_the_channel
from readinglist.ui.screens.copy_menu import CopyMenu
from readinglist.ui.screens.text_dialog import TextDialog

from .conftest import AppFactory, FakeClipboard, current_id, notices, settle


async def test_inside_tmux_an_unconfirmed_copy_opens_no_dialog(
    make: AppFactory, clipboard: FakeClipboard, monkeypatch: pytest.MonkeyPatch
) -> None:
    clipboard.works = False
    monkeypatch.setenv("TMUX", "/tmp/tmux-0/default,1,0")
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.clipboard == app.library.get(current_id(app)).primary_link
        assert not isinstance(app.screen, TextDialog)
        assert notices(app) == ["Sent the link to the terminal clipboard (OSC 52)"]


async def test_the_config_turns_the_select_dialog_off(
    make: AppFactory, clipboard: FakeClipboard, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[copy]\nselect_dialog = false\n", encoding="utf-8")
    clipboard.works = False
    app = make(load_settings(config))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, TextDialog)


async def test_a_confirmed_copy_opens_no_dialog_and_an_unconfirmed_one_does(
    make: AppFactory, clipboard: FakeClipboard
) -> None:
    app = make(Settings())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, TextDialog)
        clipboard.works = False
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)


def test_the_setting_is_checked(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[copy]\nselect_dialog = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"config.toml:2: copy select_dialog must be true or false"):
        load_settings(config)
    config.write_text("[copy]\ndialog = false\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown copy setting 'dialog'"):
        load_settings(config)
    assert load_settings(tmp_path / "none.toml").copy_select_dialog is True


def test_osc52_is_the_channel_in_tmux_and_over_ssh() -> None:
    assert osc52_is_the_channel({"TMUX": "/tmp/tmux-1000/default,42,0"})
    assert osc52_is_the_channel({"SSH_TTY": "/dev/pts/3"})
    assert not osc52_is_the_channel({"TERM": "xterm-256color"})


async def test_the_copy_menu_offers_only_what_the_paper_has(make: AppFactory) -> None:
    from textual.widgets import OptionList

    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        papers = app.library.papers()
        lst = app.screen.query_one("#papers")
        for paper, has_code in (
            (next(p for p in papers if not cite.code_link(p)), False),
            (next(p for p in papers if cite.code_link(p)), True),
        ):
            lst.cursor = lst.ids.index(paper.id)  # type: ignore[attr-defined]
            await pilot.pause()
            await pilot.press("Y")
            assert isinstance(app.screen, CopyMenu)
            options = app.screen.query_one(OptionList)
            ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
            assert ("code" in ids) is has_code
            await pilot.press("escape")

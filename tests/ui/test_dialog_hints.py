"""Every dialog at 60x20 and 80x24 shows its title, hints and status lines whole (#16).

Each dialog is opened the way a user opens it (its key, from the screen it belongs
to), then every line of text it holds is looked for in what the terminal shows
(the composed screen, not the widget's own drawing): a line cut by the dialog's
edge, pushed below the screen or hidden behind another widget fails.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from rich.text import Text
from textual.containers import ScrollableContainer
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static

from readinglist.ui.app import ReadingListApp
from readinglist.ui.screens.related import RelatedScreen

from .conftest import AppFactory, current_id, settle
from .screen_text import region_lines

SIZES = [(60, 20), (80, 24)]

Opener = Callable[[Pilot[int], Path], Awaitable[None]]


async def _keys(pilot: Pilot[int], *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def _replace(pilot: Pilot[int], tmp: Path) -> None:
    target = tmp / "a-rather-long-folder-name" / "and-a-long-file-name-too.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text("{}", encoding="utf-8")
    await _keys(pilot, "x")
    pilot.app.screen.query_one("#export-path", Input).value = str(target)
    await _keys(pilot, "enter")


async def _text_dialog(pilot: Pilot[int], tmp: Path) -> None:
    # The fake clipboard fails (see ``opened``): the text is shown to select.
    await _keys(pilot, "Y", "b")


async def _tag_manager(pilot: Pilot[int], *keys: str) -> None:
    await _keys(pilot, "number_sign", "down", *keys)


def _opener(*keys: str) -> Opener:
    async def run(pilot: Pilot[int], tmp: Path) -> None:
        await _keys(pilot, *keys)

    return run


def _in_manager(*keys: str) -> Opener:
    async def run(pilot: Pilot[int], tmp: Path) -> None:
        await _tag_manager(pilot, *keys)

    return run


DIALOGS: dict[str, Opener] = {
    "import": _opener("i"),
    "export": _opener("x"),
    "export-replace": _replace,
    "copy-menu": _opener("Y"),
    "copy-text": _text_dialog,
    "tags": _opener("t"),
    "tag-manager": _in_manager(),
    "tag-rename": _in_manager("r"),
    "tag-merge": _in_manager("m"),
    "tag-delete": _in_manager("d"),
    "add": _opener("A"),
    "delete": _opener("D"),
    "save-view": _opener("ctrl+s"),
    "help": _opener("question_mark"),
    "related": _opener("m"),
    "suggested": _opener("0"),
}


def _text_of(widget: Static) -> str:
    return str(widget.render())


def _squashed(text: str) -> str:
    """Text without spaces: a line wrapped anywhere (a long path) still reads the same."""
    return "".join(text.split())


def assert_shown_whole(app: ReadingListApp) -> list[str]:
    """Every text of the dialog (and every option of its menu) is on screen, whole; the texts checked."""
    screen = app.screen
    checked: list[str] = []
    for label in screen.query(Static):  # labels, toggles, the related view's heading
        if not label.display or any(not a.display for a in label.ancestors if hasattr(a, "display")):
            continue
        if any(isinstance(a, ScrollableContainer) for a in label.ancestors):
            continue  # inside a scrolled body (the help's keys): reached by scrolling
        text = _text_of(label)
        region = label.content_region
        assert region.height > 0, f"{text!r} has no room"
        assert screen.region.contains_region(region), f"{text!r} lies outside the screen"
        shown = " ".join(region_lines(app, region))
        assert _squashed(text) in _squashed(shown), (text, shown)
        checked.append(text)
    for options in screen.query(OptionList):
        drawn = region_lines(app, options.content_region)
        shown = _squashed(" ".join(drawn))
        for index in range(options.option_count):
            # The prompts are markup (escaped): compare the text they show.
            prompt = Text.from_markup(str(options.get_option_at_index(index).prompt)).plain
            assert _squashed(prompt) in shown, (prompt, drawn)
            checked.append(prompt)
    return checked


@pytest.fixture
def opened(make: AppFactory, clipboard: object, tmp_path: Path) -> Callable[..., ReadingListApp]:
    """The app with a tag to manage and a clipboard that fails (the copy's text dialog opens)."""

    def build() -> ReadingListApp:
        app = make()
        first = app.library.ids()[0]
        app.library.tag(first, ["a-fairly-long-tag-name"], [])
        clipboard.works = False  # type: ignore[attr-defined]
        return app

    return build


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(DIALOGS))
async def test_every_dialog_shows_its_hints_whole(
    opened: Callable[[], ReadingListApp], tmp_path: Path, name: str, size: tuple[int, int]
) -> None:
    app = opened()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        current_id(app)  # a paper is highlighted: every dialog has something to act on
        await DIALOGS[name](pilot, tmp_path)
        await pilot.pause()
        assert isinstance(app.screen, ModalScreen | RelatedScreen), (name, app.screen)
        checked = assert_shown_whole(app)
        assert checked, "no text checked"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_footer_shows_help_and_quit(make: AppFactory, size: tuple[int, int]) -> None:
    app = make()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        footer = region_lines(app, app.screen.region)[-1]
        assert "? Help" in footer and "q Quit" in footer, footer

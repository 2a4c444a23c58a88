"""The tag manager (``#``) and tab completion in the tag dialog, driven through the real app."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList

from readinglist.core.store import Library
from readinglist.ui.screens.confirm_delete import ConfirmDelete
from readinglist.ui.screens.tag_dialog import TagDialog
from readinglist.ui.screens.tag_manager import TagManager
from readinglist.ui.screens.tag_name_dialog import TagNameDialog
from tests.ui.conftest import AppFactory, main_screen, notices, paper_list, settle
from tests.ui.test_undo_marks import dump


def _options(screen: TagManager) -> list[str]:
    listing = screen.query_one(OptionList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def test_the_tag_manager_lists_filters_and_shows_a_tags_papers(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        lib = app.library
        first, second = lib.ids()[:2]
        lib.tag(first, ["zz/alpha"])
        lib.tag(second, ["zz/beta"])
        await pilot.press("number_sign")
        await pilot.pause()
        manager = app.screen
        assert isinstance(manager, TagManager)
        shown = _options(manager)
        at = shown.index("zz  (0)")
        assert shown[at + 1 : at + 3] == ["  alpha  (1)", "  beta  (1)"]
        manager.query_one(Input).value = "zz/"
        await pilot.pause()
        assert _options(manager) == ["zz/alpha  (1)", "zz/beta  (1)"]
        manager.query_one(Input).value = "zz"
        await pilot.pause()
        await pilot.press("enter")  # the highlighted "zz": its view holds both papers
        await settle(pilot)
        assert main_screen(app).tag == "zz"
        assert sorted(paper_list(app).ids) == sorted([first, second])


async def test_rename_merge_and_delete_in_the_tag_manager(make: AppFactory, db_path: Path) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        lib = app.library
        first, second = lib.ids()[:2]
        lib.tag(first, ["qqold"])
        lib.tag(second, ["qqother"])
        before = dump(db_path)
        await pilot.press("number_sign")
        await pilot.pause()
        manager = app.screen
        assert isinstance(manager, TagManager)
        manager.query_one(Input).value = "qqold"
        await pilot.pause()
        await pilot.press("down", "r")  # to the list, then rename
        await pilot.pause()
        assert isinstance(app.screen, TagNameDialog)
        app.screen.query_one(Input).value = "qqnew"
        await pilot.press("enter")
        await pilot.pause()
        assert any("Renamed #qqold to #qqnew (1 paper)" in n for n in notices(app))
        manager.query_one(Input).value = "qqnew"
        await pilot.pause()
        await pilot.press("down", "m")
        await pilot.pause()
        app.screen.query_one(Input).value = "qqother"
        await pilot.press("enter")
        await pilot.pause()
        manager.query_one(Input).value = "qqother"
        await pilot.pause()
        await pilot.press("down", "d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDelete)
        await pilot.press("y")
        await pilot.pause()
        assert _options(manager) == []
        await pilot.press("escape")
        await settle(pilot)
        with Library(db_path) as lib:
            names = [t for t, _ in lib.all_tags()]
            assert not {"qqold", "qqnew", "qqother"} & set(names)
        # Each is one action, which u takes back, saying what it was.
        await pilot.press("u")
        await settle(pilot)
        assert notices(app)[-1] == "Undid: deleted tag qqother"
        await pilot.press("u")
        await settle(pilot)
        assert notices(app)[-1] == "Undid: merged tags qqnew into qqother"
        await pilot.press("u")
        await settle(pilot)
        assert notices(app)[-1] == "Undid: renamed tag qqold to qqnew"
        assert dump(db_path) == before


async def test_tab_completes_a_tag_in_the_tag_dialog(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        paper_id = paper_list(app).current_id
        assert paper_id is not None
        app.library.tag(app.library.ids()[-1], ["zebra-finches"])
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TagDialog)
        await pilot.press("z", "e", "b")
        await pilot.pause(0.1)
        await pilot.press("tab")
        await pilot.pause()
        assert app.screen.query_one(Input).value == "zebra-finches"
        await pilot.press("enter")
        await settle(pilot)
        assert "zebra-finches" in app.library.get(paper_id).tags


async def test_letters_typed_in_the_filter_filter(make: AppFactory) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.library.tag(app.library.ids()[0], ["rdm-tag"])
        await pilot.press("number_sign")
        await pilot.pause()
        manager = app.screen
        assert isinstance(manager, TagManager)
        await pilot.press("r", "d", "m")  # letters, not rename / delete / merge
        await pilot.pause()
        assert isinstance(app.screen, TagManager)
        assert manager.query_one(Input).value == "rdm"
        assert _options(manager) == ["rdm-tag  (1)"]

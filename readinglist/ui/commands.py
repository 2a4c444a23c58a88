"""Command-palette providers: every bound action by name (saved views after the five views), tag views."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.markup import escape

from readinglist.core.errors import ReadingListError
from readinglist.core.models import View
from readinglist.core.wording import count_of
from readinglist.ui.keys import display_keys, key_rows

if TYPE_CHECKING:
    from readinglist.ui.app import ReadingListApp
    from readinglist.ui.screens.main import MainScreen

Command = tuple[str, str, Callable[[], object]]
"""Palette text, help line, what to run."""

NOT_IN_PALETTE = frozenset({"command-palette", "quit-now"})
"""Bindings the palette leaves out: opening itself, and a second Quit (ctrl+q stays a key)."""


class _ListedCommands(Provider):
    """A provider over a fixed list of commands: all of them when nothing is typed."""

    def _commands(self) -> list[Command]:
        raise NotImplementedError

    async def discover(self) -> Hits:
        """List every command when nothing is typed yet."""
        for text, help_text, run in self._commands():
            yield DiscoveryHit(escape(text), run, help=escape(help_text))

    async def search(self, query: str) -> Hits:
        """Commands whose text matches ``query``."""
        matcher = self.matcher(query)
        for text, help_text, run in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), run, help=help_text)


class ActionCommands(_ListedCommands):
    """Each key binding of the main screen, findable by its description."""

    def _commands(self) -> list[Command]:
        from readinglist.ui.screens.main import MainScreen
        from readinglist.ui.widgets.paper_list import PaperList

        screen = self.screen
        if not isinstance(screen, MainScreen):
            return []
        app: ReadingListApp = self.app  # type: ignore[assignment]
        targets: dict[str, DOMNode] = {"ReadingListApp": app, "MainScreen": screen}
        targets["PaperList"] = screen.query_one(PaperList)
        out: list[Command] = []
        for row in key_rows(app.binding_sources(), app.keymap):
            target = targets.get(row.where)
            if target is None or row.binding_id in NOT_IN_PALETTE:
                continue
            run = partial(app.run_action, row.action, target)
            out.append((row.description, f"key: {display_keys(row.keys)}", run))
            if row.binding_id == LAST_VIEW:
                # Here, not in a provider of their own: the palette lists providers in no set order.
                out.extend(saved_view_commands(screen))
        return out


LAST_VIEW = "view-read"
"""The binding of the fifth view: the saved views follow it in the palette."""


def saved_view_commands(screen: MainScreen) -> list[Command]:
    """A command per saved view: ``Saved view: rag to read`` (listed after the five views)."""
    from readinglist.core import saved_views

    try:
        views = saved_views.all_views(screen.rl_app.library)
    except ReadingListError:
        return []
    out: list[Command] = []
    for n, saved in enumerate(views):
        where = saved.view.value + (f" #{saved.tag}" if saved.tag else "")
        key = f" · key: {n + 6}" if n < 4 else ""
        what = f'{where} "{saved.query}"' if saved.query else where
        out.append((f"Saved view: {saved.name}", what + key, partial(screen.show_saved, saved)))
    return out


class TagViewCommands(_ListedCommands):
    """A view per tag: ``Tag view: #rag``."""

    def _commands(self) -> list[Command]:
        from readinglist.ui.screens.main import MainScreen

        screen = self.screen
        if not isinstance(screen, MainScreen):
            return []
        app: ReadingListApp = self.app  # type: ignore[assignment]
        try:
            tags = app.library.all_tags()
        except ReadingListError:
            return []
        return [
            (f"Tag view: #{name}", count_of(count), partial(screen.show_view, View.ALL, name))
            for name, count in tags
        ]

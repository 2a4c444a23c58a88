"""The footer: Textual's, with ``? Help`` and ``q Quit`` kept in sight at any width."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

KEPT_ACTIONS = frozenset({"help", "quit", "app.help", "app.quit"})
"""Actions whose keys stay visible however narrow the terminal: how to learn the keys, how to leave."""


class AppFooter(Footer):
    """A footer that shows the help and quit keys first.

    The row of keys is cut on the right at 60 columns, where the app's own
    keys came last: ``? Help`` and ``q Quit`` were the first to go.
    """

    def compose(self) -> ComposeResult:
        """Textual's keys, the kept ones moved to the front (``^p Commands`` stays docked right).

        While a widget with ``FOOTER_OWN_KEYS`` has focus (the search box), only its
        keys and the kept ones show: the screen's letter keys would type text there.
        """
        widgets: list[Widget] = list(super().compose())
        if any(not isinstance(w, FooterKey) for w in widgets):
            yield from widgets  # grouped keys: mounted as composed, in Textual's order
            return
        if (own := self._own_actions()) is not None:
            widgets = [
                w
                for w in widgets
                if not isinstance(w, FooterKey)
                or w.action in own
                or w.action in KEPT_ACTIONS
                or w.has_class("-command-palette")
            ]
        kept = [w for w in widgets if isinstance(w, FooterKey) and w.action in KEPT_ACTIONS]
        yield from kept
        yield from (w for w in widgets if w not in kept)

    def _own_actions(self) -> set[str] | None:
        """The focused widget's own shown actions, if it asks for a footer of its own keys."""
        focused = self.screen.focused
        if focused is None or not getattr(focused, "FOOTER_OWN_KEYS", False):
            return None
        return {
            active.binding.action
            for active in self.screen.active_bindings.values()
            if active.node is focused and active.binding.show
        }

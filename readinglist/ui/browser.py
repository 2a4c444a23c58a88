"""Opening a link in the web browser without wrecking the terminal."""

from __future__ import annotations

import webbrowser
from typing import Any

from textual.app import App, SuspendNotSupported

from readinglist.core.link_policy import decide_open

_SHOWN_CHARS = 80


def open_link(app: App[Any], url: str) -> tuple[str, bool]:
    """Open ``url`` and return a message for the user and whether it worked.

    A graphical browser starts in the background. A terminal browser (lynx,
    w3m, or a ``$BROWSER`` command) needs the terminal, so the app is
    suspended while it runs; where suspending is impossible it is not started.
    Only what :func:`~readinglist.core.link_policy.decide_open` allows is
    handed over: http(s) links, never an option or a ``file:`` link.
    """
    decision = decide_open(url)
    if decision.url is None:
        return f"Not opening {_shown(url)}: {decision.reason}.", False
    url = decision.url
    try:
        controller = webbrowser.get()
    except webbrowser.Error:
        return f"No web browser found to open {url} (press y to copy the link).", False
    # BackgroundBrowser (graphical) subclasses GenericBrowser; the exact base class
    # is what webbrowser uses for console browsers and $BROWSER commands.
    in_terminal = type(controller) is webbrowser.GenericBrowser
    try:
        if in_terminal:
            with app.suspend():
                ok = controller.open(url)
        else:
            ok = controller.open(url)
    except SuspendNotSupported:
        return f"The browser needs this terminal, which cannot be handed over here: {url}", False
    except OSError as exc:
        return f"Could not start the browser for {url}: {exc.strerror or exc}", False
    if not ok:
        return f"The browser could not open {url}.", False
    return f"Opened {url}", True


def _shown(url: str) -> str:
    """The link as it may appear in a message: escaped (repr) and cut short."""
    text = repr(url)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"

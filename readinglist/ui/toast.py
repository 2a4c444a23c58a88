"""One style for the short message that confirms an action (``Marked read``, ``Starred``).

Every action that changes a paper says what it did in the same form: a few
words, sentence case, no full stop, optionally followed by ``· u undo``. A new
toast replaces the previous one instead of stacking under it (pressing ``s``
four times leaves one toast, not four); warnings and errors are never
replaced by a toast, as they hold something the user must read.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from textual.app import App
from textual.notifications import Notification, Notify

UNDO_HINT = "u undo"
"""The suffix a toast carries when the action can be undone (the undo key)."""

TOAST_TIMEOUT_S = 3.0
"""How long a toast stays: long enough to read a few words, short enough not to pile up."""

_last: WeakKeyDictionary[App[Any], Notification] = WeakKeyDictionary()


def toast_text(message: str, *, undo: bool = False) -> str:
    """The toast's text: ``message`` without a full stop, and the undo hint when ``undo``."""
    text = message.rstrip().removesuffix(".")
    return f"{text} · {UNDO_HINT}" if undo else text


def toast(app: App[Any], message: str, *, undo: bool = False, title: str = "") -> None:
    """Confirm an action in the app's one toast style, replacing the previous toast.

    Call it on the UI thread (from a thread worker, through ``call_from_thread``).

    Args:
        app: The running app.
        message: What was done, e.g. ``Marked read`` (plain text, never markup:
            it may hold a paper's title or a path).
        undo: Add ``· u undo`` (for actions the undo key can take back).
        title: An optional title line.
    """
    previous = _last.get(app)
    if previous is not None and previous in app._notifications:
        # Textual has no public "replace": remove the previous toast (only ours, never
        # a warning) before adding the new one, so repeats do not stack up.
        app._unnotify(previous, refresh=False)
    notification = Notification(
        toast_text(message, undo=undo), title, "information", TOAST_TIMEOUT_S, markup=False
    )
    _last[app] = notification
    # Added at once, as Textual's own handler of Notify does: a posted message would
    # arrive after a second toast of the same key press had looked for this one.
    app._on_notify(Notify(notification))

"""The reading status key (``R``) and the hint for the queue keys outside the queue view."""

from __future__ import annotations

from typing import TYPE_CHECKING

from readinglist.core.models import Status
from readinglist.ui.keys import display_keys, key_rows

if TYPE_CHECKING:
    from readinglist.ui.app import ReadingListApp

NEXT_STATUS: dict[Status, Status] = {
    Status.UNREAD: Status.READING,
    Status.READING: Status.READ,
    Status.READ: Status.UNREAD,
}
"""What ``R`` makes of each status: unread → reading → read → unread."""

QUEUE_KEY_IDS = frozenset({"queue-up", "queue-down", "queue-top"})
"""The bindings that only act in the queue view."""


def status_toast(status: Status) -> str:
    """The toast for a status just set: ``Marked read``, ``Marked reading``, ``Marked unread``."""
    return f"Marked {status.value}"


def wrong_view_hint(app: ReadingListApp, key: str) -> str | None:
    """Why ``key`` did nothing, when it is a queue key pressed outside the queue view.

    The keys are read through the user's keymap, so a rebound ``K`` is recognised.
    """
    from readinglist.ui.screens.main import MainScreen

    for row in key_rows([MainScreen], app.keymap):
        if row.binding_id in QUEUE_KEY_IDS and key in (k.strip() for k in row.keys.split(",")):
            view_keys = next(
                (
                    display_keys(r.keys)
                    for r in key_rows([MainScreen], app.keymap)
                    if r.binding_id == "view-queue"
                ),
                "2",
            )
            return (
                f"{display_keys(key)} reorders the reading queue: press {view_keys} for the queue view first"
            )
    return None

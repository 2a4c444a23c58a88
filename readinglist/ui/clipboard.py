"""Copying text: OSC 52 through the terminal, and the system clipboard when it really works.

TECH-NOTES §6: ``pyperclip`` raises without a clipboard, and returns silently
with a broken ``DISPLAY`` — only a paste round-trip proves a copy landed.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

import pyperclip
from textual.app import App


class CopyOutcome(enum.Enum):
    """Where a copied text ended up."""

    SYSTEM = "system"
    """The system clipboard holds it (verified by pasting it back)."""
    TERMINAL = "terminal"
    """Only sent to the terminal (OSC 52); it may or may not have arrived."""


def _system_copy(text: str) -> bool:
    try:
        pyperclip.copy(text)
        return bool(pyperclip.paste() == text)
    except (pyperclip.PyperclipException, OSError):
        return False


SystemCopy = Callable[[str], bool]


def copy_text(app: App[Any], text: str, system_copy: SystemCopy = _system_copy) -> CopyOutcome:
    """Copy ``text`` by every route available and say which one is known to work.

    Args:
        app: The running app; its ``copy_to_clipboard`` always runs (OSC 52 works
            over SSH and in tmux, but the terminal never confirms it).
        text: What to copy.
        system_copy: Tries the system clipboard and returns whether a paste gave
            the text back. Tests pass a fake, as CI machines have no clipboard.
    """
    app.copy_to_clipboard(text)
    return CopyOutcome.SYSTEM if system_copy(text) else CopyOutcome.TERMINAL

"""Copying text: OSC 52 through the terminal, and the system clipboard when it really works.

docs/tech-notes.md §3: ``pyperclip`` raises without a clipboard, and returns silently
with a broken ``DISPLAY`` — only a paste round-trip proves a copy landed. It
also shells out, and an X server can hang: the app runs it in a thread.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Callable, Mapping


class CopyOutcome(enum.Enum):
    """Where a copied text ended up."""

    SYSTEM = "system"
    """The system clipboard holds it (verified by pasting it back)."""
    TERMINAL = "terminal"
    """Only sent to the terminal (OSC 52); it may or may not have arrived."""


def _system_copy(text: str) -> bool:
    # Imported on the first copy (in a worker thread): it loads ctypes and platform,
    # which the app's first frame need not wait for.
    import pyperclip

    try:
        pyperclip.copy(text)
        return bool(pyperclip.paste() == text)
    except (pyperclip.PyperclipException, OSError):
        return False


SystemCopy = Callable[[str], bool]
"""Tries the system clipboard and returns whether a paste gave the text back."""

Paste = Callable[[], str]
"""Reads the system clipboard's text (the add dialog's prefill)."""


def system_paste() -> str:
    """The system clipboard's text, or nothing when there is no clipboard (docs/tech-notes.md §3)."""
    # Imported on the first paste, as for copies: the first frame need not wait for it.
    import pyperclip

    try:
        return pyperclip.paste() or ""
    except (pyperclip.PyperclipException, OSError):
        return ""


def system_copy_outcome(text: str, system_copy: SystemCopy = _system_copy) -> CopyOutcome:
    """Try the system clipboard for ``text`` (after OSC 52 was sent) and say what is known to work.

    Args:
        text: What to copy.
        system_copy: The system clipboard attempt; tests pass a fake, as CI
            machines have no clipboard.
    """
    try:
        return CopyOutcome.SYSTEM if system_copy(text) else CopyOutcome.TERMINAL
    except Exception:
        return CopyOutcome.TERMINAL


def osc52_is_the_channel(environ: Mapping[str, str] | None = None) -> bool:
    """Whether OSC 52 is the only way a copy can reach the user's clipboard here.

    Inside tmux or over SSH the system clipboard the app could reach (if any) is
    not the user's: the terminal escape is the channel, and a copy sent through
    it is as confirmed as it can be. Elsewhere an unconfirmed copy may be lost.
    """
    env = os.environ if environ is None else environ
    return any(env.get(name) for name in ("TMUX", "SSH_TTY", "SSH_CONNECTION", "SSH_CLIENT"))

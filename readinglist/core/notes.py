"""Saving a note without overwriting a change made elsewhere.

A note can be written by the app (autosave), a second app, ``readinglist note
--set`` and ``$EDITOR``. Every writer that started from a text it read earlier
passes that text as the *base* of its write; :meth:`Library.set_note` compares
it with the stored note inside the write transaction (a compare-and-swap), and
:func:`resolve` decides what to store. Nothing anyone typed is dropped: when the
stored note changed since the base was read, the writer's text is stored and the
other text follows it in a clearly marked conflict block.
"""

from __future__ import annotations

from typing import NamedTuple

CONFLICT_START = "<<<<<<< changed elsewhere at {when}"
CONFLICT_END = ">>>>>>> end of the text changed elsewhere"


class NoteWrite(NamedTuple):
    """The outcome of saving a note.

    Attributes:
        text: What the library holds now.
        written: Whether the save changed the stored note.
        elsewhere: The stored text that had changed since the writer read it
            (kept in the conflict block, or dropped when empty), or None when
            nothing had changed elsewhere.
    """

    text: str
    written: bool
    elsewhere: str | None = None

    @property
    def conflict(self) -> bool:
        """Whether the note had changed elsewhere and both texts were kept."""
        return self.elsewhere is not None


def resolve(stored: str, text: str, base: str | None, when: str) -> tuple[str, str | None]:
    """What to store when ``text`` replaces a note that was ``base`` when the writer read it.

    Args:
        stored: The note in the library now (read inside the write transaction).
        text: The writer's new note.
        base: The note as the writer read it, or None for an unconditional
            replace (``note --set``).
        when: The time of the write, shown in the conflict block.

    Returns:
        The text to store and the text that changed elsewhere (None if nothing did).
    """
    if base is None or stored in (base, text):
        return text, None
    if text == base:
        # The writer changed nothing: the newer stored text stands.
        return stored, None
    if not stored.strip():
        # Emptied elsewhere: the writer's text loses nothing of it.
        return text, stored
    return conflict_text(text, stored, when), stored


def conflict_text(mine: str, elsewhere: str, when: str) -> str:
    """``mine`` followed by ``elsewhere`` in a marked conflict block.

    ``mine`` is kept as its first characters, so an editor showing it can add
    the block at the end without moving the cursor.
    """
    head = mine if not mine or mine.endswith("\n") else mine + "\n"
    tail = elsewhere if elsewhere.endswith("\n") else elsewhere + "\n"
    blank = "\n" if head else ""
    return f"{head}{blank}{CONFLICT_START.format(when=when)}\n{tail}{CONFLICT_END}\n"

"""Editing text in the user's own editor (``$VISUAL``/``$EDITOR``), for the CLI and the TUI."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from readinglist.core.errors import ReadingListError


def edit_text(text: str, suffix: str = ".md", what: str = "note") -> str | None:
    """Let the user edit ``text`` in ``$VISUAL``/``$EDITOR`` and return the result.

    The file handed to the editor ends with a newline, as a text file should
    (editors add a missing one on saving, which would look like a change).

    Args:
        text: What the editor opens on.
        suffix: The end of the temporary file's name (its extension picks the editor's mode).
        what: What the text is, for the messages (``note``, ``paper``).

    Returns:
        The edited text, or None when the editor left the file as it was: the
        caller then writes nothing and says so.

    Raises:
        ReadingListError: if the editor cannot be started or fails.
    """
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    before = text if not text or text.endswith("\n") else text + "\n"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{what}{suffix}"
        # newline="" keeps the text's own line ends, so an untouched file reads back equal.
        path.write_text(before, encoding="utf-8", newline="")
        try:
            result = subprocess.run([*shlex.split(editor), str(path)], check=False)
        except OSError as exc:
            raise ReadingListError(f"cannot start editor {editor!r}: {exc.strerror or exc}") from None
        if result.returncode != 0:
            raise ReadingListError(
                f"editor {editor!r} exited with status {result.returncode}; {what} unchanged"
            )
        try:
            with path.open(encoding="utf-8", newline="") as edited:
                after = edited.read()
        except FileNotFoundError:
            raise ReadingListError(f"editor {editor!r} removed the file; {what} unchanged") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ReadingListError(f"cannot read back the edited {what}: {exc}; {what} unchanged") from None
    # Neither is the newline added above taken away again, nor the line end an editor
    # writes for an empty buffer.
    if after in (before, text) or (not text and not after.strip("\n")):
        return None
    return after

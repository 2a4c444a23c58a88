"""Editing text in the user's own editor (``$VISUAL``/``$EDITOR``), for the CLI and the TUI."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from readinglist.core.errors import ReadingListError


def edit_text(text: str, suffix: str = ".md") -> str:
    """Let the user edit ``text`` in ``$VISUAL``/``$EDITOR`` and return the result.

    Raises:
        ReadingListError: if the editor cannot be started or fails.
    """
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"note{suffix}"
        path.write_text(text, encoding="utf-8")
        try:
            result = subprocess.run([*shlex.split(editor), str(path)], check=False)
        except OSError as exc:
            raise ReadingListError(f"cannot start editor {editor!r}: {exc.strerror or exc}") from None
        if result.returncode != 0:
            raise ReadingListError(
                f"editor {editor!r} exited with status {result.returncode}; note unchanged"
            )
        return path.read_text(encoding="utf-8")

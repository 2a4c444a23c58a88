"""Editing a paper's fields in the user's editor, as a small TOML document (CLI ``edit``, the app's ``E``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from readinglist.core import paper_edit
from readinglist.core.models import Paper
from readinglist.editor import edit_text

Editor = Callable[[str, str], "str | None"]
"""Opens text in an editor and returns it edited, or None when left unchanged (see ``edit_text``)."""


def _edit(text: str, suffix: str) -> str | None:
    return edit_text(text, suffix=suffix, what="paper")


def edit_fields(paper: Paper, editor: Editor = _edit) -> dict[str, Any] | None:
    """Let the user edit ``paper`` in ``$VISUAL``/``$EDITOR`` until the document parses.

    A value that does not parse reopens the editor with the error on top and
    the user's text below it. Quitting without saving (the file unchanged),
    the first time or after an error, changes nothing.

    Returns:
        The checked changes (maybe empty), or None when the user quit without saving.

    Raises:
        ReadingListError: if the editor cannot be started or fails.
    """
    document = paper_edit.to_toml(paper)
    while True:
        edited = editor(document, f"-paper-{paper.id}.toml")
        if edited is None:
            return None
        try:
            return paper_edit.from_toml(paper, edited)
        except paper_edit.EditError as exc:
            document = paper_edit.with_error(edited, str(exc))

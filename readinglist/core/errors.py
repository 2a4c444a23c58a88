"""Domain errors. Each carries a one-line message meant for the user."""

from __future__ import annotations


class ReadingListError(Exception):
    """Base class: anything the CLI and the TUI should show as one line."""


class PaperNotFound(ReadingListError):
    """No paper has the given id."""

    def __init__(self, paper_id: int) -> None:
        """Build the message from the missing id."""
        super().__init__(f"no paper with id {paper_id}")
        self.paper_id = paper_id


class FormatError(ReadingListError):
    """A file could not be parsed; the message names the file and line."""

    def __init__(self, path: str, line: int, reason: str) -> None:
        """Build a ``path:line: reason`` message."""
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason


class LibraryError(ReadingListError):
    """The library file cannot be used (not a library, corrupt, locked, read-only)."""

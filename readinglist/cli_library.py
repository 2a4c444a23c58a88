"""Which commands may create a library file that does not exist yet.

A mistyped ``--db /tmp/nonexist/x.db stats`` used to create the folder and an
empty library, and then answered about that instead of saying the path was
wrong. The rule (issue #16):

- a command that only reads (:data:`READING_COMMANDS`) never creates a library;
- the app's first start and the writing commands create the *default* library
  (``$READINGLIST_DB`` or the user data folder);
- ``--db`` to a new path creates a library only for :data:`CREATES_AT_NEW_PATH`.

Only a ``stat`` of the path: this runs before every command, the quick search
included, and must stay cheap.
"""

from __future__ import annotations

from pathlib import Path

READING_COMMANDS: frozenset[str] = frozenset({"stats", "list", "show", "search", "export"})
"""Commands that only read the library: they refuse a library file that does not exist."""

CREATES_AT_NEW_PATH: frozenset[str] = frozenset({"import", "add"})
"""Commands that may create a library at a new ``--db`` path."""

OWN_CHECK: frozenset[str] = frozenset({"backup", "restore"})
"""Commands that decide for themselves: ``restore`` writes a library from a backup, and
``backup --list`` lists the backups of a library that may be gone."""


def missing_library(command: str | None, db_path: Path, *, explicit: bool) -> str | None:
    """Why ``command`` must not run on ``db_path``, or None when it may.

    Args:
        command: The subcommand, None for the full-screen app.
        db_path: The library file the command would open.
        explicit: Whether the path came from ``--db`` (not the default library).

    Returns:
        A one-line message (without the ``readinglist:`` prefix) when the
        library file does not exist and this command may not create it.
    """
    if command in CREATES_AT_NEW_PATH or command in OWN_CHECK or db_path.exists():
        return None
    if command is not None and command in READING_COMMANDS:
        return (
            f"no library at {db_path}; check the path, "
            "or make one with `readinglist import FILE` (or `import --sample`)"
        )
    if not explicit:
        return None  # the app's first start, or a writing command, on the default library
    what = "the app" if command is None else f"`{command}`"
    return (
        f"no library at {db_path}; {what} does not create one at a new --db path "
        "(`readinglist --db PATH import FILE` does)"
    )

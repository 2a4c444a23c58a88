"""The arguments of a plain ``readinglist search``, read without argparse.

A search is one short process, and argparse costs it about 12 ms of a
70-100 ms run: importing it, building the parser (a help formatter per
argument, which loads ``shutil``, ``bz2`` and ``lzma`` to measure the
terminal; gettext looking for translations). So :func:`quick_search_args`
reads the common spellings of a search itself and gives up on anything else:
help, an abbreviated or unknown option, a value that needs checking, a word
that starts with ``-``. Then the real parser runs, with its own messages, so
every answer either equals argparse's or comes from argparse
(``tests/reliability/test_server_quick_args.py`` checks this).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    import argparse

DEFAULT_LIMIT = 20
"""``--limit`` when not given: the same default as ``readinglist.cli_parser``."""


def quick_search_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """What argparse would make of ``argv`` for a plain search, or None to let argparse decide.

    Accepted: ``[--db PATH] search [OPTIONS] WORD... [OPTIONS]`` and
    ``[--db PATH] search [OPTIONS] -- WORD...``, where the options are
    ``--db PATH``, ``--limit N`` (also ``--opt=value``) and ``--json``.
    """
    found: dict[str, object] = {"command": "search"}
    rest = list(argv)
    while rest and rest[0] != "search":  # before the command, only --db is ours
        if not _option(rest, found, db_only=True):
            return None
    if not rest:
        return None
    rest.pop(0)
    query: list[str] = []
    while rest:
        word = rest[0]
        if word == "--":
            if query or "--" in rest[1:]:
                return None  # argparse drops only the first "--": leave the rarer cases to it
            query = rest[1:]
            break
        if word.startswith("-"):
            if not _option(rest, found, db_only=False):
                return None
            continue
        if query:
            return None  # words after options that followed words: argparse reports them
        while rest and not rest[0].startswith("-"):
            query.append(rest.pop(0))
    if not query:
        return None
    found.setdefault("limit", DEFAULT_LIMIT)
    found.setdefault("json", False)
    # The handlers only read attributes, which a SimpleNamespace has as argparse's Namespace does.
    return cast("argparse.Namespace", SimpleNamespace(query=query, **found))


def _option(rest: list[str], found: dict[str, object], *, db_only: bool) -> bool:
    """Take one option off the front of ``rest`` into ``found``; False if it is not a plain one."""
    name, equals, value = rest[0].partition("=")
    if name == "--json" and not equals and not db_only:
        rest.pop(0)
        found["json"] = True
        return True
    if name not in ("--db", "--limit") or (db_only and name != "--db"):
        return False
    if not equals:
        if len(rest) < 2:
            return False
        value = rest[1]
        if value.startswith("-") or value == "":
            return False  # argparse decides whether that is a value or an option
    rest[: 1 if equals else 2] = []
    if name == "--db":
        found["db"] = Path(value)
        return True
    if not value.isdigit() or not value.isascii() or len(value) > 18:
        # argparse's int() takes more ("+5", " 5", "1_0"), and reports the rest (a limit
        # too large for SQLite among them: 18 digits always fit in 63 bits).
        return False
    found["limit"] = int(value)
    return True

"""Citation keys stored with papers: one per paper, unique in the library, given once.

A paper keeps the key its file gave it (a BibTeX key, a CSL ``id``, a RIS
``ID``); one that came without gets a key made as the BibTeX export has always
made them (:func:`~readinglist.core.formats.bibtex.key_from`), so the keys of
earlier exports stay valid. A key another paper has gets a letter (``a``, ``b``…).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Set
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite-utils is slow to import; only the type is needed here
    from sqlite_utils import Database

_CHUNK = 500
# The first name of a JSON author list when it holds no escape (nearly always).
_FIRST_PLAIN = re.compile(r'\["([^"\\]*)"[,\]]')


@contextmanager
def update_triggers_off(db: Database) -> Iterator[None]:
    """Take off the table-wide ``AFTER UPDATE`` triggers of ``papers`` for a key-only update.

    The full-text index's update trigger fires on every column and re-indexes
    the row; the key is not indexed, so writing keys need not touch it (and
    rows an import has not indexed yet must not be). Column-list triggers
    (``AFTER UPDATE OF title …``) never fire for the key and stay. The caller's
    transaction covers the drop, so a rollback brings the triggers back.
    """
    triggers = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'papers' "
        "AND sql LIKE '%AFTER UPDATE ON%'"
    ).fetchall()
    for name, _ in triggers:
        db.execute(f'DROP TRIGGER "{name}"')
    try:
        yield
    finally:
        for _, sql in triggers:
            db.execute(sql)


def settle(
    db: Database, first_id: int, also: Set[int] = frozenset(), notices: list[str] | None = None
) -> int:
    """Give the papers from ``first_id`` on (and those in ``also``) their final, unique keys.

    Keys a file gave come first, in id order; then every paper without one gets
    a generated key, in id order. A file's key that another paper has already
    gets a letter, and ``notices`` says so.

    Returns:
        How many keys were written.
    """
    from readinglist.core.formats.bibtex import key_from, unique_key  # bibtexparser: only when writing keys

    rows = db.execute(
        "SELECT id, key, title, authors, year FROM papers WHERE id >= ? ORDER BY id", [first_id]
    ).fetchall()
    if also:
        marks = ",".join("?" * len(also))
        rows += db.execute(
            f"SELECT id, key, title, authors, year FROM papers WHERE id IN ({marks}) AND id < ?",
            [*also, first_id],
        ).fetchall()
        rows.sort()
    if not rows:
        return 0
    ours = {r[0] for r in rows}
    given = [r for r in rows if r[1]]
    stored = _stored_keys(db, [r[1] for r in given], ours)
    used: set[str] = set()
    loaded: set[str] = set()
    # Per base, how many suffixes are known to be taken: the next paper of that base starts there.
    tried: dict[str, int] = {}

    def taken(key: str) -> bool:
        return key in used or key in stored

    def pick(key: str) -> str:
        if taken(key) and key not in loaded:
            # Suffixed keys are only looked up after a clash, all at once.
            loaded.add(key)
            _load_prefix(db, key, ours, stored)
        chosen = unique_key(key, taken, tried.get(key, 0))
        used.add(chosen)
        if chosen != key or key in tried:
            tried[key] = _suffix_number(chosen[len(key) :])
        return chosen

    final: dict[int, str] = {}
    for paper_id, key, *_ in given:
        final[paper_id] = pick(key)
        if final[paper_id] != key and notices is not None:
            notices.append(
                f"citation key {key!r} is taken by another paper; paper {paper_id} has {final[paper_id]!r}"
            )
    made = {r[0]: key_from(r[2], _first_author(r[3]), r[4], r[0]) for r in rows if not r[1]}
    stored |= _stored_keys(db, list(made.values()), ours)
    for paper_id, key in made.items():
        final[paper_id] = pick(key)
    current = {r[0]: r[1] for r in rows}
    changes = [(key, paper_id) for paper_id, key in final.items() if key != current[paper_id]]
    if changes:
        with update_triggers_off(db):
            db.conn.executemany("UPDATE papers SET key = ? WHERE id = ?", changes)
    return len(changes)


def _stored_keys(db: Database, keys: list[str], ours: Set[int]) -> set[str]:
    """Which of ``keys`` papers outside ``ours`` have."""
    found: set[str] = set()
    unique = list(dict.fromkeys(keys))
    for start in range(0, len(unique), _CHUNK):
        chunk = unique[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        rows = db.execute(f"SELECT id, key FROM papers WHERE key IN ({marks})", chunk)
        found.update(key for paper_id, key in rows if paper_id not in ours)
    return found


def _load_prefix(db: Database, key: str, ours: Set[int], stored: set[str]) -> None:
    """Add to ``stored`` every key starting with ``key`` that a paper outside ``ours`` has."""
    rows = db.execute("SELECT id, key FROM papers WHERE key >= ? AND key < ?", [key, key + "\uffff"])
    stored.update(k for paper_id, k in rows if paper_id not in ours)


def _suffix_number(letters: str) -> int:
    """``a`` → 1, ``z`` → 26, ``aa`` → 27: the inverse of the BibTeX writer's key suffixes."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - ord("a") + 1
    return n


def _first_author(authors_json: str | None) -> list[str]:
    """The first author of a stored author list (a key needs no other), without a JSON parse when plain."""
    if not authors_json or authors_json == "[]":
        return []
    plain = _FIRST_PLAIN.match(authors_json)
    return [plain.group(1)] if plain else list(json.loads(authors_json))[:1]

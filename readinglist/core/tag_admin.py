"""Managing tags as a whole: names a tag may have, rename, merge, delete, and the tag tree.

Tag names are hierarchical: ``ml/rl`` is a tag of its own, under ``ml``;
filtering by ``ml`` also finds it. A name may not hold a comma (BibTeX's
``keywords`` and our CSV separate tags with it, so ``a,b`` would come back as
two tags). Each change runs in one write transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from readinglist.core import saved_view_tags
from readinglist.core.errors import ReadingListError
from readinglist.core.store import Library


class TagError(ReadingListError):
    """A tag name that cannot be used, or a tag that does not exist."""


def check_name(raw: str) -> str:
    """A tag name as stored (trimmed, a leading ``#`` dropped, spaces squashed), or a :class:`TagError`."""
    name = " ".join(raw.strip().lstrip("#").split())
    if not name:
        raise TagError(f"tag {raw!r} is empty")
    if "," in name:
        raise TagError(f"tag {name!r} holds a comma; tags cannot (BibTeX and CSV would split it in two)")
    if any(not part.strip() for part in name.split("/")):
        raise TagError(f"tag {name!r} has an empty level (write ml/rl, not ml//rl or ml/)")
    return name


def _existing(raw: str) -> str:
    """A stored tag's name as typed: trimmed, ``#`` dropped (it may hold a comma from an older version)."""
    return " ".join(raw.strip().lstrip("#").split())


def shown(name: str) -> str:
    """A tag as the CLI prints it: quoted when it holds a space or a quote, so the words stay one tag."""
    if not any(c in name for c in ' "\t'):
        return name
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _stored(library: Library, name: str) -> tuple[int, str]:
    row = library.conn.execute("SELECT id, name FROM tags WHERE name = ? COLLATE NOCASE", [name]).fetchone()
    if row is None:
        raise TagError(f"no tag {name!r}")
    return int(row[0]), str(row[1])


def _exists(library: Library, name: str) -> bool:
    return (
        library.conn.execute("SELECT 1 FROM tags WHERE name = ? COLLATE NOCASE", [name]).fetchone()
        is not None
    )


def _papers_of(library: Library, tag_id: int) -> list[int]:
    return [r[0] for r in library.conn.execute("SELECT paper_id FROM paper_tags WHERE tag_id = ?", [tag_id])]


def _merge_ids(library: Library, source: int, target: int) -> list[int]:
    """Move every paper of tag ``source`` to ``target`` and drop ``source``; return the papers touched."""
    papers = _papers_of(library, source)
    library.db.execute(
        "INSERT OR IGNORE INTO paper_tags(paper_id, tag_id) "
        "SELECT paper_id, ? FROM paper_tags WHERE tag_id = ?",
        [target, source],
    )
    library.db.execute("DELETE FROM paper_tags WHERE tag_id = ?", [source])
    library.db.execute("DELETE FROM tags WHERE id = ?", [source])
    return papers


def rename(library: Library, old: str, new: str) -> int:
    """Rename a tag, and the tags under it (``ml/rl`` follows ``ml``); into an existing name, merge.

    Returns:
        How many papers carry the renamed tags.
    """
    new_name = check_name(new)
    old_name = _existing(old)
    # Renaming ml to ml/x: the tags under ml (and saved views' names of them) stay where they are.
    into_itself = new_name.casefold().startswith(old_name.casefold() + "/")
    with library.action(f"renamed tag {old_name} to {new_name}"):
        below = library.conn.execute(
            "SELECT id, name FROM tags WHERE name LIKE ? ESCAPE '\\' ORDER BY name",
            [_like(old_name) + "/%"],
        ).fetchall()
        # A level no paper carries on its own (ml, when only ml/rl exists) renames the tags under it.
        top = [_stored(library, old_name)] if below == [] or _exists(library, old_name) else []
        old_id = top[0][0] if top else None
        touched: set[int] = set()
        for tag_id, name in [*top, *below]:
            target = new_name + name[len(old_name) :]
            if into_itself and tag_id != old_id:
                continue
            touched.update(_papers_of(library, tag_id))
            row = library.conn.execute(
                "SELECT id FROM tags WHERE name = ? COLLATE NOCASE AND id != ?", [target, tag_id]
            ).fetchone()
            if row is None:
                library.db.execute("UPDATE tags SET name = ? WHERE id = ?", [target, tag_id])
            else:
                _merge_ids(library, tag_id, int(row[0]))
        saved_view_tags.follow(library, old_name, new_name, below=not into_itself)
    return len(touched)


def merge(library: Library, sources: Sequence[str], into: str) -> int:
    """Give every paper of the ``sources`` tags the tag ``into`` (created if need be), and drop the sources.

    Returns:
        How many papers carried a source tag.
    """
    target_name = check_name(into)
    with library.action(f"merged tags {', '.join(sources)} into {target_name}"):
        found = [_stored(library, _existing(s)) for s in sources]
        library.db.execute("INSERT OR IGNORE INTO tags(name) VALUES (?)", [target_name])
        target_id, _ = _stored(library, target_name)
        touched: set[int] = set()
        for tag_id, name in found:
            if tag_id != target_id:
                touched.update(_merge_ids(library, tag_id, target_id))
                saved_view_tags.follow(library, name, target_name, below=False)
    return len(touched)


def delete(library: Library, name: str) -> int:
    """Take a tag off every paper and drop it (papers keep their other tags, and the tags under it).

    Returns:
        How many papers carried it.
    """
    with library.action(f"deleted tag {name}"):
        tag_id, _ = _stored(library, _existing(name))
        papers = _papers_of(library, tag_id)
        library.db.execute("DELETE FROM paper_tags WHERE tag_id = ?", [tag_id])
        library.db.execute("DELETE FROM tags WHERE id = ?", [tag_id])
    return len(papers)


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class TagNode(NamedTuple):
    """One line of the tag tree."""

    name: str
    """The full name (``ml/rl``)."""
    papers: int
    """Papers carrying exactly this tag (0 for a level no paper carries on its own)."""
    depth: int
    """How many levels above it: 0 for ``ml``, 1 for ``ml/rl``."""


def tree(tags: Iterable[tuple[str, int]]) -> list[TagNode]:
    """Tags with counts in tree order: each level after its parent, alphabetically.

    A level that is only a prefix (``ml`` when only ``ml/rl`` exists) appears with a count of 0.
    """
    counts: dict[str, int] = {}
    spelled: dict[str, str] = {}
    for name, count in tags:
        parts = name.split("/")
        for depth in range(1, len(parts)):
            prefix = "/".join(parts[:depth])
            spelled.setdefault(prefix.casefold(), prefix)
            counts.setdefault(prefix.casefold(), 0)
        spelled[name.casefold()] = name
        counts[name.casefold()] = counts.get(name.casefold(), 0) + count
    order = sorted(counts, key=lambda k: k.split("/"))
    return [TagNode(spelled[k], counts[k], k.count("/")) for k in order]

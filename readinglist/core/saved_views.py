"""Saved searches: a search, with its view and tag, kept in the library under a name of its own.

They live in the ``saved_views`` table, so they travel with the library file
(a backup, a copy) and every change to them is undoable like any other.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from readinglist.core.errors import LibraryError
from readinglist.core.models import View
from readinglist.core.safe_text import visible
from readinglist.core.store import Library

MAX_NAME = 60


class SavedView(NamedTuple):
    """A saved search: what the list showed when it was saved."""

    name: str
    query: str
    view: View
    tag: str | None


def _clean(name: str) -> str:
    """A view name with its spaces folded; a one-line error if it cannot be one."""
    clean = " ".join(name.split())
    if not clean:
        raise LibraryError("a saved view needs a name")
    if len(clean) > MAX_NAME:
        raise LibraryError(f"a view name has at most {MAX_NAME} characters ({len(clean)} given)")
    if clean.casefold() in {v.value for v in View}:
        raise LibraryError(f'"{clean}" is a built-in view; choose another name')
    return clean


def all_views(library: Library) -> list[SavedView]:
    """Every saved view, oldest first (the app's keys 6-9 are the first four)."""
    with library.errors():
        rows = library.conn.execute("SELECT name, query, view, tag FROM saved_views ORDER BY id").fetchall()
    return [SavedView(name, query, View(view), tag) for name, query, view, tag in rows]


def find(library: Library, name: str) -> SavedView | None:
    """The saved view called ``name`` (case ignored), or None."""
    wanted = " ".join(name.split()).casefold()
    return next((v for v in all_views(library) if v.name.casefold() == wanted), None)


def save(
    library: Library, name: str, query: str, view: View, tag: str | None, *, replace: bool = False
) -> SavedView:
    """Save a search under ``name``; an existing view of that name is replaced only with ``replace``.

    Raises:
        LibraryError: a bad name, or one in use (without ``replace``).
    """
    clean = _clean(name)
    saved = SavedView(clean, query.strip(), view, tag)
    with library.action(f'saved the view "{clean}"') as db:
        existing = find(library, clean)
        if existing is not None and not replace:
            raise LibraryError(f'a saved view is already called "{existing.name}"')
        if existing is not None:
            db.execute(
                "UPDATE saved_views SET name = ?, query = ?, view = ?, tag = ? WHERE name = ? COLLATE NOCASE",
                [clean, saved.query, view.value, tag, clean],
            )
        else:
            db.execute(
                "INSERT INTO saved_views (name, query, view, tag) VALUES (?, ?, ?, ?)",
                [clean, saved.query, view.value, tag],
            )
    return saved


def rename(library: Library, old: str, new: str) -> None:
    """Rename a saved view.

    Raises:
        LibraryError: no view called ``old``, a bad new name, or one in use.
    """
    current = _require(library, old)
    clean = _clean(new)
    other = find(library, clean)
    if other is not None and other.name.casefold() != current.name.casefold():
        raise LibraryError(f'a saved view is already called "{other.name}"')
    with library.action(f'renamed the view "{current.name}" to "{clean}"') as db:
        db.execute("UPDATE saved_views SET name = ? WHERE name = ? COLLATE NOCASE", [clean, current.name])


def delete(library: Library, name: str) -> None:
    """Delete a saved view (the papers it shows are untouched)."""
    current = _require(library, name)
    with library.action(f'deleted the view "{current.name}"') as db:
        db.execute("DELETE FROM saved_views WHERE name = ? COLLATE NOCASE", [current.name])


def _require(library: Library, name: str) -> SavedView:
    found = find(library, name)
    if found is None:
        raise LibraryError(f'no saved view called "{" ".join(name.split())}"{_known(library)}')
    return found


def _known(library: Library) -> str:
    names = [v.name for v in all_views(library)]
    return f" (saved views: {', '.join(names)})" if names else " (there are no saved views)"


def to_dict(saved: SavedView) -> dict[str, Any]:
    """A saved view as JSON (``views --json`` and the ``views`` member of a JSON export)."""
    return {"name": saved.name, "query": saved.query, "view": saved.view.value, "tag": saved.tag}


def from_dict(obj: Any) -> SavedView:
    """A saved view read back from :func:`to_dict`'s shape (``query``, ``view``, ``tag`` optional).

    Raises:
        ValueError: saying what is wrong with it.
    """
    if not isinstance(obj, dict):
        raise ValueError(f"a saved view must be a JSON object, not {type(obj).__name__}")
    name, query, view, tag = obj.get("name"), obj.get("query") or "", obj.get("view") or "all", obj.get("tag")
    if not isinstance(name, str):
        raise ValueError("a saved view needs a name")
    if not isinstance(query, str) or not isinstance(view, str) or not isinstance(tag, (str, type(None))):
        raise ValueError(f'saved view "{visible(name[:MAX_NAME])}": query, view and tag must be text')
    if view not in {v.value for v in View}:
        raise ValueError(f'saved view "{visible(name[:MAX_NAME])}": unknown view {visible(repr(view[:40]))}')
    try:
        clean = _clean(name)
    except LibraryError as exc:
        raise ValueError(visible(str(exc))) from None
    return SavedView(clean, query.strip(), View(view), tag or None)


def add_missing(library: Library, views: list[SavedView]) -> tuple[list[str], list[str]]:
    """Add the saved views whose names are free; a name in use keeps the library's view.

    Meant for an import: it joins the caller's action (one undo removes both).

    Returns:
        The names added and the names kept as they were.
    """
    added: list[str] = []
    kept: list[str] = []
    with library.action("added saved views") as db:
        for saved in views:
            existing = find(library, saved.name)
            if existing is not None:
                kept.append(existing.name)
                continue
            db.execute(
                "INSERT INTO saved_views (name, query, view, tag) VALUES (?, ?, ?, ?)",
                [saved.name, saved.query, saved.view.value, saved.tag],
            )
            added.append(saved.name)
    return added, kept


def resolve(library: Library, name: str) -> tuple[View, str | None, str | None]:
    """A ``--view`` argument as (view, query, tag): a built-in view, or a saved one.

    Raises:
        LibraryError: neither a built-in view nor a saved one.
    """
    if name in {v.value for v in View}:
        return View(name), None, None
    found = find(library, name)
    if found is None:
        builtin = ", ".join(v.value for v in View)
        raise LibraryError(f'no view called "{name}": the views are {builtin}{_known(library)}')
    return found.view, found.query or None, found.tag

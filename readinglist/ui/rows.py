"""What the status line says about the rows shown: the view's name, its size, the matches."""

from __future__ import annotations

from readinglist.core.models import View
from readinglist.core.search.session import Rows

_VIEW_LABELS = {
    View.ALL: "All",
    View.QUEUE: "Queue",
    View.STARRED: "Starred",
    View.UNREAD: "Unread",
    View.READ: "Read",
}


def view_label(view: View, tag: str | None) -> str:
    """How the status line names a view: ``Queue``, or ``#rag`` for a tag's view."""
    return f"#{tag}" if tag else _VIEW_LABELS[view]


_EMPTY_VIEW = {
    View.ALL: "No papers yet: i imports a file, A adds by arXiv id, DOI or URL",
    View.QUEUE: "No papers in the queue: a adds the highlighted paper (1 shows all)",
    View.STARRED: "No starred papers: s stars the highlighted paper (1 shows all)",
    View.UNREAD: "No unread papers: r marks a read paper unread (5 shows the read)",
    View.READ: "No read papers: r marks the highlighted paper read (4 shows the unread)",
}

_QUERY_SHOWN = 30
"""A longer query is cut in the empty-search line, so that what to do next stays in sight."""


def empty_text(rows: Rows) -> str | None:
    """What an empty list should say to do next; None while the list has rows (or is loading)."""
    if rows.ids or rows.partial:
        return None
    request = rows.request
    if rows.view_count == 0:
        # Searching an empty view finds nothing whatever is typed: say how to fill the view.
        if request.tag:
            return f"No papers tagged #{request.tag}: t tags the highlighted paper (1 shows all)"
        return _EMPTY_VIEW[request.view]
    query = request.query.strip()
    if len(query) > _QUERY_SHOWN:
        query = query[: _QUERY_SHOWN - 1] + "…"
    return f'Nothing matches "{query}": esc clears the search'


def status_text(label: str, rows: Rows) -> str:
    """The status line: ``All · 220 papers`` or ``All · 220 · 14 match "speculative"``.

    An empty list says what to do next instead (:func:`empty_text`); the search's
    hints have their own line under the search box (``MainScreen``).
    """
    if rows.partial:
        return f"{label} · counting…"
    if (empty := empty_text(rows)) is not None:
        return f"{label} · {empty}"
    if rows.matches is None:
        return f"{label} · {rows.view_count} {'paper' if rows.view_count == 1 else 'papers'}"
    more = "+" if rows.more else ""
    text = f'{label} · {rows.view_count} · {rows.matches}{more} match "{rows.request.query.strip()}"'
    if rows.more or rows.matches > len(rows.ids):
        text += f" (best {len(rows.ids)} shown)"
    if rows.words is not None and len(rows.ids) > rows.words:
        text += f" · {len(rows.ids) - rows.words} related by meaning"
    return text

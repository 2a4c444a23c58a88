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


def status_text(label: str, rows: Rows) -> str:
    """The status line: ``All · 220 papers`` or ``All · 220 · 14 match "speculative"``."""
    if rows.partial:
        return f"{label} · counting…"
    if rows.matches is None:
        return f"{label} · {rows.view_count} {'paper' if rows.view_count == 1 else 'papers'}"
    more = "+" if rows.more else ""
    text = f'{label} · {rows.view_count} · {rows.matches}{more} match "{rows.request.query.strip()}"'
    if rows.more or rows.matches > len(rows.ids):
        text += f" (best {len(rows.ids)} shown)"
    if rows.words is not None and len(rows.ids) > rows.words:
        text += f" · {len(rows.ids) - rows.words} related by meaning"
    if rows.hint:
        text += f" · {rows.hint}"
    return text

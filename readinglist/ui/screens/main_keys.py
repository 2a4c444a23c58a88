"""The main screen's key bindings: one table, so the screen module stays about behaviour."""

from __future__ import annotations

from textual.binding import Binding, BindingType

# key, action, footer label, binding id (the keymap's name), long description, shown in the footer
_TABLE: list[tuple[str, str, str, str, str, bool]] = [
    ("slash", "focus_search", "Search", "search", "Search as you type (enter goes to the list)", True),
    (
        "escape",
        "clear_search",
        "Clear search",
        "clear-search",
        "Clear the search and return to the list",
        False,
    ),
    ("tab", "app.focus_next", "Next pane", "focus-next", "Next pane", False),
    ("shift+tab", "app.focus_previous", "Previous pane", "focus-previous", "Previous pane", False),
    ("s", "star", "Star", "star", "Star or unstar the paper", True),
    ("t", "tags", "Tags", "tags", "Edit tags (comma-separated, -name removes)", True),
    ("a", "queue", "Queue", "queue", "Add to or remove from the reading queue", True),
    ("r", "toggle_read", "Read", "toggle-read", "Mark read or unread", True),
    ("R", "cycle_status", "Status", "cycle-status", "Status: unread → reading → read", False),
    ("K", "queue_move(-1)", "Move up", "queue-up", "Queue view: move the paper up", True),
    ("J", "queue_move(1)", "Move down", "queue-down", "Queue view: move the paper down", True),
    ("T", "queue_top", "To top", "queue-top", "Queue view: send the paper to the top", True),
    ("n", "notes", "Notes", "notes", "Write the paper's note", True),
    ("e", "edit_note", "Edit note", "edit-note", "Edit the note in $EDITOR", False),
    ("y", "copy_link", "Copy", "copy-link", "Copy the primary link", True),
    ("Y", "copy_menu", "Copy…", "copy-menu", "Copy…: link, Markdown link, title, code link or BibTeX", False),
    ("o", "open_link", "Open", "open-link", "Open the primary link in the browser", False),
    (
        "m",
        "related",
        "Related",
        "related",
        "Related: papers most like this one (esc leaves)",
        False,
    ),
    ("1", "view('all')", "All", "view-all", "View all papers", False),
    ("2", "view('queue')", "Queue view", "view-queue", "View the reading queue, in order", False),
    ("3", "view('starred')", "Starred", "view-starred", "View starred papers", False),
    ("4", "view('unread')", "Unread", "view-unread", "View unread papers", False),
    ("5", "view('read')", "Read view", "view-read", "View read papers", False),
    (
        "0",  # 6-9 open saved views
        "suggested",
        "Suggested",
        "view-suggested",
        "Suggested: unread papers like the starred",
        False,
    ),
    ("i", "import_papers", "Import", "import", "Import papers from files (BibTeX, arXiv, JSON, CSV)", False),
    ("x", "export_view", "Export", "export", "Export this view (and search) to a file", False),
    ("A", "add_papers", "Add", "add", "Add papers by arXiv id, DOI, URL or BibTeX", False),
    ("E", "edit_paper", "Edit", "edit-paper", "Edit the paper's fields in $EDITOR (TOML)", False),
    ("D", "delete_paper", "Delete", "delete-paper", "Delete the paper (asks first)", False),
    (
        "number_sign",
        "tag_manager",
        "Tag list",
        "tag-manager",
        "Tags: counts, filter, rename, merge, delete",
        False,
    ),
    (
        "greater_than_sign",
        "widen_list(1)",
        "Wider list",
        "list-wider",
        "Widen the list (the details narrow)",
        False,
    ),
    (
        "less_than_sign",
        "widen_list(-1)",
        "Wider details",
        "details-wider",
        "Widen the details (the list narrows)",
        False,
    ),
]

MAIN_BINDINGS: list[BindingType] = [
    Binding(key, action, label, id=binding_id, tooltip=long, show=show)
    for key, action, label, binding_id, long, show in _TABLE
]
"""Every binding of the main screen."""

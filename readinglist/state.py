"""Choices the app remembers between runs (the last export format and folder).

A convenience, never a source of errors: a missing, unreadable or malformed
file reads as empty, and a failed write is ignored (the choice is simply not
remembered). No Textual here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from readinglist import paths


def load_state(path: Path | None = None) -> dict[str, str]:
    """The remembered values (string keys and values only; anything else is dropped)."""
    path = path or paths.state_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


def remember(values: dict[str, str], path: Path | None = None) -> None:
    """Store ``values`` over the remembered ones (written whole, then renamed into place)."""
    path = path or paths.state_path()
    state = load_state(path) | values
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_name(path.name + ".part")
        part.write_text(json.dumps(state, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(part, path)
    except OSError:
        pass  # not remembered: the dialog proposes the defaults next time

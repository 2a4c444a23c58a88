"""Every key binding of the app in one list: for the help screen, the palette and the README test."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from textual.binding import Binding
from textual.dom import DOMNode


@dataclass(frozen=True)
class KeyRow:
    """One binding as the user sees it."""

    keys: str
    """The key(s), comma-separated, after the user's keymap."""
    description: str
    binding_id: str
    action: str
    where: str
    """The class whose binding this is (``MainScreen``, ``PaperList``…)."""


def key_rows(sources: Iterable[type[DOMNode]], keymap: Mapping[str, str] | None = None) -> list[KeyRow]:
    """The bindings declared directly on each of ``sources``, in declaration order."""
    keymap = keymap or {}
    rows: list[KeyRow] = []
    for cls in sources:
        for binding in cls.__dict__.get("BINDINGS", []):
            if not isinstance(binding, Binding) or binding.system:
                continue
            binding_id = binding.id or ""
            keys = keymap.get(binding_id, binding.key)
            # The tooltip is the long form; the footer shows the short description.
            description = binding.tooltip or binding.description
            rows.append(KeyRow(keys, description, binding_id, binding.action, cls.__name__))
    return rows


def display_keys(keys: str) -> str:
    """Keys as shown to people: ``slash`` as ``/``, one per comma."""
    names = {
        "slash": "/",
        "question_mark": "?",
        "escape": "esc",
        "number_sign": "#",
        "asterisk": "*",
        "less_than_sign": "<",
        "greater_than_sign": ">",
    }
    return ", ".join(names.get(k.strip(), k.strip()) for k in keys.split(","))

"""Small wording helpers shared by the command line and the app (no Textual here)."""

from __future__ import annotations


def count_of(count: int, noun: str = "paper", plural: str | None = None) -> str:
    """``count`` and ``noun``, singular for one: ``1 paper``, ``0 papers``, ``3 papers``.

    Args:
        count: How many.
        noun: The singular noun.
        plural: The plural when it is not ``noun + "s"``.
    """
    return f"{count} {noun if count == 1 else plural or noun + 's'}"

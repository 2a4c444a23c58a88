"""The README's key table must match the app's bindings exactly."""

from __future__ import annotations

import re
from pathlib import Path

from readinglist.ui.app import ReadingListApp
from readinglist.ui.keys import display_keys, key_rows

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_key_rows() -> list[tuple[str, str, str]]:
    text = README.read_text(encoding="utf-8")
    start = text.index("<!-- section: keys (TUI) -->")
    end = text.index("<!-- section:", start + 1)
    rows = []
    for line in text[start:end].splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if len(cells) != 3 or cells[0] in ("key", "---"):
            continue
        keys = ", ".join(re.findall(r"`([^`]+)`", cells[0]))
        # Markdown escapes keep "[title](url)" from rendering as a link; the binding has none.
        description = re.sub(r"\\([\[\]()|*_])", r"\1", cells[1])
        rows.append((keys, description, cells[2].strip("`")))
    return rows


def test_readme_key_table_matches_the_bindings() -> None:
    expected = [
        (display_keys(row.keys), row.description, row.binding_id)
        for row in key_rows(ReadingListApp.binding_sources())
    ]
    assert readme_key_rows() == expected


def test_every_binding_has_an_id_and_a_description() -> None:
    rows = key_rows(ReadingListApp.binding_sources())
    assert len(rows) > 30
    for row in rows:
        assert row.binding_id and row.description, row
    # Ids are the keymap's keys, so each names one binding.
    assert len({row.binding_id for row in rows}) == len(rows)

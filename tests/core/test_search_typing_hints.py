"""A filter value being typed waits for its hint only while it can still become valid (#16)."""

from __future__ import annotations

import pytest

from readinglist.core.search.parser import parse


@pytest.mark.parametrize(
    "text", ["x year:20", "x year:>=20", "x year:2020..20", "x added:<7", "x added:2024-0"]
)
def test_a_value_that_may_still_become_valid_waits(text: str) -> None:
    assert parse(text).hints == []


@pytest.mark.parametrize(("text", "field"), [("x year:soon", "year"), ("x added:later", "added")])
def test_a_value_that_never_becomes_valid_is_hinted_while_typing(text: str, field: str) -> None:
    hints = parse(text).hints
    assert len(hints) == 1 and hints[0].startswith(f"{field}:")

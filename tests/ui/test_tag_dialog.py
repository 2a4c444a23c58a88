"""The tag dialog's pieces: parsing ``+tag, -tag`` changes and completing the last tag typed."""

from __future__ import annotations

from readinglist.ui.screens.tag_dialog import TagSuggester, parse_tag_changes


def test_parse_tag_changes() -> None:
    assert parse_tag_changes(" rag, #llm ,-survey, - old ,, ") == (["rag", "#llm"], ["survey", "old"])
    assert parse_tag_changes("") == ([], [])


async def test_tag_suggester_completes_the_last_part() -> None:
    suggest = TagSuggester(["retrieval", "rag", "survey"])
    assert await suggest.get_suggestion("ra") == "rag"
    assert await suggest.get_suggestion("llm, su") == "llm, survey"
    assert await suggest.get_suggestion("llm, -ret") == "llm, -retrieval"
    assert await suggest.get_suggestion("llm, ") is None
    assert await suggest.get_suggestion("survey") is None

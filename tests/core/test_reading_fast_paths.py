"""The reading side's fast paths (#13) give exactly what the general code they skip gives.

Each fast path is compared with the plain code it stands in for, on generated
strings built from the pieces that decide which path is taken (white space of
every kind, long and short text, ASCII and not, odd shapes of JSON values).
"""

from __future__ import annotations

import re
import sys
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from readinglist.core import links
from readinglist.core.formats import arxiv_jsonl, bibtex_fields, bibtex_latex
from readinglist.core.formats.bibtex_latex import LATEX_HINT
from readinglist.core.importing import prepare
from readinglist.core.models import PaperDraft
from readinglist.core.spaces import squash

WHITE = [" ", "  ", "\n", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0", "\u2003", "\u3000"]
ASCII_WORDS = ["a", "Word", "$x$", "-", "0", "x" * 60, "long words here " * 4 + "end"]
WORDS = [*ASCII_WORDS, "é", "ß", "İ", "\u200b", "\xad"]


def _with_breaks(words: list[str], breaks: list[tuple[int, str]]) -> str:
    """Words one space apart (clean text, long or short), with a few kinds of white space put in."""
    text = " ".join(words)
    for at, white in breaks:
        at %= len(text) + 1
        text = text[:at] + white + text[at:]
    return text


# Mostly clean text, so that the fast paths' tests decide, with now and then one odd character.
TEXT = st.one_of(
    *(
        st.builds(
            _with_breaks,
            st.lists(st.sampled_from(words), max_size=30),
            st.lists(st.tuples(st.integers(0, 2000), st.sampled_from(WHITE)), max_size=2),
        )
        for words in (ASCII_WORDS, WORDS)
    ),
    st.lists(st.sampled_from(WHITE + WORDS), max_size=40).map("".join),
)


def test_every_white_space_but_the_space_is_unprintable() -> None:
    # What squash's test for text outside ASCII rests on, checked for this Python's Unicode.
    splitting = [c for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert [c for c in splitting if chr(c).isprintable()] == [0x20]
    # and str.split cuts exactly where str.isspace says
    assert all(len(f"a{chr(c)}b".split()) == 2 for c in splitting)


@settings(max_examples=1000, deadline=None)
@given(TEXT)
def test_squash_is_split_and_join(text: str) -> None:
    assert squash(text) == " ".join(text.split())


def old_arxiv_squash(text: str) -> str:
    text = text.strip()
    if "  " in text or "\n" in text or "\t" in text or "\r" in text:
        return " ".join(text.split())
    return text


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_arxiv_squash_keeps_its_rules(text: str) -> None:
    # A no-break space alone is kept (stripped text with single spaces is left as it is).
    assert arxiv_jsonl._squash(text) == old_arxiv_squash(text)


def old_authors(parsed: list[Any]) -> tuple[str, ...]:
    names = []
    for parts in parsed:
        if isinstance(parts, list) and parts:
            last, first, suffix = ([*map(str, parts), "", ""])[:3]
            names.append(" ".join(p for p in (first, last, suffix) if p))
    return tuple(names)


NAME_PART = st.one_of(st.sampled_from(["", "Müller", "Hao", "Jr", " ", "0"]), st.integers(0, 3), st.none())


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(st.lists(NAME_PART, max_size=4), st.sampled_from(["Doe", 3, None, {}])),
        min_size=1,
        max_size=6,
    )
)
def test_arxiv_authors_fast_path(parsed: list[Any]) -> None:
    assert arxiv_jsonl._authors({"authors_parsed": parsed}) == old_authors(parsed)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=80))
def test_title_key_of_ascii_titles(title: str) -> None:
    assert prepare.title_key(title) == links.normalize_title(title)


ID_PIECE = st.sampled_from(
    ["1501.00001", "0704.0001", "v2", "v", "1", "arXiv:", " ", ".pdf", "hep-th/9901001", "٣"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(ID_PIECE, max_size=4).map("".join))
def test_arxiv_id_fast_path(value: str) -> None:
    assert prepare._arxiv_id(value) == links.normalize_arxiv_id(value)
    assert prepare._arxiv_id(None) is None


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(["\\", "{", "$", "~", "-", "`", "'", "?", "!", "a b", "x" * 120]), max_size=8)
)
def test_latex_hint_by_substrings(pieces: list[str]) -> None:
    raw = "".join(pieces)
    assert bibtex_fields._maybe_latex(raw) == bool(LATEX_HINT.search(raw))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Doe, J.", "others", "Others", "{others}", " OTHERS ", "Zoë"]), max_size=5))
def test_bibtex_authors_without_others_test(names: list[str]) -> None:
    field = " and ".join(names)
    parts = bibtex_fields._split(field.strip(), bibtex_fields._AND)
    expected = tuple(
        n for n in map(bibtex_fields.person, (p for p in parts if p.strip().lower() != "others")) if n
    )
    assert bibtex_fields.authors(field) == expected


SURROGATE_FIELDS = st.sampled_from(["", "plain", "Zoë", "\ud800", "\udc00x", "a\U0001f600"])


@settings(max_examples=300, deadline=None)
@given(
    SURROGATE_FIELDS,
    SURROGATE_FIELDS,
    st.lists(SURROGATE_FIELDS, max_size=3),
    st.lists(SURROGATE_FIELDS, max_size=2),
)
def test_surrogates_found_in_the_joined_fields(
    title: str, abstract: str, authors: list[str], tags: list[str]
) -> None:
    draft = PaperDraft(
        title or "t", abstract=abstract, authors=tuple(authors), tags=tuple(tags), venue=title or None
    )
    found = None
    for name, value in [("title", draft.title), ("abstract", abstract), ("venue", draft.venue or "")]:
        if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
            found = name
            break
    if found is None and any(0xD800 <= ord(c) <= 0xDFFF for c in "".join(authors)):
        found = "authors"
    if found is None and any(0xD800 <= ord(c) <= 0xDFFF for c in "".join(tags)):
        found = "tags"
    result = prepare._surrogate_field(draft)
    assert (result[0] if result else None) == found


def old_escapes_only(text: str) -> str | None:
    escaped = tuple("\\" + ch for ch in bibtex_latex._ESCAPES)
    if text.count("\\") != sum(text.count(escape) for escape in escaped):
        return None
    first, *rest = text.split("\\")
    parts = [bibtex_latex._specials(first)]
    for part in rest:
        parts += (bibtex_latex._ESCAPES[part[0]], bibtex_latex._specials(part[1:]))
    out = "".join(parts).replace("{", "").replace("}", "")
    return out.translate(bibtex_latex._UNPROTECT) if "\\{" in text or "\\}" in text else out


LATEX_PIECES = [
    "\\",
    "\\%",
    "\\{",
    "\\}",
    "\\\\",
    "\\x",
    "{",
    "}",
    "-",
    "--",
    "---",
    "'",
    "''",
    "`",
    "``",
    "?`",
    "~",
]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from([*LATEX_PIECES, "a", " ", "x" * 50, "&", "%"]), max_size=10).map("".join))
def test_escapes_only_without_counting(text: str) -> None:
    assert bibtex_latex._escapes_only(text) == old_escapes_only(text)


_OLD_STRUCTURE = re.compile(r"\\[^\W\d_]+|\\.|[{}$]|\s+", re.DOTALL)


def old_pieces(text: str) -> list[str] | None:
    """The value cut at every space that is a cut, as the decoder did before #13."""
    pieces: list[str] = []
    start = depth = 0
    math = False
    after_command = -1
    for match in _OLD_STRUCTURE.finditer(text):
        token = match.group()
        first = token[0]
        if first == "\\":
            after_command = match.end()
        elif first == "{":
            depth += 1
        elif first == "}":
            depth -= 1
            if depth < 0:
                return None
        elif first == "$":
            math = not math
        elif depth == 0 and not math and match.start() != after_command:
            if text[match.end() : match.end() + 1] in ("{", "["):
                continue
            pieces += (text[start : match.start()], token)
            start = match.end()
    if depth or math:
        return None
    pieces.append(text[start:])
    return pieces


def old_by_pieces(text: str) -> str | None:
    pieces = old_pieces(text)
    if pieces is None:
        return None
    try:
        return "".join(piece if i % 2 else bibtex_latex._piece(piece) for i, piece in enumerate(pieces))
    except Exception:
        return None


COMMAND_PIECES = [
    *("\\emph{x}", "\\emph", "\\url", "\\'e", '\\"o', "\\ ", "\\\\", "\\%", "\\$", "\\ours", "\\cite{a b}"),
    *("$x$", "$", "{", "}", "[1]", "[", " ", "  ", "\n", "word", "--", "~", "{A}", "x" * 30),
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(COMMAND_PIECES), max_size=12).map("".join))
def test_segments_decode_as_every_piece_did(text: str) -> None:
    segments = bibtex_latex._segments(text)
    pieces = old_pieces(text)
    assert (segments is None) == (pieces is None)
    if segments is not None:
        assert "".join(s for s, _ in segments) == text
        # every piece with a command or math is one segment, cut where it was
        assert [s for s, command in segments if command] == [
            p for i, p in enumerate(pieces or []) if i % 2 == 0 and ("\\" in p or "$" in p)
        ]
    if bibtex_latex._fast(text) is None:
        assert bibtex_latex._decode_text(text) == old_by_pieces(text)

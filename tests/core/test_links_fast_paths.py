"""The fast paths added to links.py for bulk imports give exactly the slow paths' answers."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from readinglist.core import links

PIECES = st.sampled_from(
    [
        "http://",
        "https://",
        "HTTPS://",
        "ftp://",
        "www.",
        "WWW.",
        ".www.",
        "xwww.",
        "example.org",
        "/path_(x)",
        ").",
        " ",
        "\n",
        "`",
        "{Name}",
        "\\url{",
        "}",
        "İ",
        "ß",
        "é",
        "hTtP",
        "s://",
        "://",
        "abc",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, max_size=14).map("".join))
def test_url_matches_equal_finditer(text: str) -> None:
    slow = [(m.start(), m.group(0)) for m in links._URL.finditer(text)]
    fast = [(m.start(), m.group(0)) for m in links._url_matches(text)]
    assert fast == slow


def slow_normalize_title(title: str) -> str:
    text = unicodedata.normalize("NFKD", title)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^\w]+", " ", text.casefold())
    return " ".join(text.replace("_", " ").split())


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40))
def test_normalize_title_matches_the_full_unicode_path(title: str) -> None:
    assert links.normalize_title(title) == slow_normalize_title(title)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_normalize_title_ascii_path_matches_the_full_unicode_path(title: str) -> None:
    assert links.normalize_title(title) == slow_normalize_title(title)


def test_links_in_a_real_abstract() -> None:
    text = "Code at https://github.com/x/y. See also www.example.org/page), and (http://a.b/c_d)."
    assert links.extract_links(text) == [
        "https://github.com/x/y",
        "https://www.example.org/page",
        "http://a.b/c_d",
    ]

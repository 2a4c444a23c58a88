"""The Markdown export links only to http(s), doi: and arxiv: targets, and text cannot open markup (#12).

Checked by rendering the export with markdown-it-py (CommonMark, the parser
Textual and Rich use), with its own link filter turned off so that only our
escaping stands between a hostile field and a live link.
"""

from __future__ import annotations

import io
import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from readinglist.core import exporter
from readinglist.core.formats import markdown
from readinglist.core.store import Library

from .interop_papers import HOSTILE, add_hostile

SAFE = re.compile(r"^(?:https?://|doi:|arxiv:)", re.IGNORECASE)


def render(text: str) -> list[Token]:
    md = MarkdownIt("commonmark")
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # see nothing through its filter
    tokens: list[Token] = []
    for block in md.parse(text):
        tokens.append(block)
        tokens.extend(block.children or [])
    return tokens


def exported(library: Library) -> str:
    out = io.StringIO()
    exporter.export(library, "markdown", out)
    return out.getvalue()


def test_every_link_is_safe_and_nothing_becomes_an_image_or_html(sample_library: Library) -> None:
    ids = add_hostile(sample_library)
    tokens = render(exported(sample_library))
    hrefs = [str(t.attrs["href"]) for t in tokens if t.type == "link_open"]
    assert len(hrefs) >= 220 and all(SAFE.match(h) for h in hrefs), [h for h in hrefs if not SAFE.match(h)]
    assert not [t for t in tokens if t.type in ("image", "html_inline", "html_block")]
    # The hostile titles show as their own text, not as markup.
    text = "".join(t.content for t in tokens if t.type == "text")
    for draft in HOSTILE:
        assert draft.title in text
    # A paper whose only link is javascript: or file: shows it as text.
    assert "javascript:alert(document.cookie)" in text and "file:///etc/passwd" in text
    assert len(ids) == len(HOSTILE)


def test_tags_are_code_spans_they_cannot_close(sample_library: Library) -> None:
    add_hostile(sample_library)
    tokens = render(exported(sample_library))
    code = {t.content for t in tokens if t.type == "code_inline"}
    for tag in HOSTILE[0].tags:
        assert f"#{tag}" in code


def test_safe_targets_are_percent_encoded_where_they_would_end_early() -> None:
    assert markdown.safe_target("https://example.org/a b)c") == "https://example.org/a%20b%29c"
    assert markdown.safe_target("HTTPS://EXAMPLE.ORG/") == "HTTPS://EXAMPLE.ORG/"
    assert markdown.safe_target("doi:10.1000/x") == "doi:10.1000/x"
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "//evil", "", "http:"):
        assert markdown.safe_target(bad) is None

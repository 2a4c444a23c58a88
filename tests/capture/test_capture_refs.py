"""What counts as a reference, and what the app's clipboard prefill accepts."""

from __future__ import annotations

import pytest

from readinglist.core.capture.refs import RefError, looks_like_ref, parse_ref, pending_key


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("2310.06825", "arxiv", "2310.06825"),
        ("2310.06825v2", "arxiv", "2310.06825"),
        ("hep-th/9901001", "arxiv", "hep-th/9901001"),
        ("arXiv:2310.06825", "arxiv", "2310.06825"),
        ("https://arxiv.org/abs/2310.06825v3", "arxiv", "2310.06825"),
        ("https://arxiv.org/pdf/2310.06825v1.pdf", "arxiv", "2310.06825"),
        ("https://arxiv.org/html/2310.06825v1#S3", "arxiv", "2310.06825"),
        ("http://export.arxiv.org/abs/hep-th/9901001", "arxiv", "hep-th/9901001"),
        ("10.48550/arXiv.2310.06825", "arxiv", "2310.06825"),
        ("https://doi.org/10.48550/arXiv.2310.06825", "arxiv", "2310.06825"),
        ("10.1145/3442188.3445922", "doi", "10.1145/3442188.3445922"),
        ("doi:10.1145/3442188.3445922", "doi", "10.1145/3442188.3445922"),
        ("https://doi.org/10.1145/3442188.3445922", "doi", "10.1145/3442188.3445922"),
        ("https://dl.acm.org/doi/abs/10.1145/3442188.3445922", "doi", "10.1145/3442188.3445922"),
        ("https://openreview.net/forum?id=HPuSIXJaa9", "url", "https://openreview.net/forum?id=HPuSIXJaa9"),
        ("  https://aclanthology.org/2023.acl-long.1/ ", "url", "https://aclanthology.org/2023.acl-long.1/"),
        ("www.example.org/post", "url", "https://www.example.org/post"),
    ],
)
def test_references(text: str, kind: str, value: str) -> None:
    ref = parse_ref(text)
    assert (ref.kind, ref.value) == (kind, value)
    assert parse_ref(pending_key(ref)).value == value  # what refresh reads back


@pytest.mark.parametrize(
    "text", ["", "hello", "12345", "ftp://example.org/x", "http://", "javascript:alert(1)"]
)
def test_not_references(text: str) -> None:
    with pytest.raises(RefError, match=r"not an arXiv id, DOI or URL|empty"):
        parse_ref(text)


def test_clipboard_text_that_looks_like_references() -> None:
    assert looks_like_ref("2310.06825\nhttps://doi.org/10.1145/3442188.3445922\n")
    assert looks_like_ref("@article{k,\n title={T}\n}")
    assert not looks_like_ref("a sentence someone copied")
    assert not looks_like_ref("")

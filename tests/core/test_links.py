"""Link extraction and identifier normalisation."""

from __future__ import annotations

import pytest

from readinglist.core import links


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Code: https://github.com/SafeAILab/EAGLE.", ["https://github.com/SafeAILab/EAGLE"]),
        ("at `https://github.com/Rose-STL-Lab/AnomLLM/`.", ["https://github.com/Rose-STL-Lab/AnomLLM/"]),
        ("ChatGLM\\url{https://chatglm.cn}, an online", ["https://chatglm.cn"]),
        (
            "at url{https://github.com/tding1/Efficient-LLM-Survey}.",
            ["https://github.com/tding1/Efficient-LLM-Survey"],
        ),
        ("(Model: https://huggingface.co/LiqunMa/).", ["https://huggingface.co/LiqunMa/"]),
        ("see https://en.wikipedia.org/wiki/Foo_(bar) now", ["https://en.wikipedia.org/wiki/Foo_(bar)"]),
        (
            "at https://github.com/abdelfattah-lab/shadow_llm/{ShadowLLM}.",
            ["https://github.com/abdelfattah-lab/shadow_llm/"],
        ),
        ("leaderboard at www.forecastbench.org.", ["https://www.forecastbench.org"]),
        ("twice https://a.org/x and https://a.org/x;", ["https://a.org/x"]),
        ("https://www.youtube.com/watch?v=GYT-65HZwus.", ["https://www.youtube.com/watch?v=GYT-65HZwus"]),
        ("no links here, just e.g. and i.e.", []),
    ],
)
def test_extract_links(text: str, expected: list[str]) -> None:
    assert links.extract_links(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2310.06825", "2310.06825"),
        ("2310.06825v3", "2310.06825"),
        ("arXiv:2310.06825", "2310.06825"),
        ("https://arxiv.org/abs/2310.06825v2", "2310.06825"),
        ("https://arxiv.org/pdf/2310.06825.pdf", "2310.06825"),
        ("10.48550/arXiv.2310.06825", "2310.06825"),
        ("hep-th/9901001", "hep-th/9901001"),
        ("math.AG/0601001v2", "math.AG/0601001"),
        ("0704.0001", "0704.0001"),
        ("not an id", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_arxiv_id(value: str | None, expected: str | None) -> None:
    assert links.normalize_arxiv_id(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10.1000/XYZ123", "10.1000/xyz123"),
        ("https://doi.org/10.1000/xyz123", "10.1000/xyz123"),
        ("doi: 10.1000/xyz123", "10.1000/xyz123"),
        ("http://dx.doi.org/10.1000/ABC", "10.1000/abc"),
        ("nonsense", None),
    ],
)
def test_normalize_doi(value: str, expected: str | None) -> None:
    assert links.normalize_doi(value) == expected


def test_normalize_title_folds_case_punctuation_accents_and_spacing() -> None:
    a = links.normalize_title("Attention  Is All You Need!")
    b = links.normalize_title("attention is all—you need")
    assert a == b == "attention is all you need"
    assert links.normalize_title("Café: Naïve") == links.normalize_title("cafe naive")


def test_primary_link_prefers_arxiv_then_doi_then_url_then_title_search() -> None:
    assert links.primary_link("2310.06825", "10.1/x", "https://u", "T") == "https://arxiv.org/abs/2310.06825"
    assert links.primary_link(None, "10.1/x", "https://u", "T") == "https://doi.org/10.1/x"
    assert links.primary_link(None, None, "https://u", "T") == "https://u"
    fallback = links.primary_link(None, None, None, "Mistral 7B & friends")
    assert fallback == "https://arxiv.org/search/?searchtype=title&query=Mistral+7B+%26+friends"


def test_is_code_link() -> None:
    assert links.is_code_link("https://github.com/a/b")
    assert links.is_code_link("https://rohinmanvi.github.io/GeoLLM")
    assert not links.is_code_link("https://arxiv.org/abs/1")

"""DOIs and URL lists as real files spell them (issue #18, §3), through the normalisers."""

from __future__ import annotations

from pathlib import Path

import pytest

from readinglist.core import links
from readinglist.core.formats import bibtex
from readinglist.core.importing.prepare import Prepared, prepare
from readinglist.core.models import PaperDraft


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # ACM Digital Library's old BibTeX export (url and doi).
        ("http://doi.acm.org/10.1145/1015330.1015430", "10.1145/1015330.1015430"),
        ("https://doi.acm.org/10.1145/3290605.3300233", "10.1145/3290605.3300233"),
        # Mendeley's url field.
        ("http://dx.doi.org/10.1038/nature14539", "10.1038/nature14539"),
        ("https://dx.doi.org/10.1038/NPHYS1170", "10.1038/nphys1170"),
        ("https://doi.org/10.1162/neco.1997.9.8.1735", "10.1162/neco.1997.9.8.1735"),
        ("https://www.doi.org/10.1162/neco.1997.9.8.1735", "10.1162/neco.1997.9.8.1735"),
        ("doi.org/10.1109/CVPR.2016.90", "10.1109/cvpr.2016.90"),
        ("doi:10.1103/PhysRevLett.116.061102", "10.1103/physrevlett.116.061102"),
        ("DOI: 10.1103/PhysRevLett.116.061102", "10.1103/physrevlett.116.061102"),
        ("DOI 10.17863/CAM.48429", "10.17863/cam.48429"),
        ("doi:https://doi.org/10.1/z", "10.1/z"),
        # OpenURL and Zotero's RDF.
        ("info:doi/10.1371/journal.pone.0185809", "10.1371/journal.pone.0185809"),
        # Short DOIs (shortdoi.org), bare and behind the resolver.
        ("10/ggd754", "10/ggd754"),
        ("https://doi.org/10/GGD754", "10/ggd754"),
        # Percent-encoded, as copied from a link.
        ("10.1002%2Fanie.201915678", "10.1002/anie.201915678"),
        ("https://doi.org/10.1002%2Fanie.201915678", "10.1002/anie.201915678"),
        # Of several in one field, the first.
        ("10.1000/a1 10.1000/b2", "10.1000/a1"),
        # A SICI DOI with every odd character in it stays whole.
        (
            "https://doi.org/10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0",
            "10.1002/(sici)1097-4571(199806)49:8<693::aid-asi4>3.0.co;2-0",
        ),
        ("  10.1000/XYZ123  ", "10.1000/xyz123"),
        # Not DOIs.
        ("doimain.example/10.1/x", None),
        ("https://example.org/10.1000/xyz", None),
        ("10.abc/xyz", None),
        ("10.1000", None),
        ("info:doi/", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_doi_reads_every_spelling_tools_write(value: str | None, expected: str | None) -> None:
    assert links.normalize_doi(value) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://doi.acm.org/10.1145/3290605.3300233", "10.1145/3290605.3300233"),
        ("http://dx.doi.org/10.5281/zenodo.3727350", "10.5281/zenodo.3727350"),
        ("https://doi.org/10/ggd754", "10/ggd754"),
        ("https://dl.acm.org/doi/10.1145/3290605.3300474", "10.1145/3290605.3300474"),
        ("https://dl.acm.org/doi/abs/10.1145/3290605.3300474", "10.1145/3290605.3300474"),
        ("https://onlinelibrary.wiley.com/doi/full/10.1002/anie.201915678", "10.1002/anie.201915678"),
        ("https://www.tandfonline.com/doi/pdf/10.1080/00401706.1969.1049", "10.1080/00401706.1969.1049"),
        ("10.1000/xyz123", "10.1000/xyz123"),
        # Links that do not name a DOI.
        ("https://arxiv.org/abs/2104.06020", None),
        ("https://www.example.org/doi", None),
        ("https://dl.acm.org/citation.cfm?id=3290605", None),
        ("https://doi.org/", None),
        (None, None),
    ],
)
def test_doi_in_url(url: str | None, expected: str | None) -> None:
    assert links.doi_in_url(url) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://a.example/x", ["https://a.example/x"]),
        # Zotero joins several with new lines, Mendeley with spaces, people with ; or ,.
        ("https://a.example/x\nhttps://b.example/y", ["https://a.example/x", "https://b.example/y"]),
        ("https://a.example/x https://b.example/y", ["https://a.example/x", "https://b.example/y"]),
        ("https://a.example/x\t\n  https://b.example/y", ["https://a.example/x", "https://b.example/y"]),
        ("https://a.example/x; https://b.example/y", ["https://a.example/x", "https://b.example/y"]),
        ("https://a.example/x;https://b.example/y", ["https://a.example/x", "https://b.example/y"]),
        ("https://a.example/x, https://b.example/y", ["https://a.example/x", "https://b.example/y"]),
        ("https://a.example/x,http://b.example/y", ["https://a.example/x", "http://b.example/y"]),
        ("https://a.example/x www.b.example/y", ["https://a.example/x", "www.b.example/y"]),
        # The same URL twice is one link.
        ("https://a.example/x https://a.example/x", ["https://a.example/x"]),
        # ; and , inside a URL are part of it.
        (
            "http://catalogue.example.edu/record;jsessionid=A1B2C3?ids=4,5",
            ["http://catalogue.example.edu/record;jsessionid=A1B2C3?ids=4,5"],
        ),
        ("https://a.example/x?a=1;b=2", ["https://a.example/x?a=1;b=2"]),
        # White space in a path is percent-encoded as it is, never dropped.
        ("https://a.example/harbour survey 2015.pdf", ["https://a.example/harbour%20survey%202015.pdf"]),
        ("https://a.example/wrapped\n  part", ["https://a.example/wrapped%0A%20%20part"]),
        (
            "https://a.example/my file.pdf https://b.example/y",
            ["https://a.example/my%20file.pdf", "https://b.example/y"],
        ),
        ("  ", []),
        ("", []),
        (None, []),
    ],
)
def test_split_urls(value: str | None, expected: list[str]) -> None:
    assert links.split_urls(value) == expected


def _prepared(url: str, doi: str | None = None, abstract: str = "") -> tuple[str | None, str | None, str]:
    got = prepare(PaperDraft(title="T", abstract=abstract, doi=doi, url=url), Path("refs.bib"), "bibtex")
    assert isinstance(got, Prepared), got
    return got.url, got.doi, got.links_json


def test_a_doi_in_the_url_field_becomes_the_papers_doi() -> None:
    assert _prepared(url="http://doi.acm.org/10.1145/3290605.3300233") == (
        "http://doi.acm.org/10.1145/3290605.3300233",
        "10.1145/3290605.3300233",
        "[]",
    )


def test_the_doi_field_wins_over_a_doi_in_the_url() -> None:
    url, doi, _ = _prepared(doi="10.1000/from-field", url="https://doi.org/10.1000/from-url")
    assert (url, doi) == ("https://doi.org/10.1000/from-url", "10.1000/from-field")


def test_several_urls_give_the_first_as_url_and_the_rest_as_links_before_the_abstracts() -> None:
    url, doi, links_json = _prepared(
        url="https://a.example/x; https://dx.doi.org/10.5281/zenodo.1",
        abstract="Code at https://github.com/o/r and https://a.example/x.",
    )
    assert url == "https://a.example/x"
    assert doi == "10.5281/zenodo.1"  # found in the second URL
    # The abstract's links are kept as before (the URL too, as any abstract link is).
    assert (
        links_json
        == '["https://dx.doi.org/10.5281/zenodo.1", "https://github.com/o/r", "https://a.example/x"]'
    )


def test_a_plain_url_is_kept_exactly() -> None:
    plain = "https://www.example.org/Papers/Plain-2021?a=1"
    assert _prepared(url=plain) == (plain, None, "[]")


def test_an_arxiv_doi_behind_a_resolver_gives_the_arxiv_id() -> None:
    draft = PaperDraft(title="T", doi="https://doi.org/10.48550/arXiv.2310.06825")
    got = prepare(draft, Path("x.bib"), "bibtex")
    assert isinstance(got, Prepared), got
    assert got.arxiv_id == "2310.06825"


def test_bibtex_keeps_the_white_space_that_separates_urls(tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_text(
        "@misc{a,\n  title = {A},\n  url = {https://a.example/one\n    https://b.example/t\\_two},\n}\n",
        encoding="utf-8",
    )
    (draft,) = list(bibtex.read(path))
    assert isinstance(draft, PaperDraft)
    assert links.split_urls(draft.url) == ["https://a.example/one", "https://b.example/t_two"]

"""Venue and citation key through the other formats: arXiv in; CSL JSON, RIS, JSON, CSV out and back."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from readinglist.core import exporter
from readinglist.core.importing import import_files
from readinglist.core.models import paper_to_dict
from readinglist.core.store import Library

DATA = Path(__file__).parent / "data"
TESTS_DATA = Path(__file__).parent.parent / "data"


def _fields(library: Library) -> dict[str, tuple[str | None, str]]:
    return {p.title: (p.venue, p.key) for p in library.papers()}


def test_arxiv_journal_references_are_venues(library: Library) -> None:
    import_files(library, [TESTS_DATA / "arxiv-api.xml", TESTS_DATA / "arxiv-snapshot.jsonl"])
    venues = {p.arxiv_id: p.venue for p in library.papers()}
    assert venues["1706.03762"] == "NIPS 2017"  # Atom arxiv:journal_ref
    assert venues["0704.0001"] == "Phys.Rev.D76:013009,2007"  # snapshot journal-ref
    assert venues["hep-th/9901001"] is None  # "journal-ref": null
    # Every paper has a key, made from its first author, year and title.
    assert all(p.key for p in library.papers())


def test_csl_json_reads_container_title_and_citation_key(library: Library, tmp_path: Path) -> None:
    items = [
        {
            "id": "http://zotero.org/users/1/items/ABCD",
            "citation-key": "olson2006",
            "type": "article-journal",
            "title": "Coordinate Descent",
            "container-title": "Journal of Examples",
        },
        {
            "id": "smith2019x",
            "type": "paper-conference",
            "title": "A Talk",
            "container-title": "Proc. of Talks",
        },
        {"id": "12345", "type": "article", "title": "Numbered"},
    ]
    path = tmp_path / "items.json"
    path.write_text(json.dumps(items))
    import_files(library, [path])
    got = _fields(library)
    assert got["Coordinate Descent"] == ("Journal of Examples", "olson2006")
    assert got["A Talk"] == ("Proc. of Talks", "smith2019x")
    # A numeric id (or an item URI) is no citation key: one is generated.
    assert got["Numbered"] == (None, "numbered")


def test_ris_reads_venue_tags_and_id(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "refs.ris"
    path.write_text(
        "TY  - JOUR\nID  - doe2016\nTI  - Journal Paper\nAU  - Doe, Jane\nPY  - 2016\nJO  - J. Ex.\n"
        "JF  - Journal of Examples\nER  - \n\n"
        "TY  - CONF\nTI  - Conference Paper\nT2  - Proceedings of Things\nER  - \n"
    )
    import_files(library, [path])
    got = _fields(library)
    assert got["Journal Paper"] == ("Journal of Examples", "doe2016")
    assert got["Conference Paper"] == ("Proceedings of Things", "conference")


@pytest.mark.parametrize("fmt", ["bibtex", "csl-json", "ris", "json", "csv"])
def test_every_format_round_trips_venue_and_key(library: Library, tmp_path: Path, fmt: str) -> None:
    import_files(library, [DATA / "venue-key.bib", TESTS_DATA / "arxiv-api.xml"])
    before = _fields(library)
    assert any(v for v, _ in before.values()) and all(k for _, k in before.values())
    out = tmp_path / f"out.{fmt}"
    exporter.export_to_file(library, fmt, out)
    with Library(tmp_path / "again.db") as again:
        import_files(again, [out], format_name=fmt)
        assert _fields(again) == before


def test_exports_name_the_venue_and_key(library: Library) -> None:
    import_files(library, [DATA / "venue-key.bib"])

    def written(fmt: str) -> str:
        out = io.StringIO()
        exporter.export(library, fmt, out)
        return out.getvalue()

    venue = "Advances in Neural Information Processing Systems"
    csl = {item["id"]: item for item in json.loads(written("csl-json"))}
    assert csl["lewis2020rag"]["container-title"] == venue
    assert csl["lewis2020rag"]["type"] == "paper-conference"
    assert csl["Vaswani_Attention"]["type"] == "article-journal"
    ris = written("ris")
    assert "TY  - CONF\nID  - lewis2020rag\n" in ris and f"T2  - {venue}\n" in ris
    assert f"*{venue}*" in written("markdown")
    header = written("csv").splitlines()[0]
    assert header.endswith(",venue,key")
    shape = paper_to_dict(library.papers()[0])
    assert list(shape)[-2:] == ["venue", "key"]

"""CSL JSON export (#18): valid CSL that gives back the same papers, through the CLI too."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from readinglist.core.exporter import export_to_file
from readinglist.core.formats import detect
from readinglist.core.formats.csl_json import csl_name
from readinglist.core.importing import import_files
from readinglist.core.models import Paper, PaperDraft
from readinglist.core.store import Library
from tests.helpers import add_paper

DATA = Path(__file__).parent / "data"
Kept = dict[str, tuple[object, ...]]
KEPT = ("title", "authors", "year", "date", "doi", "url", "abstract", "tags", "arxiv_id")


def kept(papers: list[Paper]) -> Kept:
    """What a CSL round trip must keep, by title."""
    return {p.title: tuple(getattr(p, f) for f in KEPT) for p in papers}


def everything(library: Library) -> list[Paper]:
    return library.get_many(library.ids())


def round_trip(
    library: Library, tmp_path: Path
) -> tuple[list[dict[str, object]], dict[str, tuple[object, ...]]]:
    """Export ``library`` as CSL JSON and import it into a new library: the items, and what came back."""
    out = tmp_path / "export.csl.json"
    export_to_file(library, "csl-json", out)
    with Library(tmp_path / "again.db") as again:
        report = import_files(again, [out])
        assert report.skipped == []
        assert report.added == len(library.ids())
        back = kept(everything(again))
    items = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(items, list)
    return items, back


def test_sample_library_round_trips(sample_library: Library, tmp_path: Path) -> None:
    items, back = round_trip(sample_library, tmp_path)
    assert back == kept(everything(sample_library))
    assert len(items) == 220
    assert all(i["type"] in ("article", "article-journal") and i["title"] for i in items)
    assert len({i["id"] for i in items}) == 220


def test_every_field_round_trips(library: Library, tmp_path: Path) -> None:
    drafts = [
        PaperDraft(
            title="Ancient Geometry",
            authors=("Euclid", "Ludwig van Beethoven", "Jean-Paul de la Tour"),
            year=300,
            date="0300-05-02",
            doi="10.1000/elements",
            url="https://example.org/elements",
            abstract="Points, lines & <angles>.\n\nA second paragraph.",
            tags=("geometry", "classics"),
        ),
        PaperDraft(
            title="Attention Is All You Need",
            authors=("Ashish Vaswani", "Noam Shazeer"),
            year=2017,
            date="2017-06",
            arxiv_id="1706.03762",
            abstract="The dominant sequence transduction models…",
            tags=("transformers",),
        ),
        PaperDraft(
            title="A Journal Paper With An arXiv Copy",
            authors=("U.S. Food and Drug Administration",),
            year=2020,
            doi="10.1038/s41586-020-0000-0",
            arxiv_id="2001.00001",
        ),
        PaperDraft(title="Nothing Else Known"),
    ]
    for draft in drafts:
        add_paper(library, draft)
    items, back = round_trip(library, tmp_path)
    assert back == kept(everything(library))
    by_title: dict[str, Any] = {str(i["title"]): i for i in items}
    ancient = by_title["Ancient Geometry"]
    assert ancient["id"] == "euclid300ancient"
    assert ancient["type"] == "article-journal"
    assert ancient["issued"] == {"date-parts": [[300, 5, 2]]}
    assert ancient["author"] == [
        {"literal": "Euclid"},
        {"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"},
        {"family": "Tour", "given": "Jean-Paul", "non-dropping-particle": "de la"},
    ]
    assert ancient["keyword"] == "classics, geometry"  # the library keeps tags sorted
    preprint = by_title["Attention Is All You Need"]
    assert (preprint["type"], preprint["number"]) == ("article", "arXiv:1706.03762")
    assert "URL" not in preprint  # no link is invented
    assert by_title["A Journal Paper With An arXiv Copy"]["note"] == "arXiv:2001.00001"
    assert by_title["Nothing Else Known"] == {
        "id": "nothing",
        "type": "article",
        "title": "Nothing Else Known",
    }


def test_repeated_keys_get_letters(library: Library, tmp_path: Path) -> None:
    for n in range(3):
        add_paper(library, PaperDraft(title=f"Deep {'x' * n}", authors=("Ann Lee",), year=2020))
    out = tmp_path / "out.json"
    export_to_file(library, "csl-json", out)
    ids = [i["id"] for i in json.loads(out.read_text(encoding="utf-8"))]
    assert sorted(ids) == ["lee2020deep", "lee2020deepa", "lee2020deepb"]
    # Exported under a plain .json name, it is still read as CSL JSON.
    assert detect(out)[0].name == "csl-json"


def test_names_split_like_bibtex() -> None:
    assert csl_name("Yann LeCun") == {"family": "LeCun", "given": "Yann"}
    assert csl_name("John Ronald Reuel Tolkien") == {"family": "Tolkien", "given": "John Ronald Reuel"}
    assert csl_name("Plato") == {"literal": "Plato"}
    assert csl_name("Doe, John") == {"literal": "Doe, John"}


def cli(db: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "readinglist", "--db", str(db), *argv],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_cli_import_and_export(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    done = cli(db, "import", str(DATA / "csl_olson2006.json"), str(DATA / "csl_zotero.json"))
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.strip() == "4 added, 0 already in the library"
    done = cli(db, "export", "--format", "csl-json")
    assert done.returncode == 0, done.stderr
    items = json.loads(done.stdout)
    assert {i["title"] for i in items} == {
        "Species range shifts under climate change",
        "Deep learning",
        "Attention Is All You Need",
        "Guidance for Industry: Electronic Source Data in Clinical Investigations",
    }


@pytest.mark.slow  # three processes
def test_cli_bad_item_fails_with_its_line_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    bad = DATA / "csl_malformed.json"
    done = cli(db, "import", str(bad))
    assert done.returncode != 0
    assert f"{bad}:8: item 'untitled2019' has no title" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    listed = cli(db, "list", "--json")
    assert json.loads(listed.stdout or "[]") == []
    done = cli(db, "import", "--skip-bad", str(bad))
    assert done.returncode == 0
    assert done.stdout.startswith("2 added")

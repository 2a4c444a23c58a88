"""Real-shaped files with DOIs and URL lists, imported by the real CLI (issue #18, §3)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).parent / "data"


def cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``readinglist --db DB ARGS...`` in a real process."""
    return subprocess.run(
        [sys.executable, "-m", "readinglist", "--db", str(db), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
    )


Listed = dict[str, dict[str, Any]]
"""Papers by title, as ``list --json`` gives them."""


def import_and_list(db: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], Listed]:
    """Import, then every paper of the library by title (``list --json``)."""
    result = cli(db, "import", *args)
    listed = cli(db, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    return result, {p["title"]: p for p in json.loads(listed.stdout)}


def test_every_doi_spelling_in_a_bibtex_file_gives_the_paper_its_doi(tmp_path: Path) -> None:
    result, papers = import_and_list(tmp_path / "lib.db", str(DATA / "links_dois.bib"))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "10 added, 0 already in the library\n"
    dois = {title: p["doi"] for title, p in papers.items()}
    assert dois == {
        "Apprenticeship Learning via Inverse Reinforcement Learning": "10.1145/1015330.1015430",
        # Only in the url field, as ACM's export wrote it.
        "Interactions for Untangling Messy History in a Computational Notebook": "10.1145/3290605.3300233",
        "Deep learning": "10.1038/nature14539",
        "Long Short-Term Memory": "10.1162/neco.1997.9.8.1735",
        "Observation of Gravitational Waves from a Binary Black Hole Merger": (
            "10.1103/physrevlett.116.061102"
        ),
        "Mosquito Surveillance in Urban Parks": "10.1371/journal.pone.0185809",
        "The FAIR Guiding Principles for Scientific Data Management and Stewardship": "10/ggd754",
        "Photocatalytic Water Splitting on Layered Perovskites": "10.1002/anie.201915678",
        "Visualizing Uncertainty in Flood Forecasts": "10.1145/3290605.3300474",
        "A Paper With a Plain Publisher Link": None,
    }
    for title, paper in papers.items():
        # The main link is the DOI's (or the URL), never an arXiv title search.
        assert "arxiv.org/search" not in paper["primary_link"], title
        if paper["doi"]:
            assert paper["primary_link"] == f"https://doi.org/{paper['doi']}"
    kery = papers["Interactions for Untangling Messy History in a Computational Notebook"]
    assert kery["url"] == "http://doi.acm.org/10.1145/3290605.3300233"  # the url as written
    assert papers["A Paper With a Plain Publisher Link"]["url"] == "https://www.example.org/papers/plain-2021"


def test_several_urls_in_a_bibtex_field_are_several_links(tmp_path: Path) -> None:
    result, papers = import_and_list(tmp_path / "lib.db", str(DATA / "links_urls.bib"))
    assert result.returncode == 0, result.stderr
    got = {title: (p["url"], p["links"]) for title, p in papers.items()}
    assert got == {
        "Notes on Reproducible Builds": (
            "https://reproducible-builds.org/docs/",
            ["https://arxiv.org/abs/2104.06020"],
        ),
        "Crowd Workers and Their Tools": (
            "https://dl.acm.org/citation.cfm?id=3290605",
            ["https://www.semanticscholar.org/paper/abc123"],
        ),
        "Sensor Fusion for Small Drones": (
            "https://ieeexplore.ieee.org/document/9000001",
            ["https://github.com/ortiz/fusion"],
        ),
        "Field Report from the Harbour Survey": (
            "https://www.example.org/reports/harbour%20survey%202015.pdf",
            [],
        ),
        "An Old Library Catalogue Page": (
            "http://catalogue.example.edu/record;jsessionid=A1B2C3?ids=4,5",
            [],
        ),
    }
    # The code link of the third is found like one from an abstract.
    code = cli(tmp_path / "lib.db", "search", "has:code", "--json")
    assert code.returncode == 0, code.stderr
    assert [p["title"] for p in json.loads(code.stdout)] == ["Sensor Fusion for Small Drones"]


def test_dois_and_url_lists_in_a_csv_file(tmp_path: Path) -> None:
    result, papers = import_and_list(tmp_path / "lib.db", str(DATA / "links_refs.csv"))
    assert result.returncode == 0, result.stderr
    got = {title: (p["doi"], p["url"], p["links"]) for title, p in papers.items()}
    assert got == {
        "Deep Residual Learning for Image Recognition": ("10.1109/cvpr.2016.90", None, []),
        "Attention Is All You Need": (
            None,
            "https://arxiv.org/abs/1706.03762",
            ["https://github.com/tensorflow/tensor2tensor"],
        ),
        "Graph Attention Networks": (
            "10.17863/cam.48429",
            "https://openreview.net/forum?id=rJXMpikCZ",
            ["https://github.com/PetarV-/GAT"],
        ),
        "A Dataset Paper": ("10.5281/zenodo.3727350", "http://dx.doi.org/10.5281/zenodo.3727350", []),
    }


@pytest.mark.slow
def test_bibtex_export_and_reimport_keeps_the_dois_and_first_urls(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    assert cli(db, "import", str(DATA / "links_dois.bib"), str(DATA / "links_urls.bib")).returncode == 0
    out = tmp_path / "out.bib"
    exported = cli(db, "export", "--format", "bibtex", "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    files = (str(DATA / "links_dois.bib"), str(DATA / "links_urls.bib"))
    _, before = import_and_list(tmp_path / "direct.db", *files)
    result, after = import_and_list(tmp_path / "again.db", str(out))
    assert result.returncode == 0, result.stderr
    assert {t: (p["doi"], p["url"]) for t, p in after.items()} == {
        t: (p["doi"], p["url"]) for t, p in before.items()
    }

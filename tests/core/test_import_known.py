"""The run's memory of identifiers (``match.Known``): it only spares lookups, never a match."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readinglist.core.importing import files as importer
from readinglist.core.importing import import_files, match
from readinglist.core.models import PaperDraft
from readinglist.core.store import Library
from tests.helpers import add_paper


def _line(arxiv_id: str, title: str, doi: str | None = None) -> str:
    return json.dumps({"id": arxiv_id, "title": title, "abstract": f"About {title}.", "doi": doi})


@pytest.mark.parametrize("limit", [match.KNOWN_LIMIT, 12, 0], ids=["remembers", "outgrows", "never"])
def test_twins_are_found_by_every_identifier_whatever_the_run_remembers(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    monkeypatch.setattr(match, "KNOWN_LIMIT", limit)
    monkeypatch.setattr(match.Known.__init__, "__defaults__", (limit,))
    monkeypatch.setattr(importer, "BATCH_SIZE", 2)
    add_paper(library, PaperDraft("Stored by title", arxiv_id="1111.00001"))
    src = tmp_path / "run.jsonl"
    src.write_text(
        "\n".join(
            [
                _line("2001.00001", "First paper"),
                _line("2001.00002", "Second paper"),
                _line("2001.00003", "Third paper"),
                _line("2001.00001", "First paper", doi="10.1/first"),  # a twin by arXiv id, adds a DOI
                _line("", "First paper, again", doi="10.1/first"),  # a twin by that DOI
                _line("", "Stored by title"),  # the stored paper, by its title
                _line("", "Second   Paper"),  # the second, by its title
            ]
        )
        + "\n"
    )
    report = import_files(library, [src])
    assert (report.added, report.existing) == (3, 4)
    first = next(p for p in library.papers() if p.title == "First paper")
    assert first.doi == "10.1/first" and first.arxiv_id == "2001.00001"
    assert len(library.papers()) == 4


def test_a_large_library_is_not_read_up_front_and_a_large_run_stops_remembering(library: Library) -> None:
    for n in range(4):
        add_paper(library, PaperDraft(f"Paper {n}", arxiv_id=f"2001.0000{n}"))
    assert match.Known(library.db, 4, limit=4 * 3 * 4 - 1).hashes is None  # the lookups stay as they were
    known = match.Known(library.db, 4, limit=4 * 3 * 4)
    assert known.hashes is not None and known.maybe("arxiv_id", {"2001.00001", "2999.1"}) == {"2001.00001"}
    known.add([{"arxiv_id": f"2002.{n:05d}", "doi": None, "title_key": f"t{n}"} for n in range(30)])
    assert known.hashes is None and known.maybe("doi", {"10.1/x"}) == {"10.1/x"}

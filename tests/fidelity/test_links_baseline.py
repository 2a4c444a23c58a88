"""A differential test: files that imported right before #18 keep their identifiers and links exactly.

``data/links_baseline.json`` was written by the code before this change (commit
f65b1fb) importing every file of ``tests/data`` and the bundled sample: for each
paper, by its ``source``, its arXiv id, DOI, URL and links. The DOI and URL
work of #18 must change none of them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readinglist.core.errors import FormatError
from readinglist.core.importing import import_files
from readinglist.core.sample import sample_path
from readinglist.core.store import Library

DATA = Path(__file__).parent / "data"
INPUTS = sorted((Path(__file__).parent.parent / "data").iterdir())


@pytest.mark.slow
def test_identifiers_and_links_are_as_before(tmp_path: Path) -> None:
    want = json.loads((DATA / "links_baseline.json").read_text(encoding="utf-8"))
    got: dict[str, list[object]] = {}
    for n, path in enumerate([*INPUTS, sample_path()]):
        with Library(tmp_path / f"{n}.db") as library:
            try:
                import_files(library, [path], skip_bad=True)
            except FormatError:
                continue  # a file that could not be imported before either (it has no papers below)
            for p in library.papers():
                got[p.source] = [p.arxiv_id, p.doi, p.url, list(p.links)]
    assert len(want) == 250
    assert got == want

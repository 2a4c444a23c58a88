"""Citation keys an import generates: written with each new row, made unique at the end, in id order.

An import writes a paper without a key of its own with its generated key as the
row goes in (:class:`~readinglist.core.paper_keys.Provisional`) and settles the
letters at the end. These tests pin what a user sees: the same keys as if every
key had been made at the end from the papers as they ended up.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readinglist.core import paper_keys
from readinglist.core.importing import files as importer
from readinglist.core.importing import import_files
from readinglist.core.models import PaperDraft
from readinglist.core.store import Library
from tests.helpers import add_paper


def _line(arxiv_id: str, title: str, authors: str = "", year: int | None = None) -> str:
    obj: dict[str, object] = {"id": arxiv_id, "title": title, "abstract": f"About {title}."}
    obj["authors"] = authors
    if year is not None:
        obj["update_date"] = f"{year}-01-01"
    return json.dumps(obj)


def _keys(library: Library) -> dict[str, str]:
    return {p.title: p.key for p in library.papers()}


@pytest.fixture(
    params=[(1, True), (3, True), (5000, True), (3, False), (5000, False)],
    ids=["chunk1", "chunk3", "chunk5000", "chunk3-sql", "chunk5000-sql"],
)
def chunked(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """Keys settled a few papers at a time and all at once, holders kept in memory or asked
    of SQLite chunk by chunk; batches of two papers."""
    chunk, in_memory = request.param
    monkeypatch.setattr(paper_keys, "SETTLE_CHUNK", chunk)
    monkeypatch.setattr(paper_keys, "KEYS_IN_MEMORY", paper_keys.KEYS_IN_MEMORY if in_memory else 0)
    monkeypatch.setattr(importer, "BATCH_SIZE", 2)
    return int(chunk)


def test_generated_keys_get_letters_in_id_order_around_stored_and_given_ones(
    library: Library, tmp_path: Path, chunked: int
) -> None:
    add_paper(library, PaperDraft("Stored deep", authors=("Ann Smith",), year=2020))  # smith2020stored
    add_paper(library, PaperDraft("Deep stored", authors=("Ann Smith",), year=2020))  # smith2020deep
    src = tmp_path / "run.jsonl"
    src.write_text(
        "\n".join(
            [
                _line("2001.00001", "Deep one", "Ann Smith", 2020),  # smith2020deep is stored: a
                _line("2001.00002", "Deepa titled", "Ann Smith", 2020),  # its base was just taken: aa
                _line("2001.00003", "Deep two", "Ann Smith", 2020),  # b
                _line("2001.00004", "Other thing", "Bo Li", 2021),  # li2021other, nobody's
                _line("2001.00005", "Other again", "Bo Li", 2021),  # li2021othera
            ]
        )
        + "\n"
    )
    import_files(library, [src])
    keys = _keys(library)
    assert [keys[t] for t in ("Deep one", "Deepa titled", "Deep two")] == [
        "smith2020deepa",
        "smith2020deepaa",
        "smith2020deepb",
    ]
    assert (keys["Other thing"], keys["Other again"]) == ("li2021other", "li2021othera")
    assert (keys["Stored deep"], keys["Deep stored"]) == ("smith2020stored", "smith2020deep")
    # The earlier paper of a base keeps it whichever paper's key was written first.
    src2 = tmp_path / "second.jsonl"
    src2.write_text(
        _line("2002.00001", "Deepb newer", "Ann Smith", 2020)  # base smith2020deepb: taken, so a
        + "\n"
        + _line("2002.00002", "Deep three", "Ann Smith", 2020)  # smith2020deep...: next free is c
        + "\n"
    )
    import_files(library, [src2])
    keys = _keys(library)
    assert (keys["Deepb newer"], keys["Deep three"]) == ("smith2020deepba", "smith2020deepc")
    assert len(set(keys.values())) == len(keys)


def test_a_later_entry_gives_the_paper_its_own_key_and_frees_the_made_one(
    library: Library, tmp_path: Path, chunked: int
) -> None:
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text(
        _line("2003.00001", "Deep first", "Ann Smith", 2020)
        + "\n"
        + _line("2003.00002", "Filler paper", "Cy Doe", 2019)
        + "\n"
        + _line("2003.00003", "Filler again", "Cy Doe", 2019)
        + "\n"
        + _line("2003.00004", "Deep second", "Ann Smith", 2020)
        + "\n"
    )
    bib = tmp_path / "b.bib"
    # The same paper as the first line (its arXiv id), now with the key its author uses.
    bib.write_text(
        "@misc{mine2020,\n title = {Deep first},\n eprint = {2003.00001},\n archivePrefix = {arXiv}\n}\n"
    )
    import_files(library, [jsonl, bib])
    keys = _keys(library)
    assert keys["Deep first"] == "mine2020"
    # smith2020deep was the first paper's key while the run went on; it is free again.
    assert keys["Deep second"] == "smith2020deep"
    assert (keys["Filler paper"], keys["Filler again"]) == ("doe2019filler", "doe2019fillera")


def test_a_key_is_made_from_the_authors_and_year_a_later_twin_filled_in(
    library: Library, tmp_path: Path, chunked: int
) -> None:
    src = tmp_path / "twins.jsonl"
    src.write_text(
        "\n".join(
            [
                _line("2004.00001", "Sparse thing"),  # no authors, no year: "sparse" for now
                _line("2004.00002", "Filler paper", "Cy Doe", 2019),
                _line("2004.00003", "Filler again", "Cy Doe", 2019),
                _line("2004.00004", "Sparse other"),  # "sparse" too: "sparsea" while the first holds it
                _line("2004.00001", "Sparse thing", "Ann Smith", 2020),  # the first, now complete
            ]
        )
        + "\n"
    )
    import_files(library, [src])
    keys = _keys(library)
    assert keys["Sparse thing"] == "smith2020sparse"
    assert keys["Sparse other"] == "sparse"  # the first paper's made key was never final
    assert len(set(keys.values())) == len(keys)


@pytest.mark.parametrize("batch", [2, 2000])
def test_a_twin_in_the_same_batch_fills_in_authors_and_year_before_the_paper_goes_in(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    # The reader makes each key's stem from the entry it read; a twin read in the same
    # batch completes the paper before it is written, so that stem is not the one to use.
    monkeypatch.setattr(importer, "BATCH_SIZE", batch)
    src = tmp_path / "twins.jsonl"
    src.write_text(
        "\n".join(
            [
                _line("2005.00001", "Sparse thing"),
                _line("2005.00001", "Sparse thing", "Ann Smith", 2020),
                _line("2005.00002", "On the"),  # none of the parts: paper<id>
                _line("2005.00003", "Dated", "Bo Lee"),
                _line("2005.00003", "Dated", "Bo Lee", 2021),  # the year alone filled in
            ]
        )
        + "\n"
    )
    import_files(library, [src])
    papers = {p.title: p for p in library.papers()}
    assert {title: p.key for title, p in papers.items()} == {
        "Sparse thing": "smith2020sparse",
        "On the": f"paper{papers['On the'].id}",
        "Dated": "lee2021dated",
    }

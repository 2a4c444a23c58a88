"""Stored citation keys: made once like the export's, unique, given to old libraries by the upgrade."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from readinglist.core.formats import bibtex, bibtex_write
from readinglist.core.migrations import migrations
from readinglist.core.store import Library

NAME_CHARS = st.sampled_from([*"abcXYZéøŁ. -'", "and", "others", "Group", "Inc", ","])


@settings(max_examples=400, deadline=None)
@given(st.lists(NAME_CHARS, max_size=12).map("".join))
def test_the_quick_person_test_agrees_with_the_writer(name: str) -> None:
    """The fast path for plain names answers as the full ``_name`` parse does."""
    assert bibtex_write._braced(name) == bibtex_write._name(name).startswith("{")


def _old_library(path: Path) -> None:
    """A library as the schema before venue and key (m001..m005) wrote it, with two clashing papers."""
    db = Database(path)
    migrations.apply(db, stop_before="m006_venue_and_key")
    for paper_id, title in ((3, "Attention Is All You Need"), (5, "Attention Is Not Explanation")):
        db.execute(
            """INSERT INTO papers (id, title, authors, year, links, source, added_at, title_key)
               VALUES (?, ?, ?, 2017, '[]', 'x', '2020-01-01T00:00:00Z', ?)""",
            [paper_id, title, json.dumps(["Ashish Vaswani"]), title.lower()],
        )
    db.conn.commit()
    db.close()


def test_the_upgrade_gives_old_papers_the_keys_their_exports_had(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _old_library(path)
    with Library(path) as lib:
        papers = lib.get_many([3, 5])
        # The keys a BibTeX export of the old library wrote, suffixes included.
        exported = [key for _, key in bibtex.keyed(p._replace(key="") for p in papers)]
        assert [p.key for p in papers] == exported == ["vaswani2017attention", "vaswani2017attentiona"]
        # Keys are not indexed for search: the index still holds both papers.
        rows = lib.db.execute("SELECT rowid FROM papers_fts WHERE papers_fts MATCH 'attention'").fetchall()
        assert sorted(rows) == [(3,), (5,)]


@pytest.mark.parametrize("chunk", [3, 5000])
def test_many_papers_of_one_base_get_letters_in_id_order(
    library: Library, monkeypatch: pytest.MonkeyPatch, chunk: int, tmp_path: Path
) -> None:
    from readinglist.core import paper_keys
    from readinglist.core.importing import import_files
    from readinglist.core.models import PaperDraft
    from tests.helpers import add_paper

    monkeypatch.setattr(paper_keys, "SETTLE_CHUNK", chunk)  # keys settled a few papers at a time, too

    # The first key is a file's own: the generated ones go around it.
    add_paper(library, PaperDraft("Given key", authors=("Zed Nobody",), key="smith2020deep"))
    for n in range(30):
        add_paper(library, PaperDraft(f"Deep thing number {n}", authors=("Ann Smith",), year=2020))
    keys = [p.key for p in sorted(library.papers(), key=lambda p: p.id)]
    assert keys[:4] == ["smith2020deep", "smith2020deepa", "smith2020deepb", "smith2020deepc"]
    assert keys[-1] == "smith2020deepad" and len(set(keys)) == 31
    # One import of many entries: a file's keys (clashing among themselves) first, then made ones.
    bib = tmp_path / "many.bib"
    entries = [f"@misc{{dup,\n title = {{Dup {n}}}\n}}\n" for n in range(7)]
    entries += [
        f"@misc{{,\n title = {{Deep more {n}}},\n author = {{Ann Smith}},\n year = {{2020}}\n}}\n"
        for n in range(4)
    ]
    bib.write_text("".join(entries))
    report = import_files(library, [bib])
    got = {p.title: p.key for p in library.papers()}
    assert [got[f"Dup {n}"] for n in range(7)] == ["dup", "dupa", "dupb", "dupc", "dupd", "dupe", "dupf"]
    assert [got[f"Deep more {n}"] for n in range(4)] == [
        f"smith2020deep{s}" for s in ("ae", "af", "ag", "ah")
    ]
    assert len([n for n in report.notices if "'dup' is taken" in n]) == 6


def test_clearing_a_key_generates_one_again(library: Library) -> None:
    from readinglist.core.models import PaperDraft
    from tests.helpers import add_paper

    paper_id = add_paper(library, PaperDraft("Deep thing", authors=("Ann Smith",), year=2020, key="mine"))
    assert library.edit(paper_id, {"key": ""}).key == "smith2020deep"

"""BibTeX keyless entries, corporate names, and export/import round trips that keep everything (#18)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bibtexparser.entrypoint import parse_file

from readinglist.core.formats import BadEntry, bibtex
from readinglist.core.importing import import_files
from readinglist.core.models import Paper, PaperDraft, Status
from readinglist.core.store import Library

DATA = Path(__file__).parent / "data"
KEYLESS = DATA / "bibsem-endnote-keyless.bib"
CORPORATE = DATA / "bibsem-zotero-corporate.bib"


def cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "readinglist", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def paper(n: int, **over: object) -> Paper:
    base: dict[str, object] = {
        "id": n,
        "title": f"Paper {n}",
        "abstract": "",
        "authors": ("Ada Lovelace",),
        "year": 2024,
        "date": None,
        "arxiv_id": None,
        "doi": None,
        "url": None,
        "links": (),
        "source": "",
        "added_at": "2024-01-01T00:00:00",
        "starred": False,
        "status": Status.UNREAD,
        "queue_position": None,
        "tags": (),
        "notes": "",
        "notes_updated_at": None,
    }
    base.update(over)
    return Paper(**base)  # type: ignore[arg-type]


# Each property the issue found lost on a round trip, on a paper of its own.
PAPERS = [
    paper(1, title="A dated paper", date="2024-05-17"),
    paper(2, title="Month only", year=2023, date="2023-02"),
    paper(3, title="Carolingian minuscule", year=800, date="0800-12-25"),
    paper(4, title="Year 999 without a date", year=999),
    paper(5, title="Guidance", authors=("U.S. Food and Drug Administration",)),
    paper(6, title="Bygningsreglement", authors=("Ministeriet for By, Bolig og Landdistrikter", "Jane Doe")),
    paper(7, title="Global report", authors=("World Health Organization",)),
    paper(8, title="An arXiv paper with no url", arxiv_id="2405.01234", date="2024-05-02", year=2024),
    paper(9, title="An arXiv paper with its own url", arxiv_id="2405.04321", url="https://example.org/p9"),
    paper(10, title="Odd people", authors=("Others", "Smith and", "Jean-Paul Sartre")),
]


def carried(p: Paper | PaperDraft) -> tuple[object, ...]:
    return (p.authors, p.year, p.date, p.arxiv_id, p.doi, p.url)


def test_export_then_import_keeps_dates_years_names_and_urls(tmp_path: Path) -> None:
    path = tmp_path / "out.bib"
    with path.open("w", encoding="utf-8") as out:
        bibtex.write(PAPERS, out)
    back = {d.title: d for d in bibtex.read(path) if isinstance(d, PaperDraft)}
    assert {p.title: carried(p) for p in PAPERS} == {t: carried(d) for t, d in back.items()}


def test_export_writes_biblatex_date_and_braces_corporate_names(tmp_path: Path) -> None:
    path = tmp_path / "out.bib"
    with path.open("w", encoding="utf-8") as out:
        bibtex.write(PAPERS, out)
    entries = {e["title"].strip("{}"): e for e in parse_file(str(path)).entries}
    assert entries["A dated paper"]["date"] == "2024-05-17"
    assert entries["A dated paper"]["month"] == "may" and entries["A dated paper"]["year"] == "2024"
    assert entries["Carolingian minuscule"]["year"] == "800"
    assert entries["Guidance"]["author"] == "{U.S. Food and Drug Administration}"
    assert entries["Global report"]["author"] == "{World Health Organization}"
    assert (
        entries["Bygningsreglement"]["author"] == "{Ministeriet for By, Bolig og Landdistrikter} and Jane Doe"
    )
    # A person stays a plain name, which styles can abbreviate.
    assert entries["A dated paper"]["author"] == "Ada Lovelace"
    assert "url" not in entries["An arXiv paper with no url"].fields_dict
    assert entries["An arXiv paper with no url"]["eprint"] == "2405.01234"


@pytest.mark.slow
def test_cli_round_trip_through_a_library(tmp_path: Path) -> None:
    first = tmp_path / "first.db"
    assert cli(first, "import", str(CORPORATE)).returncode == 0
    out = tmp_path / "out.bib"
    result = cli(first, "export", "--format", "bibtex", "-o", str(out))
    assert result.returncode == 0, result.stderr
    second = tmp_path / "second.db"
    result = cli(second, "import", str(out))
    assert result.returncode == 0, result.stderr
    with Library(first) as a, Library(second) as b:
        want = {p.title: (*carried(p), set(p.tags)) for p in a.papers()}
        got = {p.title: (*carried(p), set(p.tags)) for p in b.papers()}
    assert got == want
    assert got["Bygningsreglement 2015"][:3] == (
        ("Ministeriet for By, Bolig og Landdistrikter",),
        2016,
        "2016-01-01",
    )
    assert got["Guidance for Industry: Clinical Decision Support Software"][0] == (
        "U.S. Food and Drug Administration",
    )


def test_braced_corporate_names_import_as_written() -> None:
    items = {d.title: d for d in bibtex.read(CORPORATE) if isinstance(d, PaperDraft)}
    assert items["Bygningsreglement 2015"].authors == ("Ministeriet for By, Bolig og Landdistrikter",)
    assert items["Guidance for Industry: Clinical Decision Support Software"].authors == (
        "U.S. Food and Drug Administration",
    )
    ligo = items["Observation of Gravitational Waves from a Binary Black Hole Merger"]
    assert ligo.authors == ("LIGO Scientific Collaboration", "Virgo Collaboration", "B. P. Abbott")
    assert (ligo.date, ligo.url) == ("2016-02-11", None)


def test_short_years_read_only_when_they_are_the_whole_field(tmp_path: Path) -> None:
    path = tmp_path / "years.bib"
    path.write_text(
        "@misc{a, title = {A}, year = {800}}\n@misc{b, title = {B}, year = { 999 }}\n"
        "@misc{c, title = {C}, year = {0}}\n@misc{d, title = {D}, year = {vol. 12}}\n"
        "@misc{e, title = {E}, year = {2020a}}\n",
        encoding="utf-8",
    )
    years = {d.title: d.year for d in bibtex.read(path) if isinstance(d, PaperDraft)}
    assert years == {"A": 800, "B": 999, "C": None, "D": None, "E": 2020}


def test_entries_without_a_key_import() -> None:
    items = list(bibtex.read(KEYLESS))
    assert all(isinstance(i, PaperDraft) for i in items), items
    drafts = [i for i in items if isinstance(i, PaperDraft)]
    assert [(d.title, d.authors, d.year, d.line) for d in drafts] == [
        ("Effects of sleep on memory consolidation", ("John Smith", "Mary Jones"), 2003, 1),
        ("Global report on diabetes", ("World Health Organization",), 2016, 12),
        # The second keyless entry shares the empty key: read in full all the same.
        ("An entry exported with an empty key", ("Jane Doe",), 2011, 20),
        ("A second entry with an empty key", ("Richard Roe",), 2012, 26),
    ]
    assert drafts[0].doi == "10.1046/j.1365-2869.2003.00361.x"


def test_a_keyless_entry_is_named_by_its_line_in_messages(tmp_path: Path) -> None:
    path = tmp_path / "untitled.bib"
    path.write_text("@article{\n  author = {Doe, Jane},\n  year = {2001}\n}\n", encoding="utf-8")
    items = list(bibtex.read(path))
    assert items == [BadEntry(str(path), 1, "the entry without a key at line 1 has no title")]


def test_string_definitions_are_not_taken_for_keyless_entries(tmp_path: Path) -> None:
    path = tmp_path / "strings.bib"
    path.write_text(
        "@string{\n  jsr = {Journal of Sleep Research}\n}\n"
        "@article{k,\n  title = {T},\n  journal = jsr,\n  year = 2000\n}\n",
        encoding="utf-8",
    )
    items = list(bibtex.read(path))
    assert [(i.title, i.year) for i in items if isinstance(i, PaperDraft)] == [("T", 2000)]


def test_duplicate_keys_read_like_the_first(tmp_path: Path) -> None:
    path = tmp_path / "dup.bib"
    path.write_text(
        "@string{j = {Jour}}\n@article{same, title = {One}, author = {Doe, Jane}, month = jun, year = 2001}\n"
        "@article{same, title = j, author = {Roe, Richard}, month = jul, year = 2002}\n",
        encoding="utf-8",
    )
    got = [(d.title, d.authors, d.date) for d in bibtex.read(path) if isinstance(d, PaperDraft)]
    assert got == [("One", ("Jane Doe",), "2001-06"), ("Jour", ("Richard Roe",), "2002-07")]


@pytest.mark.parametrize("path", [KEYLESS, CORPORATE])
def test_cli_imports_the_fixtures(tmp_path: Path, path: Path) -> None:
    db = tmp_path / "lib.db"
    result = cli(db, "import", str(path))
    assert result.returncode == 0, result.stderr
    with Library(db) as lib:
        assert len(lib.papers()) == (4 if path == KEYLESS else 3)


def test_import_files_keeps_every_keyless_entry(library: Library) -> None:
    report = import_files(library, [KEYLESS])
    assert (report.added, report.skipped) == (4, [])


def test_a_key_on_the_entry_line_is_never_taken_for_a_field(tmp_path: Path) -> None:
    path = tmp_path / "keys.bib"
    path.write_text(
        "@misc{key,\n  title = {Keyed}}\n@misc(\n  title = {Parenthesised, keyless})\n"
        "@misc{\n  next-line-key,\n  title = {Key on the next line}}\n",
        encoding="utf-8",
    )
    got = [(d.title, d.line) for d in bibtex.read(path) if isinstance(d, PaperDraft)]
    assert got == [("Keyed", 1), ("Parenthesised, keyless", 3), ("Key on the next line", 5)]


def test_an_organisation_keys_by_its_first_word() -> None:
    keys = [bibtex.cite_key(p) for p in PAPERS[4:7]]
    assert keys == ["us2024guidance", "ministeriet2024bygningsreglement", "world2024global"]
    assert bibtex.cite_key(PAPERS[0]) == "lovelace2024dated"

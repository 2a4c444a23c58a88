"""RIS through the real command line: import, ``export --format ris`` and back, and bad files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from readinglist.core import exporter
from readinglist.core.formats import get_format
from readinglist.core.importing import import_files
from readinglist.core.models import Paper, PaperDraft, Status
from readinglist.core.store import Library

DATA = Path(__file__).parent / "data"
FIXTURES = ["ris_zotero.ris", "ris_scopus.ris", "ris_wos.ris", "ris_pubmed.ris", "ris_ieee.ris"]


def cli(db: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "readinglist", "--db", str(db), *argv],
        capture_output=True,
        text=True,
        timeout=120,
    )


def titles(db: Path) -> list[str]:
    if not db.exists():
        return []
    with Library(db) as lib:
        return sorted(p.title for p in exporter.select(lib))


def test_cli_imports_every_fixture_and_exports_them_again(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    done = cli(db, "import", *(str(DATA / name) for name in FIXTURES))
    assert done.returncode == 0, done.stderr
    assert "8 added" in done.stdout
    out = tmp_path / "out.ris"
    exported = cli(db, "export", "--format", "ris", "--output", str(out))
    assert exported.returncode == 0, exported.stderr
    again = tmp_path / "again.db"
    back = cli(again, "import", str(out))
    assert back.returncode == 0, back.stderr
    assert "8 added" in back.stdout
    assert titles(again) == titles(db)


def _fidelity(paper: Paper) -> tuple[object, ...]:
    return (
        paper.title,
        paper.authors,
        paper.year,
        paper.date,
        paper.doi,
        paper.arxiv_id,
        paper.url,
        tuple(sorted(paper.tags)),
        paper.abstract,
        paper.notes,
        paper.links,
        paper.primary_link,
    )


def test_round_trip_of_the_sample_keeps_every_field(sample_library: Library, tmp_path: Path) -> None:
    lib = sample_library
    # The sample has titles and abstracts only: the fixtures bring authors, dates,
    # DOIs, URLs, arXiv ids and tags, and one more file the corner cases.
    extra = tmp_path / "extra.ris"
    extra.write_text(
        "TY  - BOOK\nTI  - De consolatione philosophiae\nAU  - Boethius\nPY  - 0524\nER  - \n"
        "TY  - JOUR\nTI  - Day kept\nAU  - van der Berg, Anna Maria\nDA  - 1999/02/03/\nPY  - 1999\n"
        "UR  - https://example.org/x?a=1&b=2;c\nER  - \n",
        encoding="utf-8",
    )
    import_files(lib, [*(DATA / name for name in FIXTURES), extra])
    papers = list(exporter.select(lib))
    # Give the sample what it lacks, so every field the format carries is exercised.
    first, second, third = papers[0], papers[1], papers[2]
    lib.set_note(first.id, "line one\n\n  indented line two\twith a tab\nline three")
    lib.tag(first.id, add=["to read", "theory; math"])
    lib.tag(second.id, add=["rag"])
    lib.set_status(third.id, Status.READ)
    out = tmp_path / "sample.ris"
    with out.open("w", encoding="utf-8", newline="") as stream:
        written = exporter.export(lib, "ris", stream)
    assert written == len(papers) == 230
    target = tmp_path / "back.db"
    with Library(target) as back:
        report = import_files(back, [out])
        assert report.added == 230 and not report.skipped
        before = {p.title: _fidelity(p) for p in exporter.select(lib)}
        after = {p.title: _fidelity(p) for p in exporter.select(back)}
    assert len(before) == 230
    assert before["De consolatione philosophiae"][2] == 524
    assert before["Day kept"][1:4] == (("Anna Maria van der Berg",), 1999, "1999-02-03")
    # The tab in a note comes back as a space: RIS values hold no control characters.
    note = "line one\n\n  indented line two with a tab\nline three"
    assert after[first.title][-3] == note.replace("\n  ", "\n")
    for title, fields in before.items():
        if title == first.title:
            fields = (*fields[:-3], after[title][-3], *fields[-2:])
        assert after[title] == fields, title


def test_control_characters_are_dropped_on_the_way_in(library: Library, tmp_path: Path) -> None:
    source = tmp_path / "odd.ris"
    source.write_text(
        "TY  - JOUR\nTI  - Ring\x07 the\x1b[31m bell\nAB  - First line\nAB  - ER  - not an end\nER  - \n",
        encoding="utf-8",
    )
    assert import_files(library, [source]).added == 1
    (paper,) = exporter.select(library)
    assert paper.title == "Ring the [31m bell"
    assert paper.abstract == "First line\nER  - not an end"


def test_values_with_line_breaks_and_control_characters_write_a_file_that_reads_back(
    library: Library, tmp_path: Path
) -> None:
    source = tmp_path / "one.ris"
    source.write_text("TY  - JOUR\nTI  - Placeholder\nER  - \n", encoding="utf-8")
    import_files(library, [source])
    (stored,) = exporter.select(library)
    odd = stored._replace(
        title="Two\nline\x00 title",
        authors=("Jane\x1b Doe", "Plato"),
        abstract="Para one\r\nER  - \n\nTY  - BOOK\x0c end",
        url="https://example.org/a b\nc",
        tags=("new\nline",),
        notes="TI  - not a title",
    )
    out = tmp_path / "out.ris"
    with out.open("w", encoding="utf-8", newline="") as stream:
        write = get_format("ris").write
        assert write is not None
        write([odd], stream)
    text = out.read_text(encoding="utf-8")
    assert not any(ch in text for ch in "\x00\x1b\x0c\r")
    reader = get_format("ris").read
    assert reader is not None
    (back,) = list(reader(out))
    assert isinstance(back, PaperDraft)
    assert back.title == "Two line title"
    assert back.authors == ("Jane Doe", "Plato")
    # A form feed breaks the line as a line break does; nothing in the text ends or starts a record.
    assert back.abstract == "Para one\nER  -\n\nTY  - BOOK\nend"
    assert back.url == "https://example.org/a%20b%0Ac"
    assert (back.tags, back.notes) == (("new line",), "TI  - not a title")


def test_bad_record_stops_the_import_with_one_line_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    assert cli(db, "import", str(DATA / "ris_ieee.ris")).returncode == 0
    bad = tmp_path / "bad.ris"
    bad.write_text(
        "TY  - JOUR\nTI  - Fine paper\nER  - \n\nTY  - JOUR\nAU  - Doe, Jane\nPY  - 2020\nER  - \n",
        encoding="utf-8",
    )
    done = cli(db, "import", str(bad))
    assert done.returncode != 0
    message = done.stderr.strip()
    assert len(message.splitlines()) == 1, message
    assert f"{bad}:5" in message and "has no title" in message
    assert titles(db) == ["Deep Residual Learning for Image Recognition"]
    skipped = cli(db, "import", "--skip-bad", str(bad))
    assert skipped.returncode == 0, skipped.stderr
    assert "1 added" in skipped.stdout and "1 skipped" in skipped.stdout
    assert titles(db) == ["Deep Residual Learning for Image Recognition", "Fine paper"]


def test_a_ris_named_file_that_is_not_ris_says_so(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    bad = tmp_path / "empty-records.ris"
    bad.write_text("Provider: Example\nContent: text/plain\n", encoding="utf-8")
    done = cli(db, "import", str(bad))
    assert done.returncode != 0
    assert "no RIS records found" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert titles(db) == []

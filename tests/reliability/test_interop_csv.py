"""A stray quote in a CSV is a bad entry at its line, not a silent swallow of every later row (#12)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from readinglist.core.formats import BadEntry, csv_format
from readinglist.core.models import PaperDraft
from readinglist.core.store import Library

from .interop_cli import run_cli


def read(path: Path) -> tuple[list[PaperDraft], list[BadEntry]]:
    items = list(csv_format.read(path))
    return [i for i in items if isinstance(i, PaperDraft)], [i for i in items if isinstance(i, BadEntry)]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_a_quote_never_closed_is_reported_at_its_line_and_the_rows_after_it_are_read(tmp_path: Path) -> None:
    path = write(
        tmp_path / "stray.csv",
        'title,abstract\nFirst,ok\nSecond,"a stray quote, never closed\nThird,fine\nFourth,also fine\n',
    )
    good, bad = read(path)
    assert [g.title for g in good] == ["First", "Third", "Fourth"]
    assert [g.line for g in good] == [2, 4, 5]
    assert [(b.line, b.reason) for b in bad] == [
        (3, "a quoted cell opened on this line is never closed (a stray '\"'?)")
    ]


def test_a_stray_quote_closed_by_a_later_quoted_cell_is_caught(tmp_path: Path) -> None:
    path = write(
        tmp_path / "stray.csv",
        'title,abstract\nFirst,ok\nSecond,"stray\nThird,fine\nFourth,"quoted, with a comma"\nFifth,end\n',
    )
    good, bad = read(path)
    assert [(g.title, g.abstract) for g in good] == [
        ("First", "ok"),
        ("Third", "fine"),
        ("Fourth", "quoted, with a comma"),
        ("Fifth", "end"),
    ]
    assert len(bad) == 1 and bad[0].line == 3
    assert bad[0].reason.startswith("a quoted cell runs on to line 5 and breaks there")


def test_a_closed_quote_that_leaves_the_row_short_is_caught(tmp_path: Path) -> None:
    # The stray cell closes at a literal inch mark followed by a comma: the csv
    # module is happy, but the row that spans two lines has 3 cells for 4 columns.
    path = write(tmp_path / "inch.csv", 'title,abstract,year,url\nA,"stray,2020\nB,size 12",2021\n')
    good, bad = read(path)
    assert [(g.title, g.abstract, g.year) for g in good] == [("B", 'size 12"', 2021)]
    assert [(b.line, b.reason) for b in bad] == [
        (2, "a quoted cell runs on to line 3 and leaves 3 cells for 4 columns (a stray '\"' here?)")
    ]


def test_a_cell_that_grows_past_the_field_limit_is_bad_and_memory_stays_bounded(tmp_path: Path) -> None:
    filler = "".join(f"Row {n},some text without any quote\n" for n in range(20_000))
    path = write(tmp_path / "long.csv", f'title,abstract\nStart,"stray\n{filler}')
    good, bad = read(path)
    limit = csv.field_size_limit()
    assert len(bad) == 1 and bad[0].line == 2
    assert bad[0].reason.startswith(f"a quoted cell runs on past {limit} characters")
    assert len(good) == 20_000 and good[0].title == "Row 0" and good[-1].line == 20_002


def test_quoted_cells_with_line_breaks_still_read(tmp_path: Path) -> None:
    path = write(
        tmp_path / "multi.csv",
        'title,abstract,tags\n"Two, lines","first line\nsecond ""quoted"" line",a; b\nNext,plain,\n',
    )
    good, bad = read(path)
    assert not bad
    assert [(g.title, g.abstract, g.tags, g.line) for g in good] == [
        ("Two, lines", 'first line\nsecond "quoted" line', ("a", "b"), 2),
        ("Next", "plain", (), 4),
    ]


def test_text_after_a_closing_quote_on_one_line_is_still_taken_as_before(tmp_path: Path) -> None:
    path = write(tmp_path / "sloppy.csv", 'title,year\n"Spaced" ,2020\n')
    good, bad = read(path)
    assert not bad and [(g.title, g.year) for g in good] == [("Spaced", 2020)]


def test_cli_reports_one_line_exit_1_and_nothing_changes(tmp_path: Path, db_path: Path) -> None:
    rows = "".join(f"Paper {n},abstract {n}\n" for n in range(40))
    path = write(tmp_path / "papers.csv", f'title,abstract\nGood,ok\nBad,"oops\n{rows}')
    result = run_cli("import", path, db=db_path)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (
        f"readinglist: {path}:3: a quoted cell opened on this line is never closed (a stray '\"'?)"
        "; nothing imported; run again with --skip-bad to import the other 41\n"
    )
    with Library(db_path) as lib:
        assert lib.count() == 0


def test_cli_skip_bad_keeps_every_other_row(tmp_path: Path, db_path: Path) -> None:
    rows = "".join(f"Paper {n},abstract {n}\n" for n in range(40))
    path = write(tmp_path / "papers.csv", f'title,abstract\nGood,ok\nBad,"oops\n{rows}')
    result = run_cli("import", "--skip-bad", path, db=db_path)
    assert (result.returncode, result.stdout) == (0, "41 added, 0 already in the library, 1 skipped\n")
    assert result.stderr.count("\n") == 1 and f"{path}:3: a quoted cell opened" in result.stderr
    with Library(db_path) as lib:
        longest = max(len(p.abstract) for p in lib.papers())
    assert longest == len("abstract 39")


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_line_numbers_hold_with_either_line_end(tmp_path: Path, newline: str) -> None:
    text = newline.join(["title,abstract", 'A,"two', 'lines"', 'B,"never closed', "C,c", ""])
    good, bad = read(write(tmp_path / "ends.csv", text))
    assert [(g.title, g.line) for g in good] == [("A", 2), ("C", 5)]
    assert [b.line for b in bad] == [4]

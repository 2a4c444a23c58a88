"""A strict import that meets bad entries reads the whole file and says how many (#18 §4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.input_cli import cli, dump, err, one_line, out


def entry(n: int, title: bool = True) -> str:
    title_line = f"  title = {{Paper number {n} on {'abcde'[n % 5]}}},\n" if title else ""
    return f"@article{{key{n},\n{title_line}  author = {{Author, A{n}}},\n  year = {{2020}}\n}}\n\n"


def library_file(path: Path, total: int, bad: set[int]) -> dict[int, int]:
    """A BibTeX file of ``total`` entries, those numbered in ``bad`` untitled; their first lines by number."""
    lines, at, line = [], {}, 1
    for n in range(total):
        text = entry(n, n not in bad)
        at[n] = line
        line += text.count("\n")
        lines.append(text)
    path.write_text("".join(lines), encoding="utf-8")
    return at


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "library.db"
    start = tmp_path / "start.bib"
    start.write_text("@article{x,\n  title = {Already here}\n}\n", encoding="utf-8")
    assert cli(path, "import", start).returncode == 0
    return path


def test_many_bad_entries_are_counted(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    bad = {650 + 20 * i for i in range(10)}
    at = library_file(path, 911, bad)
    before = dump(db)
    result = cli(db, "import", path)
    assert result.returncode == 1
    assert one_line(err(result)) == (
        f"readinglist: {path}: 10 bad entries (first at {path}:{at[650]}: entry 'key650' has no title); "
        "nothing imported; run again with --skip-bad to import the other 901"
    )
    assert out(result) == ""
    assert dump(db) == before
    skipped = cli(db, "import", "--skip-bad", path)
    assert skipped.returncode == 0, err(skipped)
    assert out(skipped) == "901 added, 0 already in the library, 10 skipped\n"


def test_one_bad_entry_keeps_its_line_and_gives_the_hint(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    at = library_file(path, 5, {3})
    result = cli(db, "import", path)
    assert result.returncode == 1
    assert one_line(err(result)) == (
        f"readinglist: {path}:{at[3]}: entry 'key3' has no title; "
        "nothing imported; run again with --skip-bad to import the other 4"
    )


def test_bad_entries_in_several_files(db: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.bib", tmp_path / "b.bib"
    at = library_file(first, 4, {1})
    library_file(second, 3, {0, 2})
    before = dump(db)
    result = cli(db, "import", first, second)
    assert result.returncode == 1
    assert one_line(err(result)) == (
        f"readinglist: 2 files: 3 bad entries (first at {first}:{at[1]}: entry 'key1' has no title); "
        "nothing imported; run again with --skip-bad to import the other 4"
    )
    assert dump(db) == before

"""A file past the size that is parsed in a helper process, with bad entries, under ``--skip-bad``.

Inputs of ``PARALLEL_MIN_BYTES`` or more are read by a helper process. An entry
that made the reader raise something other than a format error (a RecursionError
for deep nesting, a ValueError for a huge integer) used to end the helper with
"the import reader failed", and the whole import with it, even under
``--skip-bad``: 20,000 good papers were lost to one bad line. A surrogate
reached the writer and failed the insert of its whole batch.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readinglist.core.importing.reader import PARALLEL_MIN_BYTES
from tests.reliability.input_cli import cli, err, out

PAPERS = 2000
PAD = PARALLEL_MIN_BYTES // PAPERS + 100
"""Trailing blanks on each line bring the file past the threshold without making the work heavy."""
BAD = {
    500: '{"title": "Deep", "x": %s}' % ("[" * 100_000 + "]" * 100_000),
    1000: '{"title": "Big", "x": %s}' % ("9" * 5000),
    1500: '{"title": "Half \\ud800 a pair"}',
}
REASONS = {500: "nested too deeply", 1000: "longer than 4300 digits", 1500: "title holds \\ud800"}


def _lines(layout: str) -> list[str]:
    # The arXiv snapshot's "id" is an arXiv id; our export's is a number.
    key = "id" if layout == "jsonl" else "arxiv_id"
    lines = []
    for n in range(1, PAPERS + 1):
        if n in BAD:
            text = f'{{"{key}": "9999.{n:05d}", ' + BAD[n][1:]
        else:
            text = json.dumps({key: f"2401.{n:05d}", "title": f"Paper {n}", "abstract": f"About {n}."})
        lines.append(text + " " * PAD)
    if layout == "json":
        # A bare array, one paper a line, read by the streaming JSON reader.
        return ["[", *(f"{line}," for line in lines[:-1]), lines[-1], "]"]
    return lines


@pytest.mark.slow
@pytest.mark.parametrize(("layout", "suffix", "offset"), [("jsonl", "jsonl", 0), ("json", "json", 1)])
def test_big_file_with_bad_entries_keeps_every_good_paper(
    tmp_path: Path, layout: str, suffix: str, offset: int
) -> None:
    path = tmp_path / f"big.{suffix}"
    path.write_text("\n".join(_lines(layout)) + "\n", encoding="utf-8")
    assert path.stat().st_size >= PARALLEL_MIN_BYTES  # read by the helper process
    db = tmp_path / "library.db"
    result = cli(db, "import", "--skip-bad", path)
    assert result.returncode == 0, err(result)
    expected = [f"readinglist: skipped {path}:{n + offset}: " for n in sorted(BAD)]
    lines = err(result).splitlines()
    assert [line[: len(e)] for line, e in zip(lines, expected, strict=True)] == expected
    assert all(REASONS[n] in line for n, line in zip(sorted(BAD), lines, strict=True))
    assert out(result) == f"{PAPERS - len(BAD)} added, 0 already in the library, {len(BAD)} skipped\n"


@pytest.mark.slow
def test_big_file_without_skip_bad_fails_on_the_first_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text("\n".join(_lines("jsonl")) + "\n", encoding="utf-8")
    db = tmp_path / "library.db"
    result = cli(db, "import", path)
    assert result.returncode == 1
    # The whole file is read first (#18): its bad lines are counted, the first one quoted.
    assert err(result) == (
        f"readinglist: {path}: {len(BAD)} bad entries "
        f"(first at {path}:500: invalid JSON: nested too deeply); "
        f"nothing imported; run again with --skip-bad to import the other {PAPERS - len(BAD)}\n"
    )
    assert "papers: 0" in out(cli(db, "stats"))

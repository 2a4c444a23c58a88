"""A reader that fails on something it did not foresee: one line, and ``--skip-bad`` keeps what was read.

The built-in readers turn every known kind of bad entry into a ``BadEntry``
(see test_input_import.py). This is the net under them and under formats added
later: an unexpected exception from a reader ends that file with a
``FormatError``, and one from preparing a draft makes that draft a bad entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from readinglist.core.errors import FormatError
from readinglist.core.formats import BadEntry, Format, register
from readinglist.core.importing import import_files
from readinglist.core.models import PaperDraft
from readinglist.core.store import Library


def _read(path: Path) -> Iterator[PaperDraft | BadEntry]:
    yield PaperDraft(title="First", line=1)
    # A draft whose fields break the typed contract (a third-party reader's bug).
    yield PaperDraft(title="Second", authors=("Ann", 5), line=2)  # type: ignore[arg-type]
    yield PaperDraft(title="Third", line=3)
    raise ArithmeticError("the reader's own bug")


register(
    Format(name="test-buggy", description="raises after three drafts", sniff=lambda h, p: False, read=_read)
)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "any.txt"
    path.write_text("anything\n", encoding="utf-8")
    return path


def test_without_skip_bad_the_first_problem_is_one_error(library: Library, source: Path) -> None:
    with pytest.raises(FormatError) as raised:
        import_files(library, [source], format_name="test-buggy")
    # The whole input is read first (#18): the draft it cannot handle and the reader's
    # own failure are counted, the first one quoted.
    where = re.escape(str(source))
    assert re.fullmatch(
        rf"{where}: 2 bad entries \(first at {where}:2: cannot import this entry: \w+Error: .+\); "
        r"nothing imported; run again with --skip-bad to import the other 2",
        str(raised.value),
    )
    assert library.count() == 0


def test_skip_bad_keeps_what_was_read_and_says_where_reading_stopped(library: Library, source: Path) -> None:
    report = import_files(library, [source], format_name="test-buggy", skip_bad=True)
    bad_draft, stopped = report.skipped
    assert re.fullmatch(rf"{re.escape(str(source))}:2: cannot import this entry: \w+Error: .+", bad_draft)
    assert stopped == f"{source}: reading stopped after line 3: ArithmeticError: the reader's own bug"
    assert sorted(p.title for p in library.papers()) == ["First", "Third"]

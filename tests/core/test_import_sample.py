"""Importing the sample layout: exact papers, dedup, tolerance and all-or-nothing failure."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from readinglist.core.errors import FormatError
from readinglist.core.formats import detect_format
from readinglist.core.importing import import_files
from readinglist.core.models import View
from readinglist.core.sample import SEEDED_KEY, import_sample, sample_path, seed_if_new
from readinglist.core.store import Library

FIRST = "The Consensus Game: Language Model Generation via Equilibrium Search"
LAST = (
    "CMM-Math: A Chinese Multimodal Math Dataset To Evaluate and Enhance the Mathematics "
    "Reasoning of Large Multimodal Models"
)


def _sample_text() -> str:
    return sample_path().read_text(encoding="utf-8")


def _titles(library: Library) -> list[str]:
    return [row[0] for row in library.db.execute("SELECT title FROM papers ORDER BY id")]


def test_sample_ships_inside_the_package() -> None:
    path = sample_path()
    assert path.is_file()
    assert "readinglist" in path.parts and "shared" not in path.parts


def test_sample_imports_exactly_its_220_papers(library: Library) -> None:
    report = import_sample(library)
    assert (report.added, report.existing) == (220, 0)
    titles = _titles(library)
    assert len(titles) == 220
    assert titles[0] == FIRST
    assert titles[-1] == LAST
    assert not any(t.startswith("Subscribe") for t in titles)
    first = library.get(1)
    assert first.abstract.startswith("When applied to question answering")
    assert first.source == "hf-papers-seed.txt:3 (hf-text)"


def test_reimport_adds_nothing_and_says_so(sample_library: Library) -> None:
    report = import_sample(sample_library)
    assert (report.added, report.existing) == (0, 220)
    assert report.summary() == "0 added, 220 already in the library"
    assert sample_library.count() == 220


def test_dedup_folds_case_punctuation_and_spacing(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "dupes.txt"
    path.write_text(
        "SubscribeMistral 7B: a Model\nAbstract one.\nmistral 7b -- A   MODEL!\nAbstract two.\n",
        encoding="utf-8",
    )
    report = import_files(library, [path])
    assert (report.added, report.existing) == (1, 1)


def test_crlf_bom_blank_lines_and_trailing_spaces(library: Library, tmp_path: Path) -> None:
    lines = _sample_text().splitlines()
    messy = "\ufeff" + "\r\n".join(
        line + "   " + ("\r\n" if i % 7 == 0 else "") for i, line in enumerate(lines)
    )
    path = tmp_path / "messy.txt"
    path.write_bytes(messy.encode("utf-8"))
    assert detect_format(path).name == "hf-text"
    report = import_files(library, [path])
    assert report.added == 220
    titles = _titles(library)
    assert titles[0] == FIRST and titles[-1] == LAST


def _snapshot(library: Library) -> list[tuple[object, ...]]:
    return [tuple(row) for row in library.db.conn.iterdump()]


def _assert_fails_unchanged(library: Library, path: Path, match: str) -> None:
    before = _snapshot(library)
    with pytest.raises(FormatError, match=match):
        import_files(library, [path])
    assert _snapshot(library) == before
    assert library.count() == 220


def test_title_without_abstract_at_end_fails_whole_import(sample_library: Library, tmp_path: Path) -> None:
    path = tmp_path / "broken.txt"
    path.write_text("SubscribeNew Paper A\nAbstract A.\nNew Paper B\n", encoding="utf-8")
    _assert_fails_unchanged(sample_library, path, r"broken\.txt:3: title with no abstract")


def test_missing_abstract_mid_file_is_caught(sample_library: Library, tmp_path: Path) -> None:
    lines = _sample_text().splitlines()
    del lines[6]  # the abstract of the third paper
    path = tmp_path / "gap.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _assert_fails_unchanged(sample_library, path, r"gap\.txt:\d+: expected a title")


def test_binary_file_fails_with_its_name(sample_library: Library, tmp_path: Path) -> None:
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)))
    _assert_fails_unchanged(sample_library, path, r"image\.png: binary file")


def test_missing_path_fails(sample_library: Library, tmp_path: Path) -> None:
    _assert_fails_unchanged(sample_library, tmp_path / "nope.txt", r"nope\.txt: no such file")


def test_two_files_are_one_transaction(library: Library, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    shutil.copy(sample_path(), good)
    bad = tmp_path / "bad.txt"
    bad.write_text("SubscribeLonely title\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"bad\.txt"):
        import_files(library, [good, bad])
    assert library.count() == 0


def test_dry_run_changes_nothing(library: Library) -> None:
    report = import_files(library, [sample_path()], dry_run=True)
    assert report.added == 220
    assert library.count() == 0


def test_import_tags_every_paper(library: Library) -> None:
    import_files(library, [sample_path()], tags=["seed"])
    assert library.count(View.ALL, tag="seed") == 220


def test_seed_if_new_imports_once_and_remembers(library: Library) -> None:
    report = seed_if_new(library)
    assert report is not None and report.added == 220
    assert library.get_meta(SEEDED_KEY) is not None
    for pid in library.ids():
        library.delete(pid)
    assert seed_if_new(library) is None
    assert library.count() == 0


def test_seed_if_new_leaves_a_used_library_alone(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    path.write_text("SubscribeOnly Paper\nIts abstract.\n", encoding="utf-8")
    import_files(library, [path])
    assert seed_if_new(library) is None
    assert library.count() == 1

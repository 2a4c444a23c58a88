"""The benchmarks' corpus generator writes each format so that the importer reads it back.

``benchmarks/make_corpus.py`` is a script, not part of the package; it is loaded
from its file, as ``python benchmarks/make_corpus.py`` runs it from a clone.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from readinglist.core.formats import detect_format
from readinglist.core.importing import import_files
from readinglist.core.store import Library

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
EXTENSIONS = {"arxiv-jsonl": "jsonl", "bibtex": "bib", "hf-text": "txt"}


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Registered first: its dataclasses look their module up while they are made.
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def make_corpus() -> ModuleType:
    return _load("make_corpus")


def _write(make_corpus: ModuleType, tmp_path: Path, fmt: str, n: int, *extra: str) -> Path:
    out = tmp_path / f"corpus.{EXTENSIONS[fmt]}"
    assert make_corpus.main(["-n", str(n), "-f", fmt, "-o", str(out), *extra]) == 0
    return out


@pytest.mark.parametrize("fmt", sorted(EXTENSIONS))
def test_each_format_is_detected_and_imported_whole(
    make_corpus: ModuleType, tmp_path: Path, library: Library, fmt: str
) -> None:
    n = 40
    path = _write(make_corpus, tmp_path, fmt, n)
    made = list(make_corpus.papers(n))

    assert detect_format(path).name == fmt
    report = import_files(library, [path])

    assert report.added == n and report.existing == 0
    stored = library.get_many(library.ids())
    expected = [" ".join(p.title.split()) for p in made]
    if fmt == "bibtex":  # LaTeX's "--" (from a sample title) is an en dash
        expected = [title.replace("--", "\N{EN DASH}") for title in expected]
    assert sorted(p.title for p in stored) == sorted(expected)
    # Abstracts arrive whole (the reader may decode the sample's own "\\%" into "%").
    assert all(len(p.abstract.split()) >= 40 for p in stored)
    if fmt != "hf-text":  # the text layout carries titles and abstracts only
        assert {p.arxiv_id for p in stored} == {p.arxiv_id for p in made}
        by_id = {p.arxiv_id: p for p in stored}
        for paper in made:
            # Accents written in LaTeX and "Family, Given" order come back as the names.
            family = [name.split()[-1] for name in by_id[paper.arxiv_id].authors]
            assert family == [f for _, f in paper.authors]


def test_bibtex_escapes_and_latex_names_decode_to_plain_text(make_corpus: ModuleType, tmp_path: Path) -> None:
    path = _write(make_corpus, tmp_path, "bibtex", 120)
    text = path.read_text(encoding="utf-8")
    # The generator does write the hard cases the importer has to undo.
    assert '{\\"u}' in text or "{\\'e}" in text
    assert "\\%" in text and "title = {{" in text

    with Library(tmp_path / "lib.db") as library:
        import_files(library, [path])
        stored = library.get_many(library.ids())
    assert len(stored) == 120
    for paper in stored:
        # (Abstracts may keep LaTeX of the sample's own, such as "{\\it ...}".)
        for text_field in (paper.title, *paper.authors):
            assert "\\" not in text_field and "{" not in text_field, text_field


def test_same_seed_same_corpus_other_seed_other_corpus(make_corpus: ModuleType, tmp_path: Path) -> None:
    first = _write(make_corpus, tmp_path / "a", "arxiv-jsonl", 25, "--seed", "7").read_bytes()
    again = _write(make_corpus, tmp_path / "b", "arxiv-jsonl", 25, "--seed", "7").read_bytes()
    other = _write(make_corpus, tmp_path / "c", "arxiv-jsonl", 25, "--seed", "8").read_bytes()

    assert first == again
    assert first != other
    ids = [json.loads(line)["id"] for line in first.splitlines()]
    assert len(set(ids)) == 25  # arXiv ids never repeat within a corpus


def test_near_duplicates_are_reported_by_the_import(
    make_corpus: ModuleType, tmp_path: Path, library: Library
) -> None:
    path = _write(make_corpus, tmp_path, "arxiv-jsonl", 200, "--dup-rate", "0.2")

    report = import_files(library, [path])

    # Each near duplicate has an id of its own, so it is added, and flagged.
    assert report.added == 200
    assert len(report.near_duplicates) >= 20


@pytest.mark.slow
def test_the_import_benchmark_runs_from_a_clone(tmp_path: Path) -> None:
    # The script generates its input with make_corpus.py and checks the library
    # it built; a small run proves the chain works.
    command = [sys.executable, str(BENCHMARKS / "bench_import.py"), "-n", "150", "-f", "bibtex"]
    result = subprocess.run(
        [*command, "--data", str(tmp_path / "bench-data")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if line.startswith("| 1 |"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[5] == "150" and cells[-1] == "yes", row

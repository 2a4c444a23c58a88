"""BibTeX files read to the same drafts and bad entries with the fast splitter as with bibtexparser alone."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from readinglist.core.formats import BadEntry, bibtex, bibtex_fast
from readinglist.core.formats.bibtex import read
from readinglist.core.models import PaperDraft

from .test_bibtex_fast_latex import CORE_DATA, DATA, generated_bib, parser_only

BENCHMARKS = Path(__file__).resolve().parent.parent.parent / "benchmarks"

# Shapes the fast splitter hands to bibtexparser, between plain entries.
ODD = [
    '@string{acl = "Proc. of ACL"}\n',
    "@inproceedings{odd1,\n  title = {Macro venue},\n  booktitle = acl,\n  month = jun,\n}\n",
    '@misc{odd2,\n  title = "Quoted " # {joined},\n  year = 2020\n}\n',
    "@article{broken,\n  title = {Never closed,\n  year = {2021},\n}\n",
    "% a comment line\n@Article{odd3, Title = {One line}, Year = {1999}}\n",
    "@article{key3,\n  title = {A repeated key},\n}\n",
    "@article{\n  title = {EndNote keyless},\n  year = {2003}\n}\n",
    "@comment{ignored}\n",
    "@article{escaped,\n  title = {Closed only by an escaped brace (e.g.\\},\n  year = {2005},\n}\n",
    "@article{at,\n  title = {LeQua @ {CLEF} and a@b.c},\n  year = {2006},\n}\n",
    "@article{odd4,\n  title = {Month in braces},\n  month = {March},\n  year = {2004},\n}\n",
    # Months the fast splitter reads itself (a bare macro, a number, a word) or leaves alone.
    "@article{m1,\n  title = {Bare month last},\n  year = {2001},\n  month = jan\n}\n",
    "@article{m2,\n  title = {Numbers},\n  month = 13,\n  year = 2002,\n}\n",
    "@article{m3,\n  title = {Odd},\n  month = sept,\n}\n@misc{m4,\n  title = {Foo},\n  month = Foo,\n}\n",
    "@misc{m5,\n  title = {Empty},\n  month = {},\n}\n@misc{m6,\n  title = {F},\n  month = JUNE\n}\n",
    "@misc{at2,\n  title = {A line in a value that\n @ misc{starts an entry}},\n  year = {2008},\n}\n",
    '@string{dec = "January"}\n',  # from here on a bare ``dec`` is January for bibtexparser
    "@misc{m7,\n  title = {Redefined macro},\n  month = Dec,\n  year = {2007},\n}\n",
    "@misc{m8,\n  title = {A bare word elsewhere},\n  journal = jmlr,\n  month = {05},\n}\n",
]


def read_both(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[PaperDraft | BadEntry], list[PaperDraft | BadEntry]]:
    new = list(read(path))
    with monkeypatch.context() as patch:
        patch.setattr(bibtex_fast, "blocks", lambda *args: None)
        old = list(read(path))
    return new, old


def test_every_utf8_fixture_reads_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    compared = 0
    for path in sorted([*CORE_DATA.glob("*.bib"), *DATA.glob("*.bib")]):
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        new, old = read_both(path, monkeypatch)
        assert new == old, path.name
        compared += len(new)
    assert compared > 40


def test_a_generated_file_with_odd_entries_between_reads_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = generated_bib(1200).split("\n\n")
    mixed = []
    for i, entry in enumerate(plain):
        mixed.append(entry)
        if i % 53 == 5:  # every odd shape at least once
            mixed.append(ODD[(i // 53) % len(ODD)])
    path = tmp_path / "mixed.bib"
    path.write_text("\n\n".join(mixed), encoding="utf-8")
    # Many chunks: odd entries at their edges, and chunks of plain entries only (read in one pass).
    monkeypatch.setattr(bibtex, "CHUNK_ENTRIES", 40)
    new, old = read_both(path, monkeypatch)
    assert len(new) > 1200
    assert {"m1", "m8"} <= {d.key for d in new if isinstance(d, PaperDraft)}
    assert new == old


def test_plain_entries_are_read_without_bibtexparser() -> None:
    text = generated_bib(3)
    found = bibtex_fast.entries(text)
    assert found is not None and [e.key for e in found] == ["key0", "key1", "key2"]
    assert bibtex_fast.entries(text + ODD[0]) is None


def test_months_are_numbered_as_bibtexparser_numbers_them() -> None:
    found = bibtex_fast.entries("".join(ODD[11:14]))
    assert found is not None
    assert [e.fields_dict["month"].value for e in found] == [1, "13", "sept", "Foo"]
    # A macro that a ``@string`` redefines is left to bibtexparser.
    assert bibtex_fast.entries(ODD[17], {"dec"}) is None
    assert bibtex_fast.entries(ODD[17]) is not None


def test_the_benchmark_corpus_reads_as_with_bibtexparser_and_pylatexenc_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shapes of ``make_corpus.py``'s BibTeX (bare ``month = jan``, braced titles, escapes, accents)."""
    spec = importlib.util.spec_from_file_location("make_corpus", BENCHMARKS / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    make_corpus = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "make_corpus", make_corpus)  # its dataclasses look it up
    spec.loader.exec_module(make_corpus)
    path = tmp_path / "corpus.bib"
    assert make_corpus.main(["-n", "400", "-f", "bibtex", "-o", str(path), "--dup-rate", "0.05"]) == 0
    assert "month = jan" in path.read_text(encoding="utf-8")
    new = list(read(path))
    with parser_only(), monkeypatch.context() as patch:
        patch.setattr(bibtex_fast, "blocks", lambda *args: None)
        old = list(read(path))
    assert len(new) == 400
    assert new == old

"""A large file read in parts by two helper processes gives what one process reading it whole gives.

Differential: the same files are read whole (``reader._batches``, what one
helper or the writer itself runs) and in parts (``shards.work`` for helpers 0
and 1, merged in file order), and the papers, bad entries, errors, word counts
and progress positions compared. Parts are made tiny (a few hundred bytes) and
BibTeX's chunks three entries long, so that every tricky place falls on or
near a cut. The end-to-end tests run the real helper processes.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from readinglist.core.errors import FormatError, ReadingListError
from readinglist.core.formats import BadEntry, bibtex, get_format
from readinglist.core.importing import files as importer
from readinglist.core.importing import import_files, shards
from readinglist.core.importing import reader as import_read
from readinglist.core.importing.prepare import Prepared
from readinglist.core.store import Library

from .test_import_run import _state

ROOT = Path(__file__).resolve().parent.parent.parent
Outcome = tuple[list[tuple[str, list[Prepared | BadEntry], str | None]], Counter[str], dict[str, int]]


def _whole(paths: list[Path], fmt: str) -> Outcome:
    sources = [(p, get_format(fmt)) for p in paths]
    return _outcome(import_read._batches(sources, 7, count=True))


def _in_parts(paths: list[Path], fmt: str, part_bytes: int) -> Outcome:
    """Both helpers run here, one after the other; the writer's merge takes their messages in turn."""
    plan = {"files": [(str(p), fmt, True) for p in paths], "batch": 7, "helpers": 2, "part_bytes": part_bytes}
    sent: list[list[tuple[Any, ...]]] = [[], []]
    for helper in (0, 1):
        shards.work({**plan, "helper": helper}, sent[helper].append)
        sent[helper].append(("done",))
    streams = [iter(s) for s in sent]
    merged = shards.merged(paths, lambda h: next(streams[h]), import_read._decoded)
    batches = list(merged)
    assert batches[-1] is None  # both said they were done
    return _outcome(b for b in batches if b is not None)


def _outcome(batches: Iterator[import_read.Batch]) -> Outcome:
    """Per file run: items, the error that stopped it; the summed counts; the last position per file."""
    files: list[tuple[str, list[Prepared | BadEntry], str | None]] = []
    counts: Counter[str] = Counter()
    positions: dict[str, int] = {}
    for batch in batches:
        key = str(batch.path)
        if not files or files[-1][0] != key or files[-1][2] is not None:
            files.append((key, [], None))
            positions[key] = 0  # a file named twice is read twice
        assert batch.position >= positions[key]  # progress never goes back
        positions[key] = batch.position
        name, items, _ = files[-1]
        files[-1] = (name, items + batch.items, None if batch.error is None else str(batch.error))
        counts.update(batch.counts or {})
    return files, counts, positions


@pytest.fixture
def short_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """BibTeX chunks of three entries, so that small files have many places to cut."""
    monkeypatch.setattr(bibtex, "CHUNK_ENTRIES", 3)


def _entry(i: int, nl: str = "\n") -> str:
    lines = [
        f"@article{{key{i},",
        f"  title = {{Paper number {i} on {{BERT}} and caf\\'e}},",
        f'  author = {{M{{\\"u}}ller, Anna and Smith, J. {i}}},',
        "  year = {2020},",
        f"  abstract = {{Line one of {i}.",
        # A line of an abstract starting with "@"; now and then one that looks like an entry.
        "@misc{this line looks like an entry," if i % 10 == 9 else "@home we read on,",
        "  more text},",
        "}",
        "",
    ]
    return nl.join(lines)


def _tricky_bibtex(n: int = 40, nl: str = "\n") -> str:
    parts = ["% a comment before anything", '@preamble{"\\newcommand{\\x}{y}"}', ""]
    for i in range(n):
        if i == 2:
            parts.append("@string{jml = {Journal of Macro Learning}}")
            parts.append('@STRING(other = "Other " # jml)')
        if i == 5:
            parts.append("@comment{jabref-meta: databaseType:bibtex;}")
        if i % 9 == 4:
            # Macros defined entries before, used here (a part or more later).
            parts.append(f"@inproceedings{{mac{i},\n  title = {{Macro {i}}},\n  journal = jml,\n}}\n")
        if i % 13 == 6:
            parts.append(f"@article{{bad{i},\n  title = {{Never closed {i},\n  year = 2020,\n\n")
        if i % 11 == 3:
            parts.append(f"@article{{notitle{i},\n  year = {{2021}},\n}}\n")
        if i % 17 == 8:
            parts.append(f"@article{{,\n  title = {{No key {i}}},\n}}\n")  # a keyless entry
        parts.append(_entry(i, nl))
    return nl.join(parts)


def _same(paths: list[Path], fmt: str, part_bytes: int = 300) -> Outcome:
    whole = _whole(paths, fmt)
    assert _in_parts(paths, fmt, part_bytes) == whole
    return whole


@pytest.mark.usefixtures("short_chunks")
@pytest.mark.parametrize("nl", ["\n", "\r\n"])
@pytest.mark.parametrize("part_bytes", [200, 700, 5000])
def test_tricky_bibtex_in_parts(tmp_path: Path, nl: str, part_bytes: int) -> None:
    path = tmp_path / "tricky.bib"
    path.write_bytes(_tricky_bibtex(200, nl=nl).encode())
    files, counts, _ = _same([path], "bibtex", part_bytes)
    items = files[0][1]
    titles = [i.title for i in items if isinstance(i, Prepared)]
    # Papers (not those an "@misc{" line cuts), macro users, keyless entries.
    assert len(titles) == 180 + len(range(4, 200, 9)) + len(range(8, 200, 17))
    venues = {i.venue for i in items if isinstance(i, Prepared) and i.title.startswith("Macro")}
    assert venues == {"Journal of Macro Learning"}  # a macro defined parts before
    bad = [i for i in items if isinstance(i, BadEntry)]
    # Cut by an "@misc{" line (both halves), unclosed, without a title.
    assert len(bad) == 40 + len(range(6, 200, 13)) + len(range(3, 200, 11))
    assert all(b.line > 1 for b in bad)
    assert counts["bert"] > 0
    cuts = list(shards.parts(path, bibtex.SHARDING, part_bytes))
    assert len(cuts) > 3


@pytest.mark.usefixtures("short_chunks")
def test_bom_bad_bytes_nul_and_no_entries(tmp_path: Path) -> None:
    text = _tricky_bibtex(150).encode()
    bom = tmp_path / "bom.bib"
    bom.write_bytes(b"\xef\xbb\xbf" + text)
    first_bad = tmp_path / "first.bib"  # stops in the first part: the rest are dropped
    first_bad.write_bytes(text[:150] + b"\xff" + text[150:])
    late_bad = tmp_path / "late.bib"
    late_bad.write_bytes(text[: len(text) // 2] + b"\xc3(" + text[len(text) // 2 :])
    nul = tmp_path / "nul.bib"
    nul.write_bytes(text[: len(text) // 3] + b"\0" + text[len(text) // 3 :])
    empty = tmp_path / "empty.bib"
    empty.write_text("% nothing here\n" * 100, encoding="utf-8")
    paths = [bom, first_bad, late_bad, nul, empty, bom]
    files, _, positions = _same(paths, "bibtex")
    errors = [error for _, _, error in files]
    assert errors[0] is None and errors[-1] is None
    assert errors[1] == f"{first_bad}:6: not UTF-8 text"
    assert errors[2] is not None and "not UTF-8 text" in errors[2]
    assert errors[3] is not None and "NUL byte" in errors[3]
    assert errors[4] == f"{empty}:1: no BibTeX entries found"
    assert len(files[2][1]) > 10  # the papers before the bad byte
    assert positions[str(bom)] == len(text.decode())


@pytest.mark.usefixtures("short_chunks")
@pytest.mark.parametrize("fmt", ["bibtex", "arxiv-jsonl"])
def test_a_bad_byte_anywhere_stops_reading_where_it_does_whole(tmp_path: Path, fmt: str) -> None:
    """Reading whole, the 8 KiB decoding block holding a bad byte fails with the lines before it in it."""
    if fmt == "bibtex":
        text = _tricky_bibtex(120).encode()
    else:
        text = b"".join(
            b'{"id": "1", "title": "Paper %d", "abstract": "%s"}\n' % (i, b"w" * (i % 300))
            for i in range(300)
        )
    for at in range(40, len(text), 1777):
        path = tmp_path / f"bad-{at}"
        path.write_bytes(text[:at] + b"\xff" + text[at:])
        files, _, _ = _same([path], fmt, 3000)
        assert files[0][2] is not None and "not UTF-8" in files[0][2]


@pytest.mark.usefixtures("short_chunks")
def test_files_with_crossrefs_are_read_whole(tmp_path: Path) -> None:
    entries = [_entry(i) for i in range(20)]
    entries.insert(2, "@inproceedings{child,\n  title = {Child},\n  crossref = {conf},\n}\n")
    entries.append("@proceedings{conf,\n  title = {Conf},\n  booktitle = {Proc. Conf},\n  year = 2019,\n}\n")
    entries.append("@inproceedings{late,\n  title = {Late},\n  crossref = {conf},\n}\n")
    path = tmp_path / "crossref.bib"
    path.write_text("\n".join(entries), encoding="utf-8")
    assert [p.whole for p in shards.parts(path, bibtex.SHARDING, 200)] == [True]
    files, _, _ = _same([path], "bibtex", 200)
    years = {i.title: i.year for i in files[0][1] if isinstance(i, Prepared)}
    assert years["Child"] == years["Late"] == 2019


def test_arxiv_jsonl_in_parts(tmp_path: Path) -> None:
    lines = []
    for i in range(400):
        lines.append(
            f'{{"id": "2401.{i:05d}", "title": "Paper $\\\\alpha$ {i}", "abstract": "Words of {i}",'
            f' "authors": "A. B, C. D", "update_date": "2024-01-02"}}'
        )
        if i % 10 == 3:
            lines.append("")
        if i % 10 == 7:
            lines.append('{"id": "broken", "title": ')
    text = "\r\n".join(lines)
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    bad = tmp_path / "b.jsonl"
    bad.write_bytes(text.encode()[:30000] + b"\xfe" + text.encode()[30000:])
    files, counts, positions = _same([path, bad, path], "arxiv-jsonl", 400)
    assert len(files[0][1]) == 440 and files[0][2] is None
    assert files[1][2] is not None and "not UTF-8" in files[1][2]
    assert positions[str(path)] == len(text) - text.count("\r\n")
    assert counts["paper"] > 0


def _corpus(tmp_path: Path, fmt: str, n: int) -> Path:
    out = tmp_path / f"corpus-{n}.{'bib' if fmt == 'bibtex' else 'jsonl'}"
    command = [sys.executable, str(ROOT / "benchmarks" / "make_corpus.py"), "-n", str(n), "-f", fmt]
    subprocess.run([*command, "-o", str(out)], check=True)
    return out


@pytest.mark.parametrize("fmt", ["bibtex", "arxiv-jsonl"])
def test_generated_corpus_in_parts(tmp_path: Path, fmt: str) -> None:
    path = _corpus(tmp_path, fmt, 1200)
    files, _, _ = _same([path], fmt, 64_000)
    assert len(files[0][1]) == 1200 and files[0][2] is None


def _parallel(monkeypatch: pytest.MonkeyPatch, parts: bool) -> None:
    monkeypatch.setattr(import_read, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(shards, "SPLIT_MIN_BYTES", 0 if parts else 10**12)
    monkeypatch.setattr(shards, "SPLIT_MIN_CPUS", 1)  # two helpers even on a two-core machine
    monkeypatch.setattr(shards, "PART_BYTES", 50_000)


@pytest.mark.parametrize("skip_bad", [False, True])
def test_two_helper_processes_import_the_same_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, skip_bad: bool
) -> None:
    bib = _corpus(tmp_path, "bibtex", 600)
    with bib.open("a", encoding="utf-8") as out:
        out.write(_tricky_bibtex(200))  # macros, bad entries, keyless entries after the generated ones
    jsonl = _corpus(tmp_path, "arxiv-jsonl", 400)
    monkeypatch.setattr(importer, "now", lambda: "T")
    states: list[object] = []
    for parts in (False, True):
        _parallel(monkeypatch, parts)
        with Library(tmp_path / f"{parts}.db") as lib:
            reader = import_read.Reader([(bib, get_format("bibtex")), (jsonl, get_format("arxiv-jsonl"))], 50)
            assert reader.split == [parts, parts]
            try:
                report = import_files(lib, [bib, jsonl], skip_bad=skip_bad)
            except FormatError as exc:
                states.append(str(exc))
                continue
            states.append(_state(lib, report))
    assert states[1] == states[0]
    assert isinstance(states[0], list) == skip_bad


def test_two_cores_read_in_one_helper(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "1", "title": "T"}\n', encoding="utf-8")
    monkeypatch.setattr(shards, "SPLIT_MIN_BYTES", 0)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert not shards.splits(path, get_format("arxiv-jsonl"))
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert shards.splits(path, get_format("arxiv-jsonl"))
    assert not shards.splits(path, get_format("csv"))  # a format that cannot


def test_helpers_stop_with_the_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _corpus(tmp_path, "arxiv-jsonl", 2000)
    _parallel(monkeypatch, True)
    monkeypatch.setattr(import_read, "SEND_AHEAD", 1)
    with import_read.Reader([(path, get_format("arxiv-jsonl"))], 10) as reader:
        assert len(reader.processes) == 2
        processes = list(reader.processes)
        first = next(iter(reader.batches()))  # the writer gives up after one batch
        assert len(first.items) == 10
    assert all(p.poll() is not None for p in processes)


def test_a_helper_that_fails_stops_the_import_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _corpus(tmp_path, "bibtex", 300)
    _parallel(monkeypatch, True)
    reader = import_read.Reader([(path, get_format("bibtex"))], 10)
    with reader:
        # Helper 1 dies (as if killed) before sending anything the writer needed.
        reader.processes[1].kill()
        with pytest.raises(ReadingListError, match="the import reader stopped unexpectedly"):
            for _ in reader.batches():
                pass
    assert not reader.processes


def test_crash_message_names_the_failure(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def failing(plan: dict[str, Any], send: Callable[[tuple[Any, ...]], None]) -> None:
        raise RuntimeError("part reader broke")

    monkeypatch.setattr(shards, "work", failing)
    out = tmp_path / "out"
    with out.open("wb") as sink:
        import_read._work({"files": [], "batch": 1, "helper": 0, "helpers": 2}, sink)
    with out.open("rb") as source:
        assert pickle.load(source) == ("crash", "RuntimeError: part reader broke")

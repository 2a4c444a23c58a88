"""A JSON export in any layout (pretty-printed, minified, keys sorted, a bare array) streams."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from readinglist.core import exporter
from readinglist.core.errors import FormatError
from readinglist.core.formats import BadEntry, detect_format, json_export, json_stream, textio
from readinglist.core.importing import import_files
from readinglist.core.models import PaperDraft, View
from readinglist.core.store import Library

from .test_export import curate, dump


def export_doc(library: Library) -> dict[str, object]:
    out = io.StringIO()
    exporter.export(library, "json", out)
    doc: dict[str, object] = json.loads(out.getvalue())
    return doc


LAYOUTS: dict[str, Callable[[object], str]] = {
    "jq": lambda doc: json.dumps(doc, indent=2, ensure_ascii=False) + "\n",
    "jq -S": lambda doc: json.dumps(doc, indent=2, sort_keys=True) + "\n",
    "tabs, CRLF": lambda doc: json.dumps(doc, indent="\t").replace("\n", "\r\n"),
    "minified": lambda doc: json.dumps(doc, separators=(",", ":"), ensure_ascii=False),
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_reformatted_export_restores_an_identical_library(
    sample_library: Library, tmp_path: Path, layout: str
) -> None:
    curate(sample_library)
    path = tmp_path / "reformatted.json"
    path.write_text(LAYOUTS[layout](export_doc(sample_library)), encoding="utf-8", newline="")
    assert detect_format(path).name == "json"
    with Library(tmp_path / "restored.db") as restored:
        report = import_files(restored, [path])
        assert (report.added, report.skipped) == (217, [])
        assert dump(restored) == dump(sample_library)  # every field
        assert restored.ids(View.QUEUE) == sample_library.ids(View.QUEUE)


def test_lines_are_where_each_paper_starts_and_chunk_edges_do_not_matter(
    sample_library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = export_doc(sample_library)
    text = json.dumps(doc["papers"], indent=2, ensure_ascii=False)
    path = tmp_path / "array.json"
    path.write_text(text, encoding="utf-8")
    starts = [n for n, line in enumerate(text.splitlines(), start=1) if line == "  {"]
    whole = [d for d in json_export.read(path) if isinstance(d, PaperDraft)]
    assert [d.line for d in whole] == starts
    # Chunks of 7 characters: every value, string and escape straddles a chunk edge somewhere.
    monkeypatch.setattr(json_stream, "CHUNK_CHARS", 7)
    assert list(json_export.read(path)) == whole
    assert textio.position(path) == len(text)
    for layout in LAYOUTS.values():
        path.write_text(layout(doc), encoding="utf-8", newline="")
        monkeypatch.setattr(json_stream, "CHUNK_CHARS", 7)
        small = list(json_export.read(path))
        monkeypatch.setattr(json_stream, "CHUNK_CHARS", 1 << 16)
        assert small == list(json_export.read(path)) and len(small) == 220


PRETTY_BAD = {
    # A paper that is not valid JSON is reported with its line and column, and skipped over.
    "bad value": (
        '[\n  {"title": "A"},\n  {"title": "B", "year": 20x},\n  {"title": "C"}\n]\n',
        ["A", "3: invalid JSON: Expecting ',' delimiter (column 28)", "C"],
    ),
    "raw newline in a string": (
        '[\n  {"title": "A\nB"},\n  {"title": "C"}\n]\n',
        ["2: invalid JSON: Invalid control character at (column 15)", "C"],
    ),
    "not a paper": (
        '{"format": "readinglist", "version": 1, "papers": [\n  [1],\n  {"title": ""},\n  {"title": "C"}\n]}',
        ["2: expected a JSON object, found list", "3: paper has no title", "C"],
    ),
    "text after the end": (
        '[\n  {"title": "A"}\n]\nxyz\n',
        ["A", "4: text after the end of the JSON document"],
    ),
    "minified": (
        '[{"title": "A"}, {"title": "B" "year": 1}, {"title": "C"}]',
        ["A", "1: invalid JSON: Expecting ',' delimiter (column 32)", "C"],
    ),
}


@pytest.mark.parametrize("case", PRETTY_BAD)
def test_bad_papers_are_reported_with_their_line_and_reading_goes_on(tmp_path: Path, case: str) -> None:
    text, want = PRETTY_BAD[case]
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    got = [f"{i.line}: {i.reason}" if isinstance(i, BadEntry) else i.title for i in json_export.read(path)]
    assert got == want


BROKEN = {
    "missing comma": (
        '[\n  {"title": "A"}\n  {"title": "B"}\n]\n',
        "3: invalid JSON: expected ',' after a paper, found '{' (column 3)",
    ),
    "trailing comma": ('[\n  {"title": "A"},\n]\n', "3: invalid JSON: ',' before ']' (column 1)"),
    "cut in a paper": (
        '[\n  {"title": "A"},\n  {"title": "B",\n',
        "3: invalid JSON: the file ends inside this paper (truncated?)",
    ),
    "cut after a paper": (
        '[\n  {"title": "A"},\n  {"title": "B"}\n',
        "4: invalid JSON: the file ends inside the paper list (truncated?)",
    ),
    "version after the papers": (
        '{\n  "format": "readinglist",\n  "papers": [\n    {"title": "A"}\n  ],\n  "version": 9\n}\n',
        "6: unsupported export version 9",
    ),
    "no format": (
        '{\n  "papers": [\n    {"title": "A"}\n  ]\n}\n',
        "1: expected a readinglist export or a JSON array of papers",
    ),
    "other format": (
        '{\n  "format": "zotero",\n  "papers": []\n}\n',
        "2: expected a readinglist export or a JSON array of papers",
    ),
    "NUL byte": ('[\n  {"title": "A"},\n\0\n]\n', "3: binary data (NUL byte), not text"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_document_stops_with_one_line_naming_file_and_line(tmp_path: Path, case: str) -> None:
    text, want = BROKEN[case]
    path = tmp_path / "broken.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError) as caught:
        list(json_export.read(path))
    assert str(caught.value) == f"{path}:{want}"
    assert "\n" not in str(caught.value)


def test_invalid_utf8_names_its_own_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    lines = ["["] + [f'  {{"title": "Paper {i}"}},' for i in range(5000)] + ['  {"title": "Caf\xe9"}', "]"]
    path.write_bytes("\n".join(lines).encode("latin-1"))
    with pytest.raises(FormatError, match=r"latin1\.json:5002: not UTF-8 text$"):
        list(json_export.read(path))


def test_cli_import_of_a_broken_file_exits_1_and_changes_nothing(
    sample_library: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from readinglist import cli

    before = dump(sample_library)
    path = tmp_path / "pretty.json"
    papers = [
        {"title": f"New {n}", "authors": ["Ada Lovelace"], "year": 2020, "tags": ["new"]} for n in range(220)
    ]
    text = json.dumps(papers, indent=2)
    lines = text.splitlines()
    broken_at = lines.index('    "title": "New 100",')
    lines[broken_at] = '    "title": "New 100"'  # no comma
    path.write_text("\n".join(lines), encoding="utf-8")
    db = str(sample_library.path)
    assert cli.main(["--db", db, "import", str(path)]) == 1
    out, err = capsys.readouterr()
    assert (
        out == ""
        and err
        == f"readinglist: {path}:{broken_at + 2}: invalid JSON: Expecting ',' delimiter (column 5)"
        "; nothing imported; run again with --skip-bad to import the other 219\n"
    )
    assert dump(sample_library) == before
    # A file cut short stops the run too, after 150 good papers went by.
    cut = tmp_path / "cut.json"
    cut.write_text(text[: text.index('"New 150"')], encoding="utf-8")
    assert cli.main(["--db", db, "import", "--format", "json", str(cut)]) == 1
    out, err = capsys.readouterr()
    line = text[: text.index('"New 150"')].count("\n")
    assert err == (
        f"readinglist: {cut}:{line}: invalid JSON: the file ends inside this paper (truncated?)"
        "; nothing imported; run again with --skip-bad to import the other 150\n"
    )
    assert dump(sample_library) == before
    assert cli.main(["--db", db, "import", "--skip-bad", str(path)]) == 0
    assert capsys.readouterr()[0] == "219 added, 0 already in the library, 1 skipped\n"


# One paper of our export as ``jq .`` lays it out: every field, real sizes.
_PRETTY_PAPER = """    {{
      "id": {id},
      "title": "Scaling laws for streaming paper number {i}: a study of bounded memory",
      "abstract": "We study paper {i}. {abstract}",
      "authors": [
        "Ada Lovelace",
        "Émile Zola",
        "Jürgen Schmidhuber",
        "Author {i}"
      ],
      "year": {year},
      "date": "{year}-0{month}-1{day}",
      "arxiv_id": "{arxiv_id}",
      "doi": null,
      "url": null,
      "tags": [
        "streaming",
        "tag-{tag}"
      ],
      "starred": {starred},
      "status": "unread",
      "queue_position": null,
      "links": [],
      "primary_link": "https://arxiv.org/abs/{arxiv_id}",
      "notes": "{notes}",
      "notes_updated_at": {notes_updated_at},
      "added_at": "2024-01-01T00:00:00Z",
      "source": "big.json:{i}"
    }}"""


def write_pretty_export(path: Path, papers: int) -> None:
    """Our export reformatted by ``jq .``, written a paper at a time."""
    abstract = "Large models read long files without holding them. " * 8
    with path.open("w", encoding="utf-8") as out:
        out.write('{\n  "format": "readinglist",\n  "version": 1,\n  "papers": [\n')
        for i in range(papers):
            noted = i % 3 == 0
            paper = _PRETTY_PAPER.format(
                id=i + 1,
                i=i,
                abstract=abstract,
                year=2000 + i % 25,
                month=1 + i % 9,
                day=i % 10,
                arxiv_id=f"{2300 + i % 100}.{i:05d}",
                tag=i % 50,
                starred="true" if i % 7 == 0 else "false",
                notes="# Notes\\n\\nA line with “quotes”." if noted else "",
                notes_updated_at='"2024-05-01T10:00:00Z"' if noted else "null",
            )
            out.write(("" if i == 0 else ",\n") + paper)
        out.write("\n  ]\n}\n")


_MEASURE = """
import json, resource, sys
from pathlib import Path
from readinglist.core.formats import json_export

def peak_kib() -> int:
    # VmHWM, not getrusage's ru_maxrss: Linux carries the peak over exec from the
    # forking process (pytest, hundreds of MB late in a run), which hides growth.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

path = Path(sys.argv[1])
start = peak_kib()
papers = sum(1 for item in json_export.read(path) if not isinstance(item, json_export.BadEntry))
streamed = peak_kib() - start
# The control: the same file loaded whole, as the reader used to.
whole = len(json.loads(path.read_text(encoding="utf-8"))["papers"])
loaded = peak_kib() - start
print(json.dumps({"papers": papers, "whole": whole, "streamed_kib": streamed, "loaded_kib": loaded}))
"""


def test_a_large_pretty_printed_export_streams_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    write_pretty_export(path, 50_000)
    size_kib = path.stat().st_size // 1024
    assert size_kib > 40_000
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)], capture_output=True, text=True, check=True, timeout=300
    )
    got = json.loads(done.stdout)
    assert got["papers"] == got["whole"] == 50_000
    # Reading streams: peak memory grows by a few MB at most, whatever the file size ...
    assert got["streamed_kib"] < min(size_kib // 10, 8_192), (got, size_kib)
    # ... while the measurement is sensitive enough to see a whole-file load.
    assert got["loaded_kib"] > size_kib, (got, size_kib)

"""Exports: a lossless JSON round trip, BibTeX, Markdown and CSV, and backups."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import threading
from pathlib import Path

import pytest
from bibtexparser.entrypoint import parse_string

from readinglist.core import exporter
from readinglist.core.errors import FormatError, LibraryError
from readinglist.core.formats import BadEntry, json_export
from readinglist.core.importing import import_files
from readinglist.core.models import PaperDraft, Status, View, paper_to_dict
from readinglist.core.store import Library

DATA = Path(__file__).parent.parent / "data"


def curate(library: Library) -> None:
    """Give a sample library every kind of user data, and gaps in its ids."""
    ids = library.ids()
    for paper_id in ids[:3]:
        library.delete(paper_id)
    ids = sorted(library.ids())
    library.set_starred(ids[0], True)
    library.set_starred(ids[10], True)
    library.tag(ids[0], add=["LLM", "to read"])
    library.tag(ids[5], add=["llm", "Ünïcode-tag"])
    library.set_note(ids[0], "# Notes\n\nMultiline *Markdown* with “quotes” and a tab\there.")
    for paper_id in (ids[7], ids[3], ids[12], ids[1]):
        library.queue_add(paper_id)
    library.queue_move(ids[12], -2)
    library.set_status(ids[3], Status.READING)
    library.set_status(ids[20], Status.READ)


def dump(library: Library) -> list[dict[str, object]]:
    return [paper_to_dict(p) for p in library.get_many(sorted(library.ids()))]


def test_json_round_trip_restores_an_identical_library(sample_library: Library, tmp_path: Path) -> None:
    curate(sample_library)
    path = tmp_path / "export.json"
    count = exporter.export_to_file(sample_library, "json", path)
    assert count == 217
    with Library(tmp_path / "restored.db") as restored:
        report = import_files(restored, [path])
        assert (report.added, report.existing, report.skipped) == (217, 0, [])
        assert dump(restored) == dump(sample_library)  # every field, ids and timestamps included
        assert restored.ids(View.QUEUE) == sample_library.ids(View.QUEUE)
        assert restored.ids(View.ALL) == sample_library.ids(View.ALL)
        assert restored.all_tags() == sample_library.all_tags()
        assert restored.stats() == sample_library.stats()
        # And the round trip is a fixed point: exporting again gives the same bytes.
        again = tmp_path / "again.json"
        exporter.export_to_file(restored, "json", again)
        assert again.read_bytes() == path.read_bytes()


def test_json_export_is_one_valid_document(sample_library: Library) -> None:
    out = io.StringIO()
    exporter.export(sample_library, "json", out, view=View.ALL)
    doc = json.loads(out.getvalue())
    assert doc["format"] == "readinglist" and doc["version"] == 1
    assert [p["id"] for p in doc["papers"]] == sorted(sample_library.ids())


def test_reformatted_json_and_list_output_are_read(sample_library: Library, tmp_path: Path) -> None:
    out = io.StringIO()
    exporter.export(sample_library, "json", out)
    pretty = tmp_path / "pretty.json"
    pretty.write_text(json.dumps(json.loads(out.getvalue()), indent=2), encoding="utf-8")
    drafts = [d for d in json_export.read(pretty) if isinstance(d, PaperDraft)]
    assert len(drafts) == 220


def test_bad_json_export_lines(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(
        '{"format": "readinglist", "version": 1, "papers": [\n'
        '{"id": 1, "title": "Fine", "status": "read"},\n'
        '{"id": 2, "title": "Broken",\n'
        '{"id": 3, "title": "Bad status", "status": "someday"},\n'
        '{"id": 4, "title": "Bad year", "year": "2020"}\n',
        encoding="utf-8",
    )
    items = list(json_export.read(path))
    bad = [(i.line, i.reason) for i in items if isinstance(i, BadEntry)]
    assert [i.title for i in items if isinstance(i, PaperDraft)] == ["Fine"]
    assert [line for line, _ in bad] == [3, 4, 5, 1]
    assert bad[0][1].startswith("invalid JSON")
    assert "'someday' is not a valid Status" in bad[1][1]
    assert bad[2][1] == "year must be a whole number, not '2020'"
    assert bad[3][1] == "export is truncated (no closing ']}')"


def test_unsupported_export_version(tmp_path: Path) -> None:
    path = tmp_path / "v9.json"
    path.write_text('{"format": "readinglist", "version": 9, "papers": [\n]}\n', encoding="utf-8")
    with pytest.raises(FormatError, match=r"v9\.json:1: unsupported export version 9"):
        list(json_export.read(path))


def test_bibtex_export_reads_back_with_stable_keys(sample_library: Library) -> None:
    out = io.StringIO()
    count = exporter.export(sample_library, "bibtex", out, view=View.ALL)
    lib = parse_string(out.getvalue())
    assert count == 220 and len(lib.entries) == 220 and not lib.failed_blocks
    keys = [e.key for e in lib.entries]
    assert len(set(keys)) == 220
    again = io.StringIO()
    exporter.export(sample_library, "bibtex", again, view=View.ALL)
    assert again.getvalue() == out.getvalue()


def test_markdown_groups_by_status_with_queue_in_order(sample_library: Library) -> None:
    curate(sample_library)
    out = io.StringIO()
    exporter.export(sample_library, "markdown", out)
    text = out.getvalue()
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## Reading queue (4)", "## To read (212)", "## Read (1)"]
    queue = sample_library.papers(View.QUEUE)
    queue_block = text.split("## Reading queue (4)\n\n")[1].split("\n## ")[0]
    numbered = [line for line in queue_block.splitlines() if line[:2] in ("1.", "2.", "3.", "4.")]
    for n, (line, paper) in enumerate(zip(numbered, queue, strict=True), start=1):
        assert line.startswith(f"{n}. [") and f"]({paper.primary_link})" in line
    starred = sample_library.papers(View.STARRED)[0]
    assert "`#LLM` `#to read`" in text and " ★" in text and starred.primary_link in text
    assert "\n  > Multiline *Markdown*" in text


def test_csv_export_one_row_per_paper_and_reads_back(sample_library: Library, tmp_path: Path) -> None:
    curate(sample_library)
    path = tmp_path / "out.csv"
    exporter.export_to_file(sample_library, "csv", path, view=View.QUEUE)
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    assert [int(r["id"]) for r in rows] == sample_library.ids(View.QUEUE)
    with Library(tmp_path / "fresh.db") as fresh:
        assert import_files(fresh, [path]).added == 4
        assert [p.title for p in fresh.papers()] == sorted(
            (p.title for p in sample_library.papers(View.QUEUE)),
            key=lambda t: [r["title"] for r in rows].index(t),
        )


def test_query_export_uses_search(sample_library: Library) -> None:
    out = io.StringIO()
    count = exporter.export(sample_library, "csv", out, query="diffusion")
    assert 0 < count < 220
    titles = [r["title"] for r in csv.DictReader(io.StringIO(out.getvalue()))]
    assert len(titles) == count


def test_failed_export_leaves_no_file(sample_library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / "out.md"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(FormatError):
        exporter.export_to_file(sample_library, "nope", path)
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in folder.iterdir()] == ["out.md"]


def test_backup_is_a_consistent_standalone_copy(sample_library: Library, tmp_path: Path) -> None:
    curate(sample_library)
    target = exporter.backup(sample_library, tmp_path / "copy.db")
    assert target == tmp_path / "copy.db"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("copy")) == ["copy.db"]
    with Library(target) as copy:
        assert dump(copy) == dump(sample_library)
    with pytest.raises(LibraryError, match="already exists"):
        exporter.backup(sample_library, target)


def test_backup_into_a_folder_and_default_place(sample_library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "bk"
    folder.mkdir()
    inside = exporter.backup(sample_library, folder)
    assert inside.parent == folder and inside.suffix == ".db"
    default = exporter.backup(sample_library)
    assert default.parent == sample_library.path.parent / "backups"


def test_backup_while_another_connection_writes(sample_library: Library, tmp_path: Path) -> None:
    """A writer in another connection keeps going; the copy is one snapshot of either state."""
    stop = threading.Event()

    def writer() -> None:
        conn = sqlite3.connect(sample_library.path, timeout=5)
        n = 0
        while not stop.is_set():
            with conn:
                conn.execute("UPDATE papers SET notes = ? WHERE id = (SELECT min(id) FROM papers)", [f"n{n}"])
            n += 1
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        copies = [exporter.backup(sample_library, tmp_path / f"c{i}.db") for i in range(3)]
    finally:
        stop.set()
        thread.join()
    for path in copies:
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM papers").fetchone()[0] == 220
        conn.close()


def test_json_into_a_non_empty_library_keeps_only_free_higher_ids(tmp_path: Path) -> None:
    path = tmp_path / "some.json"
    papers = [
        {"id": 2, "title": "Paper with a taken id", "tags": ["kept-tag"], "starred": True},
        {"id": 50, "title": "Paper with a free high id"},
        {"id": 7, "title": "Paper with a free but lower id"},
    ]
    path.write_text(json.dumps(papers), encoding="utf-8")
    with Library(tmp_path / "lib.db") as lib:
        import_files(lib, [DATA / "zotero.bib"])  # ids 1-3
        import_files(lib, [path])
        got = {p.title: (p.id, p.tags, p.starred) for p in lib.papers()}
        assert got["Paper with a taken id"] == (4, ("kept-tag",), True)
        assert got["Paper with a free high id"][0] == 50
        assert got["Paper with a free but lower id"][0] == 51


def test_exports_and_backups_get_ordinary_permissions(sample_library: Library, tmp_path: Path) -> None:
    import os
    import stat

    old = os.umask(0o022)
    try:
        out = tmp_path / "perm.json"
        exporter.export_to_file(sample_library, "json", out, view=View.STARRED)
        copy = exporter.backup(sample_library, tmp_path / "perm.db")
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    assert stat.S_IMODE(copy.stat().st_mode) == 0o644

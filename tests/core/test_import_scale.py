"""Import runs at scale: the parsing helper process, bounded memory, deferred triggers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from readinglist.core.errors import FormatError
from readinglist.core.importing import import_files
from readinglist.core.importing import reader as import_read
from readinglist.core.store import Library

from .test_import_run import DATA, fts_ok, triggers


def test_helper_process_reports_bad_lines_and_stops(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_read, "PARALLEL_MIN_BYTES", 0)
    started: list[subprocess.Popen[bytes]] = []
    real_popen = subprocess.Popen

    def spy(*args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        started.append(real_popen(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(subprocess, "Popen", spy)
    path = tmp_path / "bad.jsonl"
    lines = [json.dumps({"id": f"2402.{i:05d}", "title": f"Paper {i}"}) for i in range(5000)]
    lines[4321] = '{"id": "broken'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"bad\.jsonl:4322: invalid JSON"):
        import_files(library, [path])
    assert library.count() == 0
    assert len(started) == 1 and started[0].poll() is not None  # the helper is gone
    csv = tmp_path / "x.csv"
    csv.write_text("name\nno title column\n", encoding="utf-8")
    report = import_files(library, [path, csv], skip_bad=True)
    assert report.added == 4999
    assert [m.split(": ")[0].rsplit("/", 1)[-1] for m in report.skipped] == ["bad.jsonl:4322", "x.csv:1"]
    assert len(started) == 2 and started[1].poll() == 0


def test_memory_does_not_grow_with_the_file(tmp_path: Path) -> None:
    """Reading and preparing a file holds a few batches at most, whatever its length."""
    import tracemalloc

    from readinglist.core.formats import get_format

    def peak(lines: int) -> int:
        path = tmp_path / f"{lines}.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for i in range(lines):
                doc = {"id": f"2403.{i:05d}", "title": f"Streaming paper {i}", "abstract": "word " * 150}
                out.write(json.dumps(doc) + "\n")
        tracemalloc.start()
        try:
            for batch in import_read._batches([(path, get_format("arxiv-jsonl"))], 500):
                del batch
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(600), peak(4_800)
    assert large < small * 1.5, (small, large)


def test_other_insert_triggers_are_deferred_and_replayed(library: Library, tmp_path: Path) -> None:
    """Triggers other features add (a second index, a change log) see every new paper once."""
    db = library.db
    db.execute("CREATE TABLE changed (paper_id INTEGER PRIMARY KEY, fresh INTEGER NOT NULL)")
    db.execute(
        "CREATE TRIGGER changed_insert AFTER INSERT ON papers BEGIN "
        "INSERT OR REPLACE INTO changed (paper_id, fresh) VALUES (new.id, 1); END"
    )
    db.execute(
        "CREATE TRIGGER changed_update AFTER UPDATE OF abstract ON papers BEGIN "
        "INSERT OR IGNORE INTO changed (paper_id, fresh) VALUES (new.id, 0); END"
    )
    db.execute("CREATE VIRTUAL TABLE titles_fts USING fts5(title, content='papers', content_rowid='id')")
    db.execute(
        "CREATE TRIGGER titles_fts_insert AFTER INSERT ON papers BEGIN "
        "INSERT INTO titles_fts (rowid, title) VALUES (new.id, new.title); END"
    )
    # A trigger of another shape (a WHEN clause) is left alone and still fires.
    db.execute("CREATE TABLE starred_log (paper_id INTEGER)")
    db.execute(
        "CREATE TRIGGER starred_insert AFTER INSERT ON papers WHEN new.starred = 1 BEGIN "
        "INSERT INTO starred_log VALUES (new.id); END"
    )
    before = triggers(library)
    starred = tmp_path / "starred.json"
    starred.write_text(json.dumps([{"title": "A starred paper", "starred": True}]), encoding="utf-8")
    import_files(library, [DATA / "zotero.bib", DATA / "arxiv-api.xml", starred])
    assert triggers(library) == before
    ids = sorted(library.ids())
    assert db.execute("SELECT paper_id, fresh FROM changed ORDER BY paper_id").fetchall() == [
        (i, 1) for i in ids
    ]
    db.execute("INSERT INTO titles_fts(titles_fts, rank) VALUES('integrity-check', 1)")
    assert {r[0] for r in db.execute("SELECT rowid FROM titles_fts WHERE titles_fts MATCH 'mistral'")} == {
        ids[0]
    }
    assert db.execute("SELECT paper_id FROM starred_log").fetchall() == [(ids[-1],)]
    fts_ok(library)


def test_a_script_without_a_main_guard_runs_once(tmp_path: Path) -> None:
    """The helper never re-imports the caller's script (multiprocessing's spawn would)."""
    script = tmp_path / "script.py"
    marker = tmp_path / "ran.txt"
    script.write_text(
        f"""
import json
from pathlib import Path
from readinglist.core.importing import reader as import_read
from readinglist.core.importing import import_files
from readinglist.core.store import Library
with open({str(marker)!r}, "a") as out:
    out.write("x")
import_read.PARALLEL_MIN_BYTES = 0
data = Path({str(tmp_path / "in.jsonl")!r})
data.write_text("\\n".join(json.dumps({{"id": f"2406.{{i:05d}}", "title": f"P {{i}}"}}) for i in range(500)))
with Library({str(tmp_path / "lib.db")!r}) as lib:
    print(import_files(lib, [data]).summary())
""",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout == "500 added, 0 already in the library\n"
    assert marker.read_text() == "x"

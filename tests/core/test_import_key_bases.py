"""Citation keys made by the reading process (``reader.key_bases``) give the keys the writer would make."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readinglist.core import paper_keys
from readinglist.core.formats import BadEntry
from readinglist.core.formats.bibtex_write import key_from
from readinglist.core.importing import files as importer
from readinglist.core.importing import import_files
from readinglist.core.importing import reader as import_read
from readinglist.core.importing.prepare import prepare
from readinglist.core.models import PaperDraft
from readinglist.core.store import Library


def _write_corpus(path: Path) -> None:
    """Papers whose keys clash, some without authors or year until a later line (another batch) adds them."""
    with path.open("w", encoding="utf-8") as out:
        for i in range(600):
            doc: dict[str, object] = {
                "id": f"2401.{i:05d}",
                "title": f"{['Attention', 'The Attention', 'Graphs', '0'][i % 4]} paper {i}",
                "authors": ["Ann Vaswani", "Bo Li", "", "Zoë Ðorđević"][i % 3 if i % 11 else 2],
                "versions": [{"version": "v1", "created": f"Mon, 1 Jan {2015 + i % 3} 00:00:00 GMT"}],
            }
            if i % 9 == 0:
                doc["versions"] = []  # no year until the late line
            out.write(json.dumps(doc) + "\n")
        for i in range(0, 600, 9):  # the same papers again, now with authors and a year
            late = {
                "id": f"2401.{i:05d}",
                "title": f"{['Attention', 'The Attention', 'Graphs', '0'][i % 4]} paper {i}",
                "authors": "Cy Late",
                "versions": [{"version": "v1", "created": "Mon, 1 Jan 2019 00:00:00 GMT"}],
            }
            out.write(json.dumps(late) + "\n")


def _keys(db_path: Path, corpus: Path, before: list[tuple[str, str]]) -> list[tuple[object, ...]]:
    with Library(db_path) as library:
        for title, key in before:  # stored papers holding keys the run's papers would want
            library.db.execute(
                "INSERT INTO papers (title, title_key, added_at, key) VALUES (?, ?, 'x', ?)",
                [title, title.lower(), key],
            )
        import_files(library, [corpus])
        return library.db.execute("SELECT id, title, authors, year, key FROM papers ORDER BY id").fetchall()


def test_keys_from_the_helper_process_equal_the_keys_made_by_the_writer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "keys.jsonl"
    _write_corpus(corpus)
    stored = [("Old one", "vaswani2015attention"), ("Old two", "li2016the")]
    monkeypatch.setattr(importer, "BATCH_SIZE", 50)
    monkeypatch.setattr(import_read, "PARALLEL_MIN_BYTES", 10**12)
    inline = _keys(tmp_path / "inline.db", corpus, stored)
    made: list[list[str | None]] = []
    real = import_read.key_bases

    def key_bases(items: list[object]) -> list[str | None]:
        made.append(real(items))  # type: ignore[arg-type]
        return made[-1]

    monkeypatch.setattr(import_read, "key_bases", key_bases)
    # Read inline, but with the bases the helper process would send: the writer's path.
    monkeypatch.setattr(import_read, "_batch", _counted_batch)
    helped = _keys(tmp_path / "helped.db", corpus, stored)
    assert helped == inline
    assert sum(1 for bases in made for b in bases if b) > 500  # the bases were there to use
    keys = [r[4] for r in helped]
    assert len(set(keys)) == len(keys) and all(keys)
    assert "vaswani2015attentiona" in keys and "paper" + str(helped[-1][0]) not in keys


def _counted_batch(path: Path, items: list[object], error: object, count: bool) -> import_read.Batch:
    batch = import_read.Batch(path, items, error, 0)  # type: ignore[arg-type]
    batch.counts = import_read.count_batch(items)  # type: ignore[arg-type]
    batch.key_bases = import_read.key_bases(items)  # type: ignore[arg-type]
    return batch


def test_large_file_through_the_helper_process_keeps_the_same_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "keys.jsonl"
    _write_corpus(corpus)
    monkeypatch.setattr(importer, "BATCH_SIZE", 50)
    monkeypatch.setattr(import_read, "PARALLEL_MIN_BYTES", 10**12)
    inline = _keys(tmp_path / "inline.db", corpus, [])
    monkeypatch.setattr(import_read, "PARALLEL_MIN_BYTES", 0)
    assert _keys(tmp_path / "helper.db", corpus, []) == inline


def test_key_bases_leave_out_the_id_fallback_and_bad_entries(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    drafts = [
        PaperDraft(title="On Graphs", authors=("Ann Vaswani",), year=2017),
        PaperDraft(title="the of", authors=(), year=None),  # nothing to make a key of
        PaperDraft(title="0", authors=("Paper",), year=None),  # a real key that reads paper0
    ]
    items = [prepare(d, path, "jsonl") for d in drafts]
    bases = import_read.key_bases([*items, BadEntry(str(path), 3, "bad")])
    assert bases == ["vaswani2017graphs", None, "paper0", None]
    assert key_from("0", ["Paper"], None, 7) == "paper0"


def test_settle_ignores_a_base_made_of_other_fields(library: Library) -> None:
    library.db.execute(
        "INSERT INTO papers (id, title, title_key, added_at, authors, year) "
        "VALUES (5, 'Graphs', 'graphs', 'x', '[\"Ann Vaswani\"]', 2017)"
    )
    stale = paper_keys.fingerprint("Graphs", '["Bo Li"]', 2017)
    fresh = paper_keys.fingerprint("Graphs", '["Ann Vaswani"]', 2017)
    paper_keys.settle(library.db, 5, bases={5: (stale, "li2017graphs")})
    assert library.db.execute("SELECT key FROM papers WHERE id = 5").fetchone()[0] == "vaswani2017graphs"
    library.db.execute("UPDATE papers SET key = '' WHERE id = 5")
    paper_keys.settle(library.db, 5, bases={5: (fresh, "made-by-the-reader")})
    assert library.db.execute("SELECT key FROM papers WHERE id = 5").fetchone()[0] == "made-by-the-reader"


def test_a_key_a_later_file_gives_a_paper_of_the_run_is_still_made_unique(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key step reads the run's papers for given keys when any draft brought one (here the last)."""
    monkeypatch.setattr(importer, "BATCH_SIZE", 3)
    library.db.execute(
        "INSERT INTO papers (title, title_key, added_at, key) VALUES ('Old', 'old', 'x', 'mine')"
    )
    lines = [json.dumps({"id": f"2401.{i:05d}", "title": f"Paper {i}", "authors": "A B"}) for i in range(7)]
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "b.bib").write_text(
        "@misc{mine,\n  title = {Paper 1},\n  eprint = {2401.00001},\n  archiveprefix = {arXiv}\n}\n",
        encoding="utf-8",
    )
    report = import_files(library, [tmp_path / "a.jsonl", tmp_path / "b.bib"])
    keys = dict(library.db.execute("SELECT title, key FROM papers").fetchall())
    assert keys["Paper 1"] == "minea" and keys["Old"] == "mine"
    assert any("'mine' is taken" in n for n in report.notices)
    assert [keys[f"Paper {i}"] for i in (0, 2, 3)] == ["bpaper", "bpapera", "bpaperb"]  # no year here

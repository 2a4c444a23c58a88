"""Import runs: dedup across formats, enrichment, bad entries, tags, dry runs and the index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readinglist.core import import_read, import_run, importer
from readinglist.core.errors import FormatError
from readinglist.core.importer import ImportProgress, import_files
from readinglist.core.models import ImportReport, PaperDraft, Status, View
from readinglist.core.store import Library, now

DATA = Path(__file__).parent.parent / "data"


def snapshot(library: Library) -> list[tuple[object, ...]]:
    rows = library.db.execute("SELECT * FROM papers ORDER BY id").fetchall()
    tags = library.db.execute("SELECT * FROM paper_tags ORDER BY paper_id, tag_id").fetchall()
    names = library.db.execute("SELECT * FROM tags ORDER BY id").fetchall()
    return [*rows, *tags, *names]


def triggers(library: Library) -> list[tuple[str, str]]:
    return library.db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    ).fetchall()


def fts_ok(library: Library) -> None:
    # Raises sqlite3.DatabaseError if the external-content index and the table disagree.
    library.db.execute("INSERT INTO papers_fts(papers_fts, rank) VALUES('integrity-check', 1)")
    docs = library.db.execute("SELECT count(*) FROM papers_fts_docsize").fetchone()[0]
    assert docs == library.count()


def fts_ids(library: Library, word: str) -> set[int]:
    rows = library.db.execute("SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?", [word])
    return {r[0] for r in rows}


def test_same_paper_across_bibtex_jsonl_atom_and_csv(library: Library) -> None:
    report = import_files(library, [DATA / "zotero.bib"])
    assert (report.added, report.existing) == (3, 0)
    # Mistral: an arXiv DOI in BibTeX, an id in JSONL, a versioned abs URL in Atom.
    report = import_files(
        library, [DATA / "arxiv-snapshot.jsonl", DATA / "arxiv-api.xml", DATA / "papers.csv"]
    )
    # New: the 2007 paper, the hep-th paper, the title-only CSV row. Everything else is known:
    # Attention (title match to BibTeX, then arXiv id across Atom and CSV), BERT by DOI.
    assert report.added == 3
    assert report.existing == 5
    assert library.count() == 6
    mistral = [p for p in library.papers() if p.title == "Mistral 7B"]
    assert len(mistral) == 1 and mistral[0].arxiv_id == "2310.06825"
    bert = [p for p in library.papers() if p.title.startswith("BERT")]
    assert len(bert) == 1 and bert[0].doi == "10.18653/v1/n19-1423"
    fts_ok(library)


def test_reimport_enriches_and_never_touches_user_data(library: Library) -> None:
    import_files(library, [DATA / "zotero.bib"])
    attention = next(p for p in library.papers() if p.title == "Attention is all you need")
    assert attention.abstract == "" and attention.arxiv_id is None
    library.set_starred(attention.id, True)
    library.tag(attention.id, add=["classics"])
    library.set_note(attention.id, "read twice")
    library.queue_add(attention.id)
    before = library.get(attention.id)
    report = import_files(library, [DATA / "arxiv-api.xml"], tags=["from-arxiv"])
    assert report.updated == 1  # Attention got an abstract and ids; Mistral had everything
    after = library.get(attention.id)
    assert after.abstract.startswith("The dominant sequence transduction models")
    assert after.arxiv_id == "1706.03762" and after.doi == "10.5555/3295222.3295349"
    assert after.title == before.title and after.authors == before.authors  # present fields are kept
    assert (after.starred, after.notes, after.queue_position, after.status) == (
        before.starred,
        before.notes,
        before.queue_position,
        before.status,
    )
    assert after.tags == ("classics", "from-arxiv")
    assert attention.id in fts_ids(library, "transduction")
    assert attention.id in fts_ids(library, "arxiv")  # the run tag reaches the index
    fts_ok(library)


def test_near_duplicate_title_is_reported_not_merged(library: Library, tmp_path: Path) -> None:
    import_files(library, [DATA / "zotero.bib"])
    path = tmp_path / "near.csv"
    path.write_text(
        "title\nAttention is all you needs\nCompletely different paper title here\n", encoding="utf-8"
    )
    report = import_files(library, [path])
    assert report.added == 2
    [message] = report.near_duplicates
    assert message.startswith(f"{path}:2: title 'Attention is all you needs' is nearly the same as paper 2 ")
    assert "'Attention is all you need'" in message and "kept both" in message


def test_near_duplicates_within_one_run_are_reported_once(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "near.csv"
    path.write_text(
        "title\nA Study of Large Language Model Agents\nA Study of Large Language Model Agent\n",
        encoding="utf-8",
    )
    report = import_files(library, [path])
    assert report.added == 2
    assert len(report.near_duplicates) == 1 and report.near_duplicates[0].startswith(f"{path}:3:")


def test_near_duplicate_found_by_the_title_end(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "near.csv"
    path.write_text(
        "title\nTowards efficient retrieval augmented generation for long documents\n"
        "Toward efficient retrieval augmented generation for long documents\n",
        encoding="utf-8",
    )
    assert len(import_files(library, [path]).near_duplicates) == 1


def test_bad_entry_fails_the_whole_run(library: Library) -> None:
    import_files(library, [DATA / "jabref.bib"])
    before, trig = snapshot(library), triggers(library)
    with pytest.raises(FormatError, match=r"broken\.bib:7: cannot parse BibTeX entry"):
        import_files(library, [DATA / "zotero.bib", DATA / "broken.bib"], tags=["new"])
    assert snapshot(library) == before
    assert triggers(library) == trig
    fts_ok(library)


def test_skip_bad_imports_the_good_entries_and_lists_the_bad(library: Library) -> None:
    report = import_files(library, [DATA / "broken.bib", DATA / "arxiv-bad-line.jsonl"], skip_bad=True)
    assert report.added == 4
    assert [m.split(": ", 1)[0].rsplit("/", 1)[-1] for m in report.skipped] == [
        "broken.bib:7",
        "broken.bib:17",
        "arxiv-bad-line.jsonl:2",
        "arxiv-bad-line.jsonl:3",
    ]
    assert "4 skipped" in report.summary()


def test_unreadable_file_under_skip_bad_keeps_the_other_files(library: Library) -> None:
    report = import_files(library, [DATA / "no-title.csv", DATA / "zotero.bib"], skip_bad=True)
    assert report.added == 3
    assert report.skipped == [
        f"{DATA / 'no-title.csv'}:1: CSV header has no 'title' column (header: 'Name,Authors,Year')"
    ]


def test_truncated_feed_fails_with_line_unless_skip_bad(library: Library) -> None:
    with pytest.raises(FormatError, match=r"arxiv-truncated\.xml:\d+: broken XML"):
        import_files(library, [DATA / "arxiv-truncated.xml"])
    assert library.count() == 0
    report = import_files(library, [DATA / "arxiv-truncated.xml"], skip_bad=True)
    assert report.added == 1 and len(report.skipped) == 1


def test_dry_run_reports_and_changes_nothing(library: Library) -> None:
    import_files(library, [DATA / "zotero.bib"])
    before, trig = snapshot(library), triggers(library)
    report = import_files(library, [DATA / "arxiv-api.xml", DATA / "jabref.bib"], dry_run=True, tags=["x"])
    assert (report.added, report.existing, report.updated) == (2, 2, 1)
    assert snapshot(library) == before and triggers(library) == trig
    fts_ok(library)


def test_run_tags_reach_new_and_existing_papers(library: Library) -> None:
    import_files(library, [DATA / "zotero.bib"])
    import_files(library, [DATA / "arxiv-api.xml", DATA / "papers.csv"], tags=["#survey", "Survey", " "])
    tagged = library.papers(tag="survey")
    assert len(tagged) == 4
    csv_attention = next(p for p in tagged if p.title == "Attention is all you need")
    assert csv_attention.tags == ("survey",)  # the CSV row's own tags never reach a stored paper
    bare = next(p for p in tagged if p.title == "A paper with only a title")
    assert bare.tags == ("survey",)
    assert fts_ids(library, "survey") == {p.id for p in tagged}


def test_new_papers_get_their_own_tags_in_the_index(library: Library) -> None:
    import_files(library, [DATA / "papers.csv"])
    attention = next(p for p in library.papers() if p.title == "Attention Is All You Need")
    assert attention.tags == ("classics", "transformers")
    assert fts_ids(library, "classics") == {attention.id}


@pytest.mark.parametrize("parallel", [False, True], ids=["inline", "helper-process"])
def test_large_generated_file_across_many_batches(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parallel: bool
) -> None:
    """Duplicates and enrichment across batches, with index catch-ups in between."""
    monkeypatch.setattr(importer, "BATCH_SIZE", 97)
    monkeypatch.setattr(import_read, "PARALLEL_MIN_BYTES", 0 if parallel else 10**12)
    monkeypatch.setattr(import_run, "FTS_CATCH_UP_ROWS", 250)
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for i in range(3000):
            doc = {
                "id": f"2401.{i:05d}",
                "title": f"Generated paper number {i} about zebra{i}",
                "authors": "A. B",
            }
            if i % 10 == 0:
                doc["abstract"] = f"Abstract {i} mentions okapi."
            out.write(json.dumps(doc) + "\n")
        for i in range(0, 3000, 7):  # later lines repeat earlier papers, some with an abstract now
            out.write(
                json.dumps({"id": f"2401.{i:05d}v2", "title": "x", "abstract": f"Late abstract {i} quokka"})
                + "\n"
            )
    seen: list[ImportProgress] = []
    report = import_files(library, [path], on_progress=seen.append)
    assert (report.added, report.existing) == (3000, 429)
    assert report.updated == sum(1 for i in range(0, 3000, 7) if i % 10)
    assert library.count() == 3000
    assert len(fts_ids(library, "quokka")) == report.updated
    assert len(fts_ids(library, "okapi")) == 300
    fts_ok(library)
    assert seen[-1].done == 3429 and seen[0].done == 97
    assert all(p.fraction is not None and 0 < p.fraction <= 1 for p in seen)
    assert seen[-1].fraction == pytest.approx(1.0)


def test_triggers_are_back_and_work_after_a_run(library: Library) -> None:
    before = triggers(library)
    import_files(library, [DATA / "zotero.bib"])
    assert triggers(library) == before
    report = ImportReport()
    with library.write():
        new_id = importer.add_draft(library, PaperDraft(title="Single paper about pangolins"), report, now())
    assert fts_ids(library, "pangolins") == {new_id}
    fts_ok(library)


def test_batched_import_matches_one_by_one_adds(tmp_path: Path) -> None:
    """The bulk path gives the same rows as adding the drafts one at a time."""
    files = [DATA / "zotero.bib", DATA / "arxiv-snapshot.jsonl", DATA / "arxiv-api.xml", DATA / "papers.csv"]
    with Library(tmp_path / "a.db") as bulk, Library(tmp_path / "b.db") as single:
        import_files(bulk, files)
        report = ImportReport()
        from readinglist.core.formats import detect_format

        with single.write():
            for path in files:
                fmt = detect_format(path)
                assert fmt.read is not None
                for draft in fmt.read(path):
                    assert isinstance(draft, PaperDraft)
                    importer.add_draft(single, draft, report, "T")
        cols = "title, abstract, authors, year, date, arxiv_id, doi, url, links, title_key, tags_text"
        query = f"SELECT {cols} FROM papers ORDER BY id"
        assert bulk.db.execute(query).fetchall() == single.db.execute(query).fetchall()


def test_an_import_brings_the_search_word_list_up_to_date(library: Library) -> None:
    import_files(library, [DATA / "zotero.bib"])
    conn = library.conn
    assert conn.execute("SELECT count(*) FROM search_dirty").fetchone()[0] == 0
    words = {w for (w,) in conn.execute("SELECT word FROM search_vocab")}
    assert {"attention", "transformers"} <= words


def test_a_dry_run_leaves_the_word_list_as_it_was(library: Library) -> None:
    import_files(library, [DATA / "zotero.bib"], dry_run=True)
    assert library.conn.execute("SELECT count(*) FROM search_vocab").fetchone()[0] == 0


def test_queue_places_append_to_an_existing_queue(library: Library, tmp_path: Path) -> None:
    import_files(library, [DATA / "zotero.bib"])
    first = library.ids()[0]
    library.queue_add(first)
    path = tmp_path / "q.json"
    papers = [
        {"title": "Queued second", "status": "queued", "queue_position": 2},
        {"title": "Queued first", "status": "queued", "queue_position": 1},
        {"title": "Not queued", "status": "read"},
    ]
    path.write_text(json.dumps(papers), encoding="utf-8")
    import_files(library, [path])
    queue = library.papers(View.QUEUE)
    assert [p.queue_position for p in queue] == [1, 2, 3]
    assert [p.title for p in queue][1:] == ["Queued first", "Queued second"]
    assert next(p for p in library.papers() if p.title == "Not queued").status is Status.READ

"""Import runs: dedup across formats, enrichment, bad entries, tags, dry runs and the index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readinglist.core.errors import FormatError
from readinglist.core.importing import ImportProgress, import_files
from readinglist.core.importing import files as importer
from readinglist.core.importing import reader as import_read
from readinglist.core.importing import run as import_run
from readinglist.core.importing.prepare import prepare
from readinglist.core.models import ImportReport, PaperDraft, Status, View
from readinglist.core.search import SearchEngine
from readinglist.core.store import Library
from tests.helpers import add_paper

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
    """The papers the full-text indexes find ``word`` in: their text's, or their tags' (m010)."""
    rows = library.db.execute(
        """SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?1 UNION SELECT paper_id FROM paper_tags
           WHERE tag_id IN (SELECT rowid FROM tags_fts WHERE tags_fts MATCH ?1)""",
        [word],
    )
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
    assert attention.id in [h.paper_id for h in SearchEngine(library).search("arxiv").hits]
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
    stored = set(library.ids())
    import_files(library, [DATA / "arxiv-api.xml", DATA / "papers.csv"], tags=["#survey", "Survey", " "])
    tagged = library.papers(tag="survey")
    assert len(tagged) == 4
    csv_attention = next(p for p in tagged if p.title == "Attention is all you need")
    assert csv_attention.tags == ("survey",)  # the CSV row's own tags never reach a stored paper
    bare = next(p for p in tagged if p.title == "A paper with only a title")
    assert bare.tags == ("survey",)
    assert fts_ids(library, "survey") == {p.id for p in tagged}
    assert stored & {p.id for p in tagged}  # stored papers were tagged too
    # Undoing the import takes the tag off the stored papers (their rows were never rewritten).
    library.undo()
    assert set(library.ids()) == stored
    assert library.papers(tag="survey") == []
    assert fts_ids(library, "survey") == set()


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
    new_id = add_paper(library, PaperDraft(title="Single paper about pangolins"))
    assert fts_ids(library, "pangolins") == {new_id}
    fts_ok(library)


def test_add_batch_gives_the_id_each_draft_ended_at(library: Library) -> None:
    first = add_paper(library, PaperDraft(title="Stored paper", arxiv_id="2401.00001"))
    drafts = [
        PaperDraft(title="A new paper"),
        PaperDraft(title="Renamed twin", arxiv_id="2401.00001v2"),  # the stored one, by arXiv id
        PaperDraft(title="  A NEW   paper "),  # the first of this batch, by title
    ]
    report = ImportReport()
    with library.write():
        run = import_run.ImportRun(library, report, "T", [], skip_bad=True)
        items = [prepare(d, Path("x.bib"), "bibtex") for d in [*drafts[:2], PaperDraft(title=""), drafts[2]]]
        ids = run.add_batch(items)
        run.finish()
    assert report.added_ids == [first + 1] and len(report.skipped) == 1
    assert ids == [first + 1, first, first + 1]


def test_add_paper_refuses_a_draft_without_a_title(library: Library) -> None:
    with pytest.raises(FormatError, match="entry has no title"):
        add_paper(library, PaperDraft(title="  "))
    assert library.count() == 0


def _differential_files(tmp_path: Path) -> list[Path]:
    """Files whose papers repeat each other within and across files, in every way dedup knows."""
    papers: list[dict[str, object]] = []
    for i in range(60):
        paper: dict[str, object] = {"title": f"Differential paper {i} on topic {'abc'[i % 3]}", "year": 2020}
        if i % 2:
            paper["arxiv_id"] = f"2402.{i:05d}"
        if i % 3 == 0:
            paper["doi"] = f"10.1000/d{i}"
        if i % 4 == 0:
            paper["abstract"] = f"Abstract {i} with https://example.org/{i}"
        if i % 5 == 0:
            paper |= {"tags": [f"t{i % 3}", "Shared"], "status": "queued", "queue_position": 60 - i}
        papers.append(paper)
    # Repeats: by arXiv id (versioned), by DOI, and by title alone, each bringing fields to fill in.
    for i in range(60):
        if i % 2 and i % 7 == 1:
            papers.append({"title": "Other title", "arxiv_id": f"2402.{i:05d}v3", "abstract": f"Late {i}"})
        if i % 3 == 0 and i % 2 == 0:
            papers.append({"title": "Yet another", "doi": f"10.1000/D{i}", "url": f"https://x.org/{i}"})
        if i % 11 == 0:
            papers.append({"title": f"differential  PAPER {i} on topic {'abc'[i % 3]}", "authors": ["Q. R"]})
    # A near-duplicate title, reported and kept.
    papers.append({"title": "Differential paper 12 on topic aa"})
    first = tmp_path / "generated.json"
    first.write_text(json.dumps(papers), encoding="utf-8")
    again = tmp_path / "again.json"
    # Only first sightings again, so the repeats above cannot mend what a broken run missed.
    again.write_text(json.dumps(papers[:60][::-1][:40]), encoding="utf-8")
    return [
        DATA / "zotero.bib",
        DATA / "arxiv-snapshot.jsonl",
        first,
        DATA / "zotero-tagged.bib",
        DATA / "arxiv-api.xml",
        DATA / "papers.csv",
        again,
    ]


def _state(library: Library, report: ImportReport) -> list[object]:
    """Everything an import leaves behind: every column, tags, the index, the word list, the report."""
    conn = library.db
    return [
        snapshot(library),
        conn.execute("SELECT * FROM papers_fts_docsize ORDER BY id").fetchall(),
        conn.execute("SELECT * FROM papers_title_fts_docsize ORDER BY id").fetchall(),
        conn.execute("SELECT * FROM search_vocab ORDER BY word").fetchall(),
        (report.added, report.existing, report.updated, report.added_ids, report.skipped),
        sorted(report.near_duplicates),
    ]


@pytest.mark.parametrize("small", [1, 3])
def test_small_batches_give_the_same_library_as_large_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small: int
) -> None:
    """Dedup within a batch (papers of the run) must agree with dedup against stored papers.

    With one draft a batch every twin is found in the library; with large batches
    most are found among the batch's own new papers. The library already holds
    some papers, so both kinds of match occur in both runs.
    """
    files = _differential_files(tmp_path)
    monkeypatch.setattr(importer, "now", lambda: "T")
    states = []
    for name, size in (("large", importer.BATCH_SIZE), ("small", small)):
        monkeypatch.setattr(importer, "BATCH_SIZE", size)
        with Library(tmp_path / f"{name}.db") as lib:
            import_files(lib, files[:1])
            report = import_files(lib, files[1:], tags=["run"])
            # Not a comparison of two empty runs: both kinds of twin were met and enriched.
            assert report.added > 60 and report.existing > 60 and report.updated > 20
            fts_ok(lib)
            states.append(_state(lib, report))
    large, small_state = states
    assert small_state == large


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

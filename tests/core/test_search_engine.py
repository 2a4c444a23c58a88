"""The engine on small, exact libraries: matching, fields, filters, ranking, spans, hints."""

from __future__ import annotations

from pathlib import Path

import pytest

from readinglist.core.models import PaperDraft, Status, View
from readinglist.core.search import SearchEngine
from readinglist.core.store import Library, now
from tests.helpers import add_paper


def add(
    lib: Library,
    title: str,
    abstract: str = "",
    *,
    authors: tuple[str, ...] = (),
    year: int | None = None,
    tags: tuple[str, ...] = (),
    notes: str | None = None,
    starred: bool = False,
    status: Status | None = None,
    added_at: str | None = None,
    url: str | None = None,
    arxiv_id: str | None = None,
) -> int:
    """Add one paper and return its id."""
    draft = PaperDraft(
        title=title,
        abstract=abstract,
        authors=authors,
        year=year,
        tags=tags,
        notes=notes,
        starred=starred,
        status=status,
        added_at=added_at,
        url=url,
        arxiv_id=arxiv_id,
    )
    return add_paper(lib, draft, stamp=now())


def titles(lib: Library, text: str, **kwargs: object) -> list[str]:
    """The titles a query returns, best first."""
    result = SearchEngine(lib).search(text, **kwargs)  # type: ignore[arg-type]
    return [p.title for p in lib.get_many([h.paper_id for h in result.hits])]


@pytest.fixture
def lib(library: Library) -> Library:
    add(
        library,
        "Chinchilla: Training Compute-Optimal Models",
        "We scale language models carefully.",
        authors=("Jordan Hoffmann", "Laurent Sifre"),
        year=2022,
        tags=("scaling",),
    )
    add(
        library,
        "Infini-gram: Scaling Unbounded n-gram Language Models",
        "Suffix arrays over trillions.",
        authors=("Jiacheng Liu",),
        year=2024,
        url="https://github.com/liujch1998/infini-gram",
    )
    add(
        library,
        "KNN-LM Does Not Improve Open-ended Text Generation",
        "Retrieval interpolation study.",
        year=2023,
        notes="Read with the REPLUG paper",
        status=Status.READING,
    )
    add(
        library,
        "REPLUG: Retrieval-Augmented Black-Box Language Models",
        "Retrieval for frozen models.",
        year=2023,
        starred=True,
        arxiv_id="2301.12652",
    )
    add(
        library,
        "Optimization of Sparse Attention",
        "Kernel fusion for attention.",
        year=2021,
        status=Status.READ,
    )
    return library


def test_every_word_must_match_somewhere(lib: Library) -> None:
    assert titles(lib, "retrieval frozen ") == ["REPLUG: Retrieval-Augmented Black-Box Language Models"]
    assert titles(lib, "retrieval chinchilla ") == []


def test_authors_tags_and_notes_are_searched(lib: Library) -> None:
    assert titles(lib, "hoffmann ") == ["Chinchilla: Training Compute-Optimal Models"]
    assert titles(lib, "scaling compute ") == ["Chinchilla: Training Compute-Optimal Models"]
    assert titles(lib, "replug ")[0].startswith("REPLUG")
    assert "KNN-LM Does Not Improve Open-ended Text Generation" in titles(lib, "replug ")


def test_last_word_is_a_prefix_while_typing(lib: Library) -> None:
    assert titles(lib, "chinchil") == ["Chinchilla: Training Compute-Optimal Models"]
    assert SearchEngine(lib).search("chinchil").hint is None
    # A finished word is whole: it only reaches Chinchilla through the "other
    # forms" retry, which says so.
    assert SearchEngine(lib).search("chinchil ").hint == "no exact match; showing other forms of the words"
    assert titles(lib, "chin ") == []  # too short to retry


def test_typos_by_word_length(lib: Library) -> None:
    assert titles(lib, "chinchila ") == ["Chinchilla: Training Compute-Optimal Models"]  # 1 edit, 9 letters
    assert titles(lib, "chincihlla ") == ["Chinchilla: Training Compute-Optimal Models"]  # swap
    assert titles(lib, "chinchlila ")[:1] == ["Chinchilla: Training Compute-Optimal Models"]
    assert titles(lib, "retreival ")[0].startswith("REPLUG")
    assert titles(lib, "knm ") == []  # three letters: no typo tolerance
    assert titles(lib, "sprase ") == ["Optimization of Sparse Attention"]  # 6 letters, one swap
    assert titles(lib, "spxrxe ") == []  # 6 letters, two edits: too far


def test_british_spelling_finds_american(lib: Library) -> None:
    # Porter also folds "optimal" into the same stem, so Chinchilla follows.
    assert titles(lib, "optimisation ")[0] == "Optimization of Sparse Attention"


@pytest.mark.parametrize("text", ["infini gram", "infini-gram", "Infini gram "])
def test_hyphen_and_space_variants(lib: Library, text: str) -> None:
    assert titles(lib, text)[0].startswith("Infini-gram")


def test_knn_lm_variants(lib: Library) -> None:
    assert titles(lib, "knn lm")[0].startswith("KNN-LM")
    assert titles(lib, "KNN-LM")[0].startswith("KNN-LM")


def test_phrase_is_exact(lib: Library) -> None:
    got = titles(lib, '"language models"')
    assert sorted(got[:2]) == [
        "Infini-gram: Scaling Unbounded n-gram Language Models",
        "REPLUG: Retrieval-Augmented Black-Box Language Models",
    ]
    assert got[2:] == ["Chinchilla: Training Compute-Optimal Models"]  # only in the abstract: last
    assert titles(lib, '"models language"') == []


def test_exclusion_and_or(lib: Library) -> None:
    got = titles(lib, "language -replug ")
    assert got and not any(t.startswith("REPLUG") for t in got)
    assert titles(lib, "language !infini ") == titles(lib, "language -infini-gram ")
    assert set(titles(lib, "chinchilla | sparse ")) == {
        "Chinchilla: Training Compute-Optimal Models",
        "Optimization of Sparse Attention",
    }


def test_only_exclusions_lists_everything_else(lib: Library) -> None:
    got = titles(lib, "-language ")
    assert sorted(got) == [
        "KNN-LM Does Not Improve Open-ended Text Generation",
        "Optimization of Sparse Attention",
    ]


def test_field_filters(lib: Library) -> None:
    assert titles(lib, "title:retrieval ") == ["REPLUG: Retrieval-Augmented Black-Box Language Models"]
    assert set(titles(lib, "abstract:retrieval ")) == {
        "REPLUG: Retrieval-Augmented Black-Box Language Models",
        "KNN-LM Does Not Improve Open-ended Text Generation",
    }
    assert titles(lib, "author:liu ") == ["Infini-gram: Scaling Unbounded n-gram Language Models"]
    assert titles(lib, "author:scaling ") == []
    assert titles(lib, "notes:replug ") == ["KNN-LM Does Not Improve Open-ended Text Generation"]
    assert titles(lib, 'title:"language models" -title:replug ') == [
        "Infini-gram: Scaling Unbounded n-gram Language Models"
    ]


def test_tag_filters(lib: Library) -> None:
    assert titles(lib, "#scaling") == ["Chinchilla: Training Compute-Optimal Models"]
    assert titles(lib, "#scal") == ["Chinchilla: Training Compute-Optimal Models"]  # still typing
    assert titles(lib, "#scal ") == []
    assert titles(lib, "tag:SCALING models ") == ["Chinchilla: Training Compute-Optimal Models"]


def test_status_and_has_filters(lib: Library) -> None:
    assert titles(lib, "is:starred ") == ["REPLUG: Retrieval-Augmented Black-Box Language Models"]
    assert titles(lib, "is:reading ") == ["KNN-LM Does Not Improve Open-ended Text Generation"]
    assert titles(lib, "is:read ") == ["Optimization of Sparse Attention"]
    assert "Optimization of Sparse Attention" not in titles(lib, "is:unread ")
    assert titles(lib, "has:notes ") == ["KNN-LM Does Not Improve Open-ended Text Generation"]
    assert titles(lib, "has:code ") == ["Infini-gram: Scaling Unbounded n-gram Language Models"]
    assert "REPLUG: Retrieval-Augmented Black-Box Language Models" in titles(lib, "has:link ")
    assert "Optimization of Sparse Attention" not in titles(lib, "has:link ")


def test_year_and_added_filters(library: Library) -> None:
    add(library, "Old paper on agents", year=2019, added_at="2020-01-01T00:00:00Z")
    add(library, "New paper on agents", year=2024)
    assert titles(library, "agents year:2024 ") == ["New paper on agents"]
    assert titles(library, "agents year:>=2020 ") == ["New paper on agents"]
    assert titles(library, "agents year:2010..2019 ") == ["Old paper on agents"]
    assert titles(library, "agents added:<7d ") == ["New paper on agents"]
    assert titles(library, "agents added:>7d ") == ["Old paper on agents"]
    assert titles(library, "added:2020-01 ") == ["Old paper on agents"]


def test_sort_orders(lib: Library) -> None:
    assert titles(lib, "language sort:title ") == [
        "Chinchilla: Training Compute-Optimal Models",
        "Infini-gram: Scaling Unbounded n-gram Language Models",
        "REPLUG: Retrieval-Augmented Black-Box Language Models",
    ]
    assert titles(lib, "language sort:year ")[0].startswith("Infini-gram")
    assert titles(lib, "sort:year ")[-1] == "Optimization of Sparse Attention"
    assert titles(lib, "language sort:added ")[0].startswith("REPLUG")


def test_view_and_tag_arguments(lib: Library) -> None:
    assert titles(lib, "language ", view=View.STARRED) == [
        "REPLUG: Retrieval-Augmented Black-Box Language Models"
    ]
    assert titles(lib, "models ", tag="scaling") == ["Chinchilla: Training Compute-Optimal Models"]


def test_total_counts_all_matches(lib: Library) -> None:
    result = SearchEngine(lib).search("language ", limit=1)
    assert len(result.hits) == 1 and result.total == 3


def test_spans_index_the_stored_text(lib: Library) -> None:
    result = SearchEngine(lib).search("retreival lang")
    paper = lib.get(result.hits[0].paper_id)
    spans = result.hits[0].spans
    assert [paper.title[s:e] for s, e in spans["title"]] == ["Retrieval", "Language"]
    assert [paper.abstract[s:e] for s, e in spans["abstract"]] == ["Retrieval"]
    author_hit = SearchEngine(lib).search("hoffmann ").hits[0]
    assert author_hit.spans["authors"] == [(7, 15)]  # "Jordan Hoffmann, Laurent Sifre"


def test_hints(lib: Library) -> None:
    engine = SearchEngine(lib)
    assert engine.search("xyzzyq ").hint is None  # "no results" says it all
    assert engine.search("chinchilla xyzzyq ").hint == 'no paper has "xyzzyq"'
    assert "every word" in (engine.search("chinchilla sparse ").hint or "")
    assert engine.search("🙂").hint is not None
    assert engine.search("chinchilla").hint is None
    assert engine.search("").hint is None and engine.search("").total == 5


def test_word_list_follows_edits(lib: Library) -> None:
    pid = lib.ids()[0]
    assert titles(lib, "zeitgeber ") == []
    lib.set_note(pid, "circadian zeitgeber")
    assert len(titles(lib, "zeitgeebr ")) == 1  # the note's word is now a typo target


def test_upgraded_library_gets_a_word_list(tmp_path: Path) -> None:
    from sqlite_utils import Database

    from readinglist.core.migrations import migrations

    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="m003_search_vocab")
    db.execute(
        """INSERT INTO papers (title, abstract, added_at, title_key)
           VALUES ('Zeppelin Navigation with Transformers', 'Airships.', '2020-01-01T00:00:00Z', 'x')"""
    )
    db.conn.commit()
    db.close()
    with Library(path) as lib:
        # m003 queued the old paper; the first search learns its words.
        assert titles(lib, "zepelin ") == ["Zeppelin Navigation with Transformers"]
        assert lib.db.execute("SELECT count(*) FROM search_dirty").fetchone()[0] == 0
        assert titles(lib, "title:navigation ") == ["Zeppelin Navigation with Transformers"]


def test_search_works_while_another_process_holds_the_write_lock(lib: Library) -> None:
    import sqlite3

    titles(lib, "x")  # the first search learns the fixture's words
    lib.set_note(lib.ids()[0], "a note with the word quixotic")  # queues the paper for the word list
    other = sqlite3.connect(lib.path, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    try:
        # The word list cannot be updated now; the search still answers.
        assert titles(lib, "chinchilla ") == ["Chinchilla: Training Compute-Optimal Models"]
        assert lib.db.execute("SELECT count(*) FROM search_dirty").fetchone()[0] == 1
    finally:
        other.rollback()
        other.close()
    assert len(titles(lib, "quixotic ")) == 1
    assert lib.db.execute("SELECT count(*) FROM search_dirty").fetchone()[0] == 0


def test_filters_alone_keep_the_queue_order(lib: Library) -> None:
    by_title = {p.title.split(":")[0].split(" ")[0]: p.id for p in lib.papers()}
    for name in ("REPLUG", "Chinchilla", "Infini-gram"):
        lib.queue_add(by_title[name])
    result = SearchEngine(lib).search("has:link ", view=View.QUEUE)
    # Chinchilla has no link; the others keep their queue order.
    assert [h.paper_id for h in result.hits] == [by_title["REPLUG"], by_title["Infini-gram"]]


def test_unknown_word_hint_names_only_dead_clauses(lib: Library) -> None:
    engine = SearchEngine(lib)
    assert (
        engine.search("qwzzx | chinchilla sparse ").hint
        == "no paper matches every word; try fewer words or a | b"
    )
    assert engine.search("qwzzx | vbnmq chinchilla ").hint == 'no paper has "qwzzx", "vbnmq"'


def test_other_word_forms_when_nothing_matches(library: Library) -> None:
    add(library, "Streaming Speech Synthesizers")
    add(library, "Protein Folding")
    result = SearchEngine(library).search("speech synthesis ")
    assert titles(library, "speech synthesis ") == ["Streaming Speech Synthesizers"]
    assert result.hint == "no exact match; showing other forms of the words"
    assert SearchEngine(library).search("speech synthesizers ").hint is None

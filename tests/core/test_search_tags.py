"""Words in a paper's tags find it, as they did when tags were part of the papers' full-text index.

Since migration m010 tags have an index of their own (``tags_fts``, one row per
tag) so that tagging many papers re-indexes nothing; these tests tag papers of
the sample (which has no tags of its own, so the search differential cannot
see this) and check what search finds through them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from readinglist.core import batch, tag_admin
from readinglist.core.migrations import migrations
from readinglist.core.models import View
from readinglist.core.sample import import_sample
from readinglist.core.search import SearchEngine
from readinglist.core.store import Library


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    with Library(tmp_path / "lib.db") as library:
        import_sample(library)
        yield library


def found(library: Library, query: str, view: View = View.ALL, tag: str | None = None) -> set[int]:
    result = SearchEngine(library).search(query, limit=1000, view=view, tag=tag)
    ids = {h.paper_id for h in result.hits}
    assert result.total is None or result.total == len(ids), query
    return ids


def test_a_word_only_in_a_tag_finds_the_paper(lib: Library) -> None:
    ids = lib.ids()
    assert found(lib, "zebrafish") == set()
    lib.tag(ids[5], ["zebrafish"])
    batch.tag(lib, ids[10:13], ["models/quokka"])
    assert found(lib, "zebrafish") == {ids[5]}
    assert found(lib, "quokka") == set(ids[10:13])
    # Typos and half-typed words: the tag's words are in the word list.
    assert found(lib, "zebrafsh") == {ids[5]}
    assert found(lib, "zebraf") == {ids[5]}
    assert found(lib, "quok") == set(ids[10:13])
    # A phrase inside one tag, and the stemmed form of a tag word.
    assert found(lib, '"models quokka"') == set(ids[10:13])
    lib.tag(ids[20], ["pangolins"])
    assert found(lib, "pangolin ") == {ids[20]}
    # Only the text is looked at with a field.
    assert found(lib, "title:zebrafish") == set()
    assert found(lib, "notes:quokka") == set()


def test_words_from_the_text_and_the_tags_combine(lib: Library) -> None:
    with_word = found(lib, "language ")
    without = [i for i in lib.ids() if i not in with_word]
    assert len(with_word) >= 4 and len(without) >= 4
    tagged = [*sorted(with_word)[:3], *without[:2]]
    batch.tag(lib, tagged, ["wombat"])
    # Every word must match somewhere: one in the text, the other in the tags.
    assert found(lib, "language wombat ") == set(sorted(with_word)[:3])
    assert found(lib, "wombat language ") == set(sorted(with_word)[:3])
    assert found(lib, "wombat | language ") == with_word | set(tagged)
    # Exclusions reach the tags too.
    assert found(lib, "language -wombat") == with_word - set(tagged)
    assert found(lib, "-wombat") == set(lib.ids()) - set(tagged)
    # Filters and views still apply.
    lib.set_starred(tagged[0], True)
    lib.set_starred(tagged[4], True)
    assert found(lib, "wombat is:starred") == {tagged[0], tagged[4]}
    assert found(lib, "wombat", view=View.STARRED) == {tagged[0], tagged[4]}
    assert found(lib, "wombat sort:title") == set(tagged)
    assert found(lib, "language", tag="wombat") == set(sorted(with_word)[:3])


def test_untagging_renaming_merging_and_undo_keep_search_right(lib: Library) -> None:
    ids = lib.ids()
    batch.tag(lib, ids[:50], ["numbat"])
    assert found(lib, "numbat") == set(ids[:50])
    lib.undo()
    assert found(lib, "numbat") == set()
    lib.redo()
    assert found(lib, "numbat") == set(ids[:50])
    batch.tag(lib, ids[:10], remove=["numbat"])
    assert found(lib, "numbat") == set(ids[10:50])
    tag_admin.rename(lib, "numbat", "bilby")
    assert found(lib, "numbat") == set()
    assert found(lib, "bilby") == set(ids[10:50])
    lib.tag(ids[0], ["okapi"])
    tag_admin.merge(lib, ["okapi"], "bilby")
    assert found(lib, "okapi") == set()
    assert found(lib, "bilby") == {ids[0], *ids[10:50]}
    lib.undo()
    assert found(lib, "okapi") == {ids[0]}
    tag_admin.delete(lib, "bilby")
    assert found(lib, "bilby") == set()
    lib.undo()
    assert found(lib, "bilby") == set(ids[10:50])


def test_tagging_rewrites_no_paper_row(lib: Library) -> None:
    """Tags live in paper_tags only: a tagged paper's row (and its text index entry) stays as it was."""
    ids = lib.ids()
    before = lib.conn.execute("SELECT count(*) FROM papers_fts_data").fetchone()[0]
    log = lib.conn.execute("SELECT coalesce(max(seq), 0) FROM history_log").fetchone()[0]
    batch.tag(lib, ids, ["everything"])
    assert lib.conn.execute("SELECT count(*) FROM papers_fts_data").fetchone()[0] == before
    changed = lib.conn.execute("SELECT DISTINCT tbl FROM history_log WHERE seq > ?", [log]).fetchall()
    assert {t for (t,) in changed} == {"tags", "paper_tags"}
    assert found(lib, "everything") == set(ids)


def _m009_library(path: Path) -> None:
    """A library as m009 left it: tags copied into ``papers.tags_text`` and indexed with the text."""
    db = Database(path)
    migrations.apply(db, stop_before="m010_tags_apart")
    for pid, title in ((1, "Tagged paper"), (2, "Other paper")):
        db.execute(
            """INSERT INTO papers (id, title, abstract, authors, added_at, title_key, key)
               VALUES (?, ?, 'About capybaras.', ?, '2020-01-01T00:00:00Z', lower(?), ?)""",
            [pid, title, json.dumps(["Ada Lovelace"]), title, f"k{pid}"],
        )
    db.execute("INSERT INTO tags (id, name) VALUES (1, 'classic')")
    db.execute("INSERT INTO paper_tags (paper_id, tag_id) VALUES (1, 1)")
    db.execute("UPDATE papers SET tags_text = 'classic' WHERE id = 1")
    # An action logged before the upgrade: tagging paper 2, its log naming tags_text.
    first = db.execute("SELECT coalesce(max(seq), 0) + 1 FROM history_log").fetchone()[0]
    db.execute("INSERT INTO paper_tags (paper_id, tag_id) VALUES (2, 1)")
    db.execute("UPDATE papers SET tags_text = 'classic' WHERE id = 2")
    last = db.execute("SELECT max(seq) FROM history_log").fetchone()[0]
    db.execute(
        "INSERT INTO history (description, at, first_seq, last_seq) VALUES ('tagged 2 +classic', '', ?, ?)",
        [first, last],
    )
    db.conn.commit()
    indexed = db.execute("SELECT rowid FROM papers_fts WHERE papers_fts MATCH 'classic'").fetchall()
    assert indexed == [(1,), (2,)]
    db.close()


def test_upgrade_moves_tags_to_their_own_index_and_keeps_history(tmp_path: Path) -> None:
    path = tmp_path / "m009.db"
    _m009_library(path)
    with Library(path) as lib:
        cols = [r[1] for r in lib.conn.execute("PRAGMA table_info(papers)")]
        assert "tags_text" not in cols
        with lib.write() as db:
            db.execute("INSERT INTO papers_fts(papers_fts, rank) VALUES('integrity-check', 1)")
            db.execute("INSERT INTO tags_fts(tags_fts, rank) VALUES('integrity-check', 1)")
        indexed = lib.conn.execute("SELECT rowid FROM papers_fts WHERE papers_fts MATCH 'classic'").fetchall()
        assert indexed == []
        assert found(lib, "classic") == {1, 2}
        assert found(lib, "capybara") == {1, 2}
        assert found(lib, "clasic") == {1, 2}  # the tag's word is in the word list
        # The history triggers follow the new columns, and an action logged before the upgrade undoes.
        assert lib.undo() == ["tagged 2 +classic"]
        assert lib.get(2).tags == ()
        assert found(lib, "classic") == {1}
        lib.set_starred(2, True)
        lib.undo()
        assert not lib.get(2).starred


def test_the_meaning_search_word_pool_finds_tag_words(lib: Library) -> None:
    from readinglist.core.semantic.fusion import bm25_or

    ids = lib.ids()
    assert bm25_or(lib, "zebrafish") == []
    lib.tag(ids[5], ["zebrafish"])
    lib.tag(ids[6], ["zebrafish"])
    assert bm25_or(lib, "zebrafish") == sorted([ids[5], ids[6]], reverse=True)
    assert bm25_or(lib, "zebrafish", among=[ids[6], ids[7]]) == [ids[6]]
    # Text matches keep their bm25 order first; tag-only ones follow.
    text = bm25_or(lib, "language")
    assert bm25_or(lib, "language zebrafish", limit=len(text) + 2)[: len(text)] == text

"""The names of the schema's migrations, importable without sqlite-utils.

Opening a library checks these against the file's applied migrations with
plain SQL, so an up-to-date library opens without importing sqlite-utils
(the migrations themselves live in :mod:`readinglist.core.migrations`; a
test keeps the two lists equal). The triggers the migrations create are declared here
too (:data:`PAPERS_TRIGGERS`), for the bulk import that takes them off and puts them back.
"""

from __future__ import annotations

from typing import NamedTuple

MIGRATION_SET = "readinglist"
MIGRATIONS_TABLE = "_sqlite_migrations"
MIGRATION_NAMES: tuple[str, ...] = (
    "m001_initial",
    "m002_fulltext",
    "m003_search_vocab",
    "m004_title_tail_index",
    "m005_added_index_with_status",
    "m006_venue_and_key",
    "m007_capture_pending",
    "m008_paper_vectors",
    "m009_history",
    "m010_tags_apart",
)


class Trigger(NamedTuple):
    """A trigger the migrations create, declared so that bulk imports need not parse ``sqlite_master``."""

    name: str
    sql: str
    """The ``CREATE TRIGGER`` statement exactly as the migrations leave it in ``sqlite_master``."""
    replay: str | None = None
    """For an ``AFTER INSERT`` trigger: the same work done set-wise for the rows with
    ``? < rowid <= ?`` (see :mod:`readinglist.core.importing.triggers`)."""
    mirror: bool = False
    """An ``AFTER UPDATE`` trigger that only copies the row into tables the replays fill."""
    kept: bool = False
    """An ``AFTER UPDATE`` trigger that is no mirror but may keep firing through a bulk import
    while the mirrors are off: its write is idempotent, so the restore's back-and-forth over
    the updated rows (see :mod:`readinglist.core.importing.triggers`) does no harm."""


FTS_COLUMNS_NOW: tuple[str, ...] = ("title", "abstract", "authors", "notes")
"""The columns of ``papers_fts`` since m010 (tags are indexed apart, in ``tags_fts``)."""
_FTS_COLS = ", ".join(f'"{c}"' for c in FTS_COLUMNS_NOW)
_NEW_COLS = ", ".join(f'new."{c}"' for c in FTS_COLUMNS_NOW)
_OLD_COLS = ", ".join(f'old."{c}"' for c in FTS_COLUMNS_NOW)

PAPERS_TRIGGERS: tuple[Trigger, ...] = (
    # m002_fulltext, written by sqlite-utils' enable_fts (its text, byte for byte), and
    # recreated by m010_tags_apart without the tags column.
    Trigger(
        "papers_ai",
        f'CREATE TRIGGER "papers_ai" AFTER INSERT ON "papers" BEGIN\n'
        f'  INSERT INTO "papers_fts" (rowid, {_FTS_COLS}) VALUES (new.rowid, {_NEW_COLS});\nEND',
        replay=f'INSERT INTO "papers_fts" (rowid, {_FTS_COLS}) SELECT rowid, {_FTS_COLS} FROM papers '
        "WHERE rowid > ? AND rowid <= ?",
    ),
    Trigger(
        "papers_ad",
        f'CREATE TRIGGER "papers_ad" AFTER DELETE ON "papers" BEGIN\n'
        f'  INSERT INTO "papers_fts" ("papers_fts", rowid, {_FTS_COLS}) '
        f"VALUES('delete', old.rowid, {_OLD_COLS});\nEND",
    ),
    # m009_history replaced sqlite-utils' table-wide update trigger with this narrower one:
    # only a change to an indexed column re-indexes the row (m010: tags are no longer one).
    Trigger(
        "papers_au",
        f'CREATE TRIGGER "papers_au" AFTER UPDATE OF {_FTS_COLS} ON "papers" BEGIN\n'
        f'  INSERT INTO "papers_fts" ("papers_fts", rowid, {_FTS_COLS}) '
        f"VALUES('delete', old.rowid, {_OLD_COLS});\n"
        f'  INSERT INTO "papers_fts" (rowid, {_FTS_COLS}) VALUES (new.rowid, {_NEW_COLS});\nEND',
        mirror=True,
    ),
    # m003_search_vocab (the update trigger as m010_tags_apart recreated it, without tags)
    Trigger(
        "search_dirty_insert",
        """CREATE TRIGGER search_dirty_insert AFTER INSERT ON papers BEGIN
               INSERT OR REPLACE INTO search_dirty (paper_id, fresh) VALUES (new.id, 1);
           END""",
        replay="INSERT OR REPLACE INTO search_dirty (paper_id, fresh) SELECT id, 1 FROM papers "
        "WHERE rowid > ? AND rowid <= ?",
    ),
    Trigger(
        "search_dirty_update",
        """CREATE TRIGGER search_dirty_update AFTER UPDATE OF title, abstract, authors, notes
           ON papers BEGIN
               INSERT OR IGNORE INTO search_dirty (paper_id, fresh) VALUES (new.id, 0);
           END""",
        mirror=True,
    ),
    Trigger(
        "search_dirty_delete",
        """CREATE TRIGGER search_dirty_delete AFTER DELETE ON papers BEGIN
               DELETE FROM search_dirty WHERE paper_id = old.id;
           END""",
    ),
    Trigger(
        "papers_title_fts_insert",
        """CREATE TRIGGER papers_title_fts_insert AFTER INSERT ON papers BEGIN
               INSERT INTO papers_title_fts (rowid, title) VALUES (new.id, new.title);
           END""",
        replay="INSERT INTO papers_title_fts (rowid, title) SELECT id, title FROM papers "
        "WHERE rowid > ? AND rowid <= ?",
    ),
    Trigger(
        "papers_title_fts_delete",
        """CREATE TRIGGER papers_title_fts_delete AFTER DELETE ON papers BEGIN
               INSERT INTO papers_title_fts (papers_title_fts, rowid, title)
                   VALUES ('delete', old.id, old.title);
           END""",
    ),
    Trigger(
        "papers_title_fts_update",
        """CREATE TRIGGER papers_title_fts_update AFTER UPDATE OF title ON papers BEGIN
               INSERT INTO papers_title_fts (papers_title_fts, rowid, title)
                   VALUES ('delete', old.id, old.title);
               INSERT INTO papers_title_fts (rowid, title) VALUES (new.id, new.title);
           END""",
        mirror=True,
    ),
    # m007_capture_pending
    Trigger(
        "arxiv_updates_delete",
        """CREATE TRIGGER arxiv_updates_delete AFTER DELETE ON papers BEGIN
               DELETE FROM arxiv_updates WHERE paper_id = old.id;
           END""",
    ),
    # m008_paper_vectors. The update trigger stays on through a bulk import and queues each
    # paper whose title or abstract the run changes; the restore's back-and-forth at most
    # queues one whose text ended up unchanged, which the embedder's digest then skips.
    # New papers need no queueing: a paper without a vector is embedded anyway.
    Trigger(
        "vector_dirty_update",
        """CREATE TRIGGER vector_dirty_update AFTER UPDATE OF title, abstract ON papers BEGIN
               INSERT OR IGNORE INTO vector_dirty (paper_id) VALUES (new.id);
           END""",
        kept=True,
    ),
    Trigger(
        "paper_vectors_delete",
        """CREATE TRIGGER paper_vectors_delete AFTER DELETE ON papers BEGIN
               DELETE FROM paper_vectors WHERE paper_id = old.id;
               DELETE FROM vector_dirty WHERE paper_id = old.id;
           END""",
    ),
)
"""Every trigger on ``papers`` the migrations create, in order (a test checks them against a new library).

The history's triggers (``history_papers_*``, m009_history) are not among them: they are
generated from the table's current columns by :mod:`readinglist.core.history_triggers`, and
a bulk import takes them off itself first (:class:`readinglist.core.history.BulkLog`).
"""

TAGS_TRIGGERS: tuple[Trigger, ...] = (
    # m010_tags_apart: the tag-name index, and the word list's queue of new and renamed tags.
    Trigger(
        "tags_fts_insert",
        """CREATE TRIGGER tags_fts_insert AFTER INSERT ON tags BEGIN
               INSERT INTO tags_fts (rowid, name) VALUES (new.id, new.name);
               INSERT OR IGNORE INTO search_dirty_tags (tag_id) VALUES (new.id);
           END""",
    ),
    Trigger(
        "tags_fts_delete",
        """CREATE TRIGGER tags_fts_delete AFTER DELETE ON tags BEGIN
               INSERT INTO tags_fts (tags_fts, rowid, name) VALUES ('delete', old.id, old.name);
               DELETE FROM search_dirty_tags WHERE tag_id = old.id;
           END""",
    ),
    Trigger(
        "tags_fts_update",
        """CREATE TRIGGER tags_fts_update AFTER UPDATE OF name ON tags BEGIN
               INSERT INTO tags_fts (tags_fts, rowid, name) VALUES ('delete', old.id, old.name);
               INSERT INTO tags_fts (rowid, name) VALUES (new.id, new.name);
               INSERT OR IGNORE INTO search_dirty_tags (tag_id) VALUES (new.id);
           END""",
    ),
)
"""The triggers on ``tags`` (m010_tags_apart): tiny, so a bulk import leaves them firing."""

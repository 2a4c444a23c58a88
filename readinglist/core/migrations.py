"""The schema history of a library file, applied in order when it is opened.

Never edit a migration that has shipped: add a new one. A test opens a file
written by the first version and checks nothing is lost on the upgrade.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

from readinglist.core.schema import FTS_COLUMNS_NOW, MIGRATION_SET, PAPERS_TRIGGERS, TAGS_TRIGGERS

migrations = Migrations(MIGRATION_SET)

FTS_COLUMNS = ["title", "abstract", "authors", "tags_text", "notes"]
"""The full-text index's columns up to m010 (see :data:`readinglist.core.schema.FTS_COLUMNS_NOW`)."""


@migrations()
def m001_initial(db: Database) -> None:
    """Papers, tags and a key/value table for the library's own state."""
    db.execute(
        """
        CREATE TABLE papers (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            abstract TEXT NOT NULL DEFAULT '',
            authors TEXT NOT NULL DEFAULT '[]',
            year INTEGER,
            date TEXT,
            arxiv_id TEXT,
            doi TEXT,
            url TEXT,
            links TEXT NOT NULL DEFAULT '[]',
            source TEXT NOT NULL DEFAULT '',
            added_at TEXT NOT NULL,
            title_key TEXT NOT NULL,
            starred INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'unread',
            queue_position INTEGER,
            notes TEXT NOT NULL DEFAULT '',
            notes_updated_at TEXT
        )
        """
    )
    db.execute("CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE)")
    db.execute(
        """
        CREATE TABLE paper_tags (
            paper_id INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
            tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
            PRIMARY KEY (paper_id, tag_id)
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX paper_tags_tag ON paper_tags(tag_id)")
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("CREATE INDEX papers_arxiv ON papers(arxiv_id) WHERE arxiv_id IS NOT NULL")
    db.execute("CREATE INDEX papers_doi ON papers(doi) WHERE doi IS NOT NULL")
    db.execute("CREATE INDEX papers_title_key ON papers(title_key)")
    db.execute("CREATE INDEX papers_queue ON papers(queue_position) WHERE queue_position IS NOT NULL")
    db.execute("CREATE INDEX papers_added ON papers(added_at DESC, id)")


@migrations()
def m002_fulltext(db: Database) -> None:
    """A full-text index over title, abstract, authors, tags and notes.

    Tags live in their own table, so a denormalised ``tags_text`` column keeps
    them visible to the index; the store rewrites it whenever tags change.
    Triggers keep the index in step with every insert, update and delete.
    """
    db.execute("ALTER TABLE papers ADD COLUMN tags_text TEXT NOT NULL DEFAULT ''")
    db.execute(
        """
        UPDATE papers SET tags_text = coalesce((
            SELECT group_concat(t.name, ' ') FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id
            WHERE pt.paper_id = papers.id), '')
        """
    )
    db.table("papers").enable_fts(
        FTS_COLUMNS,
        create_triggers=True,
        tokenize="porter unicode61 remove_diacritics 2",
    )
    db.execute("INSERT INTO papers_fts(papers_fts, rank) VALUES('rank', 'bm25(10.0, 1.0, 3.0, 3.0, 2.0)')")


@migrations()
def m003_search_vocab(db: Database) -> None:
    """The word list that typo and prefix expansion look words up in.

    ``search_vocab`` holds every index word (case-folded, accents stripped, not
    stemmed) with how often it occurs; ``search_vocab_del`` maps
    each word with one letter deleted back to the word (a SymSpell-style index),
    so typo candidates are found with an indexed lookup instead of reading the
    whole vocabulary. Tokenising needs Python, so triggers only queue changed
    papers in ``search_dirty`` (``fresh`` is 1 for new papers, whose words count
    towards the frequencies); ``readinglist.core.search.refresh_vocab`` drains
    the queue. Existing papers are queued here. ``papers_title_fts`` indexes
    titles alone, for the title-first candidate queries; plain indexes keep
    the ``is:``, ``has:notes`` and ``year:`` filters from scanning the table.
    """
    db.execute("CREATE TABLE search_vocab (word TEXT PRIMARY KEY, freq INTEGER NOT NULL) WITHOUT ROWID")
    db.execute(
        """CREATE TABLE search_vocab_del (
               del TEXT NOT NULL, word TEXT NOT NULL, PRIMARY KEY (del, word)
           ) WITHOUT ROWID"""
    )
    db.execute("CREATE TABLE search_dirty (paper_id INTEGER PRIMARY KEY, fresh INTEGER NOT NULL)")
    db.execute(
        """CREATE TRIGGER search_dirty_insert AFTER INSERT ON papers BEGIN
               INSERT OR REPLACE INTO search_dirty (paper_id, fresh) VALUES (new.id, 1);
           END"""
    )
    db.execute(
        """CREATE TRIGGER search_dirty_update AFTER UPDATE OF title, abstract, authors, tags_text, notes
           ON papers BEGIN
               INSERT OR IGNORE INTO search_dirty (paper_id, fresh) VALUES (new.id, 0);
           END"""
    )
    db.execute(
        """CREATE TRIGGER search_dirty_delete AFTER DELETE ON papers BEGIN
               DELETE FROM search_dirty WHERE paper_id = old.id;
           END"""
    )
    # Titles get a full-text index of their own: a title-only search in the main
    # index must decode every position list of a common word to check its column.
    db.execute(
        """CREATE VIRTUAL TABLE papers_title_fts USING fts5(
               title, content='papers', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
           )"""
    )
    db.execute(
        """CREATE TRIGGER papers_title_fts_insert AFTER INSERT ON papers BEGIN
               INSERT INTO papers_title_fts (rowid, title) VALUES (new.id, new.title);
           END"""
    )
    db.execute(
        """CREATE TRIGGER papers_title_fts_delete AFTER DELETE ON papers BEGIN
               INSERT INTO papers_title_fts (papers_title_fts, rowid, title)
                   VALUES ('delete', old.id, old.title);
           END"""
    )
    db.execute(
        """CREATE TRIGGER papers_title_fts_update AFTER UPDATE OF title ON papers BEGIN
               INSERT INTO papers_title_fts (papers_title_fts, rowid, title)
                   VALUES ('delete', old.id, old.title);
               INSERT INTO papers_title_fts (rowid, title) VALUES (new.id, new.title);
           END"""
    )
    db.execute("INSERT INTO papers_title_fts (papers_title_fts) VALUES ('rebuild')")
    db.execute("CREATE INDEX papers_starred ON papers(added_at DESC, id) WHERE starred = 1")
    db.execute("CREATE INDEX papers_status ON papers(status)")
    db.execute("CREATE INDEX papers_year ON papers(year)")
    db.execute("CREATE INDEX papers_with_notes ON papers(added_at DESC, id) WHERE notes != ''")
    db.execute("INSERT INTO search_dirty (paper_id, fresh) SELECT id, 1 FROM papers")


# m003 came from the search branch, written in parallel with this one. Migrations are
# applied in the order they are defined here; the numbers only keep names unique.
@migrations()
def m004_title_tail_index(db: Database) -> None:
    """Index the end of each normalised title, then its length (covering the whole key).

    With the ``title_key`` index (for the start) it lets an import find
    near-duplicate titles by looking only at papers that share most of a
    title's start or its last characters, instead of the whole library.
    """
    db.execute(
        "CREATE INDEX papers_title_tail ON papers(substr(title_key, -28), length(title_key), title_key)"
    )


@migrations()
def m005_added_index_with_status(db: Database) -> None:
    """Carry ``status`` in the newest-first index, so the Unread view never reads the table.

    With ``(added_at, id)`` alone, listing the unread papers read every row to
    check its status: 35 s for a 1M-paper library against 0.6 s for All. The
    wider index answers both from the index (0.85 s), and replaces the old one.
    """
    db.execute("DROP INDEX papers_added")
    db.execute("CREATE INDEX papers_added ON papers(added_at DESC, id, status)")


@migrations()
def m006_venue_and_key(db: Database) -> None:
    r"""Each paper's venue and citation key; every stored paper gets its key here, once.

    Keys are made as the BibTeX export made them (so ``\cite{}`` keys from
    earlier exports stay valid), in id order, a repeated key getting a letter
    as the export gave it. Filling them now rather than when first needed keeps
    reading free of writes and lets every path rely on a paper having a key.
    The full-text update trigger fires on any update and the key is not
    indexed, so it is taken off while the keys are written.
    """
    from readinglist.core import paper_keys  # loads bibtexparser: only when upgrading

    db.execute("ALTER TABLE papers ADD COLUMN venue TEXT")
    db.execute("ALTER TABLE papers ADD COLUMN key TEXT NOT NULL DEFAULT ''")
    db.execute("CREATE INDEX papers_key ON papers(key)")
    paper_keys.settle(db, -(2**63) + 1)  # every paper (the lowest id SQLite allows, plus one)


@migrations()
def m007_capture_pending(db: Database) -> None:
    """Papers stored before their metadata could be fetched, and what arXiv last said of each.

    ``pending`` holds the reference the user gave (an arXiv id, a DOI or a URL)
    while the paper waits for ``readinglist refresh``; NULL once it is filled
    in. ``arxiv_updates`` keeps the newest arXiv version and journal reference
    seen by ``refresh --updates``, beside the paper rather than in it.
    """
    db.execute("ALTER TABLE papers ADD COLUMN pending TEXT")
    db.execute("CREATE INDEX papers_pending ON papers(pending) WHERE pending IS NOT NULL")
    db.execute(
        """CREATE TABLE arxiv_updates (
               paper_id INTEGER PRIMARY KEY REFERENCES papers(id) ON DELETE CASCADE,
               version INTEGER, journal_ref TEXT, checked_at TEXT NOT NULL
           )"""
    )
    db.execute(
        """CREATE TRIGGER arxiv_updates_delete AFTER DELETE ON papers BEGIN
               DELETE FROM arxiv_updates WHERE paper_id = old.id;
           END"""
    )


@migrations()
def m008_paper_vectors(db: Database) -> None:
    """Vectors for finding papers by meaning (see ``readinglist.core.semantic``).

    One row per embedded paper: the model that computed it (a model change
    re-embeds everything), a digest of the text it came from, the vector as
    int8 with a scale, and a stamp that grows with every batch written (so a
    process holding the vectors in memory reads only what changed). Changing a
    title or abstract queues the paper in ``vector_dirty``; the triggers are
    declared in ``schema.PAPERS_TRIGGERS`` (the update one keeps firing through bulk imports).
    """
    db.execute(
        """CREATE TABLE paper_vectors (
               paper_id INTEGER PRIMARY KEY,
               model TEXT NOT NULL,
               digest TEXT NOT NULL,
               scale REAL NOT NULL,
               vec BLOB NOT NULL,
               stamp INTEGER NOT NULL
           )"""
    )
    db.execute("CREATE INDEX paper_vectors_stamp ON paper_vectors(model, stamp)")
    db.execute("CREATE TABLE vector_dirty (paper_id INTEGER PRIMARY KEY)")
    db.execute(
        """CREATE TRIGGER vector_dirty_update AFTER UPDATE OF title, abstract ON papers BEGIN
               INSERT OR IGNORE INTO vector_dirty (paper_id) VALUES (new.id);
           END"""
    )
    db.execute(
        """CREATE TRIGGER paper_vectors_delete AFTER DELETE ON papers BEGIN
               DELETE FROM paper_vectors WHERE paper_id = old.id;
               DELETE FROM vector_dirty WHERE paper_id = old.id;
           END"""
    )


@migrations()
def m009_history(db: Database) -> None:
    """The undo history, and saved searches.

    ``history`` holds one row per user action (its description and the range
    of ``history_log`` rows it owns); triggers on the user-data tables write
    those rows (see :mod:`readinglist.core.history`, which also recreates the
    triggers when a later migration changes a tracked table's columns).
    ``saved_views`` holds the searches saved as views of their own.
    """
    from readinglist.core import history

    db.execute(
        """CREATE TABLE saved_views (
               id INTEGER PRIMARY KEY,
               name TEXT NOT NULL UNIQUE COLLATE NOCASE,
               query TEXT NOT NULL DEFAULT '',
               view TEXT NOT NULL DEFAULT 'all',
               tag TEXT
           )"""
    )
    db.execute(
        """CREATE TABLE history (
               id INTEGER PRIMARY KEY,
               description TEXT NOT NULL,
               at TEXT NOT NULL,
               first_seq INTEGER NOT NULL,
               last_seq INTEGER NOT NULL,
               undone INTEGER NOT NULL DEFAULT 0,
               size INTEGER NOT NULL DEFAULT 0
           )"""
    )
    db.execute(
        """CREATE TABLE history_log (
               seq INTEGER PRIMARY KEY, tbl TEXT NOT NULL, key TEXT NOT NULL, old TEXT, new TEXT
           )"""
    )
    history.install(db.conn)
    # The full-text index re-indexed a paper on every update, starring included; only a
    # change to an indexed column needs it. Starring or marking 100k papers read then
    # costs no indexing at all (tagging still re-indexes each tagged paper: tags are indexed).
    cols = ", ".join(f'"{c}"' for c in FTS_COLUMNS)
    old_values = ", ".join(f'old."{c}"' for c in FTS_COLUMNS)
    new_values = ", ".join(f'new."{c}"' for c in FTS_COLUMNS)
    db.execute('DROP TRIGGER IF EXISTS "papers_au"')
    db.execute(
        f"""CREATE TRIGGER "papers_au" AFTER UPDATE OF {cols} ON "papers" BEGIN
  INSERT INTO "papers_fts" ("papers_fts", rowid, {cols}) VALUES('delete', old.rowid, {old_values});
  INSERT INTO "papers_fts" (rowid, {cols}) VALUES (new.rowid, {new_values});
END"""
    )


@migrations()
def m010_tags_apart(db: Database) -> None:
    """Tags leave the papers' full-text index: a tag's words are looked up in an index of tag names.

    Tags were indexed with the title and abstract, through the denormalised
    ``papers.tags_text`` column, and FTS5 can only replace a whole row: tagging
    100k papers re-indexed 100k abstracts (70 s), and rewrote 100k rows of the
    papers table to change one column. Now ``tags_fts`` indexes each tag's name
    once (a tag is one row, whatever the number of its papers), and search
    finds a paper by a word of its tags through ``paper_tags``
    (:mod:`readinglist.core.search.tags`); tagging only writes ``paper_tags``.
    ``search_dirty_tags`` queues new and renamed tags for the word list, as
    ``search_dirty`` queues papers. ``papers_fts`` is rebuilt without the
    column, which is dropped; the triggers that named it are recreated
    without it (history's included, see :mod:`readinglist.core.history_triggers`).
    """
    from readinglist.core import history_triggers

    conn = db.conn
    tracked = history_triggers.has_history(conn)
    if tracked:
        history_triggers.remove(conn, ["papers"])
    for name in ("papers_ai", "papers_ad", "papers_au", "search_dirty_update"):
        db.execute(f'DROP TRIGGER IF EXISTS "{name}"')
    db.execute("DROP TABLE IF EXISTS papers_fts")
    db.execute("ALTER TABLE papers DROP COLUMN tags_text")
    cols = ", ".join(f'"{c}"' for c in FTS_COLUMNS_NOW)
    # The layout sqlite-utils' enable_fts gave it (m002), minus the column.
    db.execute(
        f"""CREATE VIRTUAL TABLE "papers_fts" USING FTS5 (
    {cols},
    tokenize='porter unicode61 remove_diacritics 2',
    content="papers"
)"""
    )
    for trigger in PAPERS_TRIGGERS:
        if trigger.name in ("papers_ai", "papers_ad", "papers_au", "search_dirty_update"):
            db.execute(trigger.sql)
    db.execute("INSERT INTO papers_fts(papers_fts) VALUES ('rebuild')")
    db.execute("INSERT INTO papers_fts(papers_fts, rank) VALUES('rank', 'bm25(10.0, 1.0, 3.0, 2.0)')")
    db.execute(
        """CREATE VIRTUAL TABLE tags_fts USING fts5(
               name, content='tags', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
           )"""
    )
    db.execute("CREATE TABLE search_dirty_tags (tag_id INTEGER PRIMARY KEY)")
    for trigger in TAGS_TRIGGERS:
        db.execute(trigger.sql)
    db.execute("INSERT INTO tags_fts (tags_fts) VALUES ('rebuild')")
    if tracked:
        history_triggers.install(conn, ["papers"])

"""The machinery of one import run: batched dedup, bulk inserts and a deferred full-text index.

A run works inside the caller's write transaction. Drafts arrive in batches;
each batch costs a handful of statements instead of several per paper:

* three ``IN`` lookups find stored twins by arXiv id, DOI and normalised title
  (every paper of a title: :mod:`~readinglist.core.importing.match` passes over
  those that are other works); a draft that shares no identifier with them or
  with another draft of its batch is a new paper without being matched;
* new papers go in with one ``executemany`` (ids assigned here, so tags can
  be linked without reading them back);
* near-duplicate titles are looked for with one query that only visits papers
  sharing a title's first or last characters (two indexes), then scored with
  rapidfuzz.

Full-text indexing through the ``AFTER INSERT`` trigger costs several times
more per row than indexing the same rows with one ``INSERT … SELECT``. So the
run defers such triggers (:mod:`~readinglist.core.importing.triggers`), replays
them for the new rows every ``FTS_CATCH_UP_ROWS`` rows (sooner while the reader
is behind, see :meth:`ImportRun.idle`) and at the end, and
recreates them before the transaction commits; the full-text indexes use bulk
settings meanwhile (:mod:`~readinglist.core.importing.fts_bulk`). A row added earlier in
the run is updated with the index's update triggers off too; the index sees
the updates at the end, all together (see
:mod:`~readinglist.core.importing.triggers`), so each catch-up writes one large
index segment.

The search word list is brought up to date at the end, in the transaction.
When batches come with their words counted (by the reading helper process),
the run only adds those counts up, takes back the counts of drafts that added
no paper or changed one of the run's new papers, and reads just those papers
back at the end.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from readinglist.core import history, paper_keys
from readinglist.core.errors import FormatError
from readinglist.core.formats import BadEntry
from readinglist.core.formats.bibtex_write import key_or_id
from readinglist.core.importing import near_duplicates, rowdicts
from readinglist.core.importing.bad_entries import BadEntries
from readinglist.core.importing.fts_bulk import BulkFts
from readinglist.core.importing.keys import Provisional
from readinglist.core.importing.match import Index, Known, enrich, lookup, match
from readinglist.core.importing.prepare import Prepared
from readinglist.core.importing.triggers import DeferredTriggers
from readinglist.core.models import ImportReport, clean_tags
from readinglist.core.search.vocab import (
    ABSTRACT_SAMPLE,
    CountedRun,
    count_papers,
    count_words,
    refresh_vocab,
)
from readinglist.core.store import Library

FTS_CATCH_UP_ROWS = 25_000
"""New rows indexed together: one index segment each (see :mod:`~readinglist.core.importing.fts_bulk`)."""
IDLE_CATCH_UP_ROWS = 2_000
"""New rows pending before a writer with no batch ready indexes them early (doubled each time, see
:meth:`ImportRun.idle`)."""
FTS_TABLES = ["papers_fts", "papers_title_fts"]


class ImportRun:
    """Adds batches of prepared drafts to a library inside an open write transaction.

    Args:
        library: The library; its transaction must already be open.
        report: Filled in as the run goes.
        stamp: ``added_at`` for papers that do not bring their own.
        run_tags: Tags for every paper of the run, new or already stored.
        skip_bad: List bad entries in the report instead of raising.
        count_bad: Without ``skip_bad``, count bad entries and go on reading (doing no
            more work on the papers) instead of raising at the first; :meth:`failure`
            then says how many there were.
        list_matches: Record every match in ``report.matches`` (for a dry run).
    """

    def __init__(
        self,
        library: Library,
        report: ImportReport,
        stamp: str,
        run_tags: Sequence[str],
        skip_bad: bool,
        *,
        count_bad: bool = False,
        list_matches: bool = False,
    ) -> None:
        """Take the insert triggers off and note where the run starts."""
        self.library = library
        self.db = library.db
        self.report = report
        self.stamp = stamp
        self.list_matches = list_matches
        self.bad_entries = BadEntries(report, skip_bad, count_bad)
        self.run_tags = clean_tags(run_tags)
        last = int(self._one("SELECT coalesce(max(id), 0) FROM papers"))
        self.first_new_id = last + 1
        self.next_id = last + 1
        self.indexed_to = last
        self.idle_rows = IDLE_CATCH_UP_ROWS
        self.queue_base = int(self._one("SELECT coalesce(max(queue_position), 0) FROM papers"))
        self.queue_touched = False
        self.near = near_duplicates.Reporter(self.db, report)
        # The history's triggers go first: the run logs compactly (see history.BulkLog),
        # and DeferredTriggers then finds only the declared triggers on papers.
        self.history = history.BulkLog(self.db.conn)
        self.deferred = DeferredTriggers(self.db)
        self.fts = BulkFts(self.db, FTS_TABLES)
        # Word-list counts of the run's new papers, when batches come counted (see add_batch).
        self.counted: Counter[str] | None = None
        self.recount: set[int] = set()
        self.keyed_stored: set[int] = set()
        """Stored papers without a citation key that this run gave their file's key."""
        stored = int(self._one("SELECT count(*) FROM papers"))
        self.known = Known(self.db, stored)
        self.provisional = Provisional(self.db, self.first_new_id, stored)
        """New papers written with a generated key (see :mod:`~readinglist.core.importing.keys`)."""

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.db.execute(sql, list(params)).fetchone()[0]

    # -- triggers and the full-text index ---------------------------------------

    def catch_up(self) -> None:
        """Index the rows added since the last catch-up (what the dropped triggers would have done)."""
        last = self.next_id - 1
        if last <= self.indexed_to:
            return
        self.deferred.replay(self.indexed_to, last)
        self.indexed_to = last

    def idle(self) -> None:
        """Index the rows added so far while the reader has no batch ready, if there are enough.

        Early in a large run the reader is the slower side: the writer waited about
        1 s for batches at 100k papers. Each catch-up makes an index segment, so the
        first early one needs ``IDLE_CATCH_UP_ROWS`` rows and each next one twice as
        many: a reader always behind (BibTeX) adds a few segments, not one per batch
        (searches were as fast with 9 segments as with 5 at 100k papers).
        """
        if self.next_id - 1 - self.indexed_to >= self.idle_rows:
            self.catch_up()
            self.idle_rows = min(2 * self.idle_rows, FTS_CATCH_UP_ROWS)

    # -- batches ------------------------------------------------------------------

    def bad(self, entry: BadEntry | FormatError) -> None:
        """Record, count or raise a bad entry (see :class:`~.bad_entries.BadEntries`)."""
        self.bad_entries.bad(entry)

    def failure(self) -> FormatError | None:
        """The error that fails a run that counted bad entries, if there were any."""
        return self.bad_entries.failure()

    def add_batch(
        self, items: Sequence[Prepared | BadEntry], counts: Counter[str] | None = None
    ) -> list[int]:
        """Dedup, insert and index one batch.

        Args:
            items: Prepared drafts, and bad entries to record or raise (see ``skip_bad``).
            counts: The search word list's counts for the batch's drafts, made where
                they were read (:func:`~readinglist.core.importing.reader.count_batch`); the
                run merges them and takes back those of drafts that add no paper,
                instead of reading every new paper again at the end. Without them,
                the end of the run reads the batch's new papers.

        Returns:
            For each prepared draft, in order, the id of the paper it ended at: the
            new paper's, or the stored (or earlier-in-the-run) twin's it matched.
            Bad entries have no id and are left out. Once a bad entry has been
            counted (``count_bad``) the run is bound to fail: nothing is added
            and the list is empty.
        """
        batch: list[Prepared] = []
        for item in items:
            if isinstance(item, BadEntry):
                self.bad(item)
            else:
                batch.append(item)
        self.bad_entries.good_seen += len(batch)
        if not batch or self.bad_entries.first is not None:
            # The run will fail: the rest of the input is only read, to count its bad entries.
            return []
        found = self._lookup(batch)
        if counts is not None:
            if self.counted is None:
                self.counted = Counter()
            self.counted.update(counts)
        new_rows, updates, tagged_existing, ids = self._match(batch, found, counts)
        self._insert(new_rows)
        self._update(updates, tagged_existing)
        self.near.check(new_rows)
        if self.next_id - 1 - self.indexed_to >= FTS_CATCH_UP_ROWS:
            self.catch_up()
        return ids

    def _match(
        self, batch: list[Prepared], found: tuple[Index, ...], counts: Counter[str] | None
    ) -> tuple[list[dict[str, Any]], dict[int, dict[str, Any]], list[int], list[int]]:
        """Match each draft to a stored paper, an earlier one of the run, or none (a new row).

        Returns:
            The new rows, the changes to papers already written, the stored papers
            to give the run's tags, and each draft's paper id.
        """
        by_arxiv, by_doi, by_key = found
        new_rows: list[dict[str, Any]] = []
        new_by: tuple[Index, ...] = ({}, {}, {})
        updates: dict[int, dict[str, Any]] = {}
        tagged_existing: list[int] = []
        ids: list[int] = []
        uncount: list[tuple[str, str, str, str]] = []  # counted, yet adding no paper's words
        added_ids = self.report.added_ids
        for prep, alone in zip(batch, rowdicts.alone(batch, found), strict=True):
            if alone:
                # No stored paper and no other draft of the batch shares an identifier with it:
                # a new paper that no later draft of the batch can match (most drafts of a
                # large import; matching and indexing each one cost about 1 s per 100k).
                fresh = self._new_row(prep)
                paper_id = fresh["id"]
                if counts is None:
                    self.recount.add(paper_id)  # its words are read at the end
                new_rows.append(fresh)
                added_ids.append(paper_id)
                ids.append(paper_id)
                continue
            row, how, conflict = match(prep, (by_arxiv, by_doi, by_key), new_by)
            self.report.existing += row is not None
            if row is not None and self.list_matches:
                self.report.matches.append(
                    f'would match {prep.where} "{prep.title}" with {row["id"]} "{row["title"]}" (by {how})'
                )
            if row is None:
                row = self._new_row(prep)
                if conflict is not None:
                    other, reason = conflict
                    row["_conflict"] = True
                    self.near.note(
                        f"{prep.where}: {reason}, so it is a different paper from {other['id']} "
                        f"{other['title']!r}; kept both"
                    )
                if counts is None:
                    self.recount.add(row["id"])  # its words are read at the end
                new_rows.append(row)
                added_ids.append(row["id"])
            else:
                if counts is not None:
                    uncount.append((prep.title, prep.authors_json, prep.notes or "", prep.abstract))
                was = (row["title"], row["authors"], row["notes"], row["abstract"])
                changed = enrich(row, prep)
                if "key" in changed and not row.get("_new"):
                    self.keyed_stored.add(row["id"])
                    self.provisional.drop(row["id"])
                elif "authors" in changed or "year" in changed:
                    if row["id"] in self.provisional:
                        self.provisional.remake(row["id"])
                    elif row.get("_new"):
                        row["_stem"] = None  # not in yet: its key is made from what it has now
                if changed:
                    self.report.updated += 1
                    if not row.get("_new"):
                        updates.setdefault(row["id"], {}).update(changed)
                    ours = row["id"] >= self.first_new_id and row["id"] not in self.recount
                    if self.counted is not None and ours:
                        # A paper of this run, counted as it was read, has changed (it may
                        # come from the library, batches ago): take its counts back; the
                        # end of the run reads it as it ends up.
                        uncount.append(was)
                        if row.get("_tags_text"):  # counted when it went in (see _insert)
                            self.counted.subtract(count_words([row["_tags_text"]]))
                        self.recount.add(row["id"])
                if self.run_tags and not row.get("_new"):
                    tagged_existing.append(row["id"])
            ids.append(row["id"])
            # Later drafts of this batch must find this paper under its (new) identifiers.
            target = new_by if row.get("_new") else (by_arxiv, by_doi, by_key)
            for index, value in zip(target, (row["arxiv_id"], row["doi"], row["title_key"]), strict=True):
                if value:
                    rows = index.get(value)
                    if rows is None:
                        index[value] = [row]
                    elif not any(r is row for r in rows):
                        rows.append(row)
        if uncount and self.counted is not None:
            self.counted.subtract(count_papers(uncount, ABSTRACT_SAMPLE))
        self.report.added += len(new_rows)
        return new_rows, updates, tagged_existing, ids

    def _lookup(self, batch: list[Prepared]) -> tuple[Index, ...]:
        """Stored papers the batch may duplicate (:func:`lookup`), provisional keys shown as none."""
        found = lookup(self.db, batch, self.known)
        self.provisional.hide(found)
        return found

    def _new_row(self, prep: Prepared) -> dict[str, Any]:
        # An exported id is kept when it is above every id in use: ids only grow.
        wanted = prep.draft_id
        paper_id = wanted if wanted is not None and wanted >= self.next_id else self.next_id
        self.next_id = paper_id + 1
        queue = None
        if prep.queue_position is not None:
            queue = self.queue_base + prep.queue_position
            self.queue_touched = True
        tags = clean_tags([*prep.tags, *self.run_tags]) if self.run_tags else prep.tags
        return rowdicts.new_row(prep, paper_id, prep.added_at or self.stamp, tags, queue)

    def _insert(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        tag_ids = rowdicts.tag_ids(self.db, (t for r in rows for t in r["_tags"]))
        links_to_make: list[tuple[int, int]] = []
        provisional = self.provisional
        for row in rows:
            if not row["key"]:
                # Its generated key, with a letter if need be (see importing.keys). The reader
                # made its stem, unless a later entry has since filled in authors or year.
                stem = row["_stem"]
                if stem is None:
                    base = paper_keys.generated(row["title"], row["authors"], row["year"], row["id"])
                else:
                    base = key_or_id(stem, row["id"])
                row["key"] = provisional.decide(row["id"], base)
            else:
                provisional.keep()
            if row["_tags"]:
                tags = sorted(tag_ids[t.casefold()] for t in row["_tags"])
                row["_tags_text"] = " ".join(name for _, name in tags)
                links_to_make.extend((row["id"], tag_id) for tag_id, _ in tags)
        self.db.conn.executemany(rowdicts.INSERT_SQL, map(rowdicts.insert_values, rows))
        self.known.add(rows)
        if self.counted is not None:
            # The reader counted no tags: the stored names are only known here.
            recount = self.recount
            tags_texts = [r["_tags_text"] for r in rows if r.get("_tags_text") and r["id"] not in recount]
            self.counted.update(count_words(tags_texts))
        if links_to_make:
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO paper_tags(paper_id, tag_id) VALUES (?, ?)", links_to_make
            )

    def _update(self, updates: dict[int, dict[str, Any]], tagged: list[int]) -> None:
        # Only changed rows: tagging a stored paper writes paper_tags alone (m010), so its
        # row needs no snapshot (re-indexing 5,000 unchanged rows at the end cost 5.6 s).
        ids = sorted(updates)
        if not self.deferred.defers_updates:
            if ids and ids[-1] > self.indexed_to:
                self.catch_up()  # the update triggers must find these rows in the index
        else:
            # Rows not indexed yet need nothing: the catch-up indexes them as they end up.
            self.deferred.before_update([i for i in ids if i <= self.indexed_to])
        self.history.before_update(ids)
        self._update_rows(updates, tagged)

    def _update_rows(self, updates: dict[int, dict[str, Any]], tagged: list[int]) -> None:
        for paper_id, changed in updates.items():
            self.known.add([changed])
            sets = ", ".join(f"{col} = ?" for col in changed)
            self.db.execute(f"UPDATE papers SET {sets} WHERE id = ?", [*changed.values(), paper_id])
        for paper_id in dict.fromkeys(tagged):
            self.library.attach_tags(paper_id, self.run_tags)

    # -- the end --------------------------------------------------------------------

    def finish(self) -> None:
        """Complete the index, restore the triggers, tidy the queue and update the search word list."""
        # Keys decided as papers went in are final unless a later entry gave a paper
        # its own key or filled in its authors or year; then they are decided again
        # here, from the papers as they ended up (see importing.keys).
        paper_keys.settle(
            self.db, self.first_new_id, self.keyed_stored, self.report.notices, self.provisional
        )
        self.catch_up()
        self.deferred.restore()
        self.fts.restore()
        self.history.finish()
        if self.queue_touched:
            # Papers imported with a queue place join the end of the queue in their
            # own order; places left empty (by duplicates) close up.
            self.db.execute(
                """UPDATE papers SET queue_position = q.r
                   FROM (SELECT id, row_number() OVER (ORDER BY queue_position, id) AS r
                         FROM papers WHERE queue_position IS NOT NULL) AS q
                   WHERE papers.id = q.id AND papers.queue_position != q.r"""
            )
        self.near.finish()
        # The search word list (typo and prefix expansion) learns the run's words
        # here, inside the transaction, so the first search after a big import
        # does not stall on it (about 1.3 s for 100k papers).
        counted = None if self.counted is None else CountedRun(self.counted, self.first_new_id, self.recount)
        refresh_vocab(self.library, counted)

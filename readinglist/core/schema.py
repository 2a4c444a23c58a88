"""The names of the schema's migrations, importable without sqlite-utils.

Opening a library checks these against the file's applied migrations with
plain SQL, so an up-to-date library opens without importing sqlite-utils
(the migrations themselves live in :mod:`readinglist.core.migrations`; a
test keeps the two lists equal).
"""

from __future__ import annotations

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
)

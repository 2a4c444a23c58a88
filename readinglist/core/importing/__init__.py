"""The import pipeline: files in, papers in the library, all or nothing.

:func:`import_files` is the one entry point; :class:`ImportProgress` is what its
progress callback receives. Inside, in the order a paper goes through them:

* :mod:`.reader` parses the files into batches (in a helper process for large ones);
* :mod:`.prepare` turns each draft into what the writer needs (keys, JSON, cleaned tags);
* :mod:`.run` dedups each batch against the library (:mod:`.match`), inserts
  the new papers and reports near-duplicate titles (:mod:`.near_duplicates`);
* :mod:`.triggers` and :mod:`.fts_bulk` index the new papers set-wise instead of row by row;
* :mod:`.files` ties them together in one transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from readinglist.core.importing.files import ImportProgress, import_files

__all__ = ["ImportProgress", "import_files"]


def __getattr__(name: str) -> Any:
    # Loaded on first use, not with the package: the reading helper process runs
    # ``python -m readinglist.core.importing.reader``, which imports this package
    # first and must not load the reader a second time through ``files``.
    if name in __all__:
        from readinglist.core.importing import files

        return getattr(files, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

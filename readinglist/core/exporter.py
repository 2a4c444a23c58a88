"""Exporting papers to a file or stream, and backing the library up."""

from __future__ import annotations

import contextlib
import functools
import os
import secrets
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TextIO

from readinglist.core import backups, search
from readinglist.core.errors import LibraryError, ReadingListError
from readinglist.core.formats import get_format
from readinglist.core.models import EXPORT_FORMATS as EXPORT_FORMATS  # the CLI reads it without this module
from readinglist.core.models import Paper, View
from readinglist.core.store import Library

_PAGE = 500
# A query export has no natural size limit; search() still needs one.
_QUERY_LIMIT = 1_000_000
MEANING_LIMIT = 20
"""Papers a meaning query (``~...`` or ``like:...``) selects: the nearest ones, as many as
``readinglist search`` shows by default. Every paper has a nearness, so a meaning query
ranks the library rather than filtering it; the selection stops at the first page."""


def query_ids(
    library: Library,
    query: str,
    *,
    view: View = View.ALL,
    tag: str | None = None,
    limit: int = _QUERY_LIMIT,
    count: bool = True,
) -> tuple[list[int], str | None]:
    """The papers a ``--query`` selects, best first, and the search's hint (or None).

    A word query selects every paper that matches its words (never papers found
    by meaning, which fill in below them in ``readinglist search``). A query that
    starts with ``~`` or ``like:`` selects the :data:`MEANING_LIMIT` papers nearest
    in meaning, the same papers ``readinglist search`` lists for it. Every command
    that takes ``--query`` (and a saved view's query) selects through here, so the
    two prefixes behave the same everywhere.

    Raises:
        ReadingListError: a meaning query when search by meaning is not available
            (no model, or no paper indexed): the hint says how to get it.
    """
    from readinglist.core.semantic import fusion  # numpy and the model load only for a meaning query

    if fusion.meaning_only(query) is not None:
        fused = fusion.search(
            library, query, limit=min(limit, MEANING_LIMIT), view=view, tag=tag, count=False
        )
        hint = fused.result.hint
        if not fused.result.hits and hint is not None:
            raise ReadingListError(hint)
        return [hit.paper_id for hit in fused.result.hits], hint
    result = search.SearchEngine(library).search(query, limit=limit, view=view, tag=tag, count=count)
    return [hit.paper_id for hit in result.hits], result.hint


def select(
    library: Library,
    *,
    query: str | None = None,
    view: View | None = None,
    tag: str | None = None,
    by_id: bool = False,
    ids: Sequence[int] | None = None,
) -> Iterator[Paper]:
    """The papers to export, streamed a page at a time.

    Args:
        library: The library.
        query: Only papers matching this search, best first.
        view: Only this view's papers, in the view's order (default: all).
        tag: Only papers with this tag.
        by_id: Order by id instead (what the JSON export uses, so that
            importing it into an empty library gives every paper its id back).
        ids: These papers, in this order, instead of a view or search (the app's marks).
    """
    return _pages(library, selected_ids(library, query=query, view=view, tag=tag, by_id=by_id, ids=ids))


def selected_ids(
    library: Library,
    *,
    query: str | None = None,
    view: View | None = None,
    tag: str | None = None,
    by_id: bool = False,
    ids: Sequence[int] | None = None,
) -> list[int]:
    """The ids :func:`select` streams, found at once (so a bad query fails before anything is written)."""
    if ids is not None:
        ids = list(ids)
    elif query is None:
        ids = library.ids(view or View.ALL, tag)
    else:
        # Ids only: the engine's hits, without loading every matching paper at once.
        ids, _hint = query_ids(library, query, view=view or View.ALL, tag=tag)
    if by_id:
        ids.sort()
    return ids


def _pages(library: Library, ids: list[int]) -> Iterator[Paper]:
    for start in range(0, len(ids), _PAGE):
        yield from library.get_many(ids[start : start + _PAGE])


def export(
    library: Library,
    format_name: str,
    stream: TextIO,
    *,
    query: str | None = None,
    view: View | None = None,
    tag: str | None = None,
    raw: bool = False,
    ids: Sequence[int] | None = None,
) -> int:
    """Write papers to ``stream`` in a format and return how many were written.

    Args:
        library: The library.
        format_name: One of :data:`EXPORT_FORMATS`.
        stream: Where to write.
        query: Only papers matching this search.
        view: Only this view's papers.
        tag: Only papers with this tag.
        raw: CSV only: keep cells a spreadsheet would run as formulas as they
            are, instead of putting a ``'`` in front of them.
        ids: Only these papers (see :func:`select`).

    Raises:
        FormatError: if the format is unknown or cannot be written.
    """
    fmt = get_format(format_name)
    if fmt.write is None:
        raise ReadingListError(f"format {fmt.name} can only be imported")
    write: Callable[[Iterable[Paper], TextIO], None] = fmt.write
    if raw:
        if fmt.name != "csv":
            raise ReadingListError(f"raw output is for CSV only, not {fmt.name}")
        from readinglist.core.formats import csv_format

        write = functools.partial(csv_format.write, raw=True)
    if fmt.name == "json" and query is None and view is None and tag is None and ids is None:
        # The whole library: its saved searches travel with it (a selection leaves them out).
        from readinglist.core import saved_views
        from readinglist.core.formats import json_export

        rows = [saved_views.to_dict(v) for v in saved_views.all_views(library)]
        write = functools.partial(json_export.write, views=rows)
    count = 0
    # Before the first byte is written: a query that fails leaves no half-written output.
    chosen = selected_ids(library, query=query, view=view, tag=tag, by_id=fmt.name == "json", ids=ids)

    def counted() -> Iterator[Paper]:
        nonlocal count
        for paper in _pages(library, chosen):
            count += 1
            yield paper

    write(counted(), stream)
    return count


def export_to_file(
    library: Library,
    format_name: str,
    path: Path,
    *,
    query: str | None = None,
    view: View | None = None,
    tag: str | None = None,
    raw: bool = False,
    ids: Sequence[int] | None = None,
) -> int:
    """Export into ``path``, replacing it only once the export is complete.

    The papers go to a temporary ``.part`` file beside ``path``, renamed over
    it at the end, so ``path`` is never seen half written, not even after a
    kill -9 (which at worst leaves the ``.part`` file, removed by the next
    export to the same file). A file it replaces keeps its permissions. Any
    error or interruption (KeyboardInterrupt, which the CLI also raises on
    SIGTERM) removes the temporary file.

    Raises:
        ReadingListError: if ``path`` is a folder, a device, a FIFO or a socket
            (nothing is written), or the file cannot be written.
    """
    path = path.expanduser()
    _check_target(path)
    try:
        with _atomic_text(path) as stream:
            return export(library, format_name, stream, query=query, view=view, tag=tag, raw=raw, ids=ids)
    except OSError as exc:
        raise ReadingListError(f"{path}: cannot write: {exc.strerror or exc}") from None


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def _check_target(path: Path) -> None:
    """Refuse to put a file in place of anything that is not a regular file.

    Raises:
        ReadingListError: naming what ``path`` is.
    """
    try:
        mode = path.stat().st_mode
    except OSError:
        return  # missing (or unreachable: the write will say why)
    for test, kind in _KINDS:
        if test(mode):
            raise ReadingListError(f"{path}: is {kind}, not a regular file; nothing was written")


@contextlib.contextmanager
def _atomic_text(path: Path) -> Iterator[TextIO]:
    """A text file that appears at ``path`` only when the block succeeds."""
    path = path.expanduser()
    fd, tmp = _temp_beside(path)
    try:
        with contextlib.suppress(FileNotFoundError, AttributeError):  # no fchmod on Windows
            # The file it replaces keeps its permissions (a private list stays private).
            os.fchmod(fd, stat.S_IMODE(path.stat().st_mode))
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            yield stream
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _temp_beside(path: Path) -> tuple[int, str]:
    """A new, empty file next to ``path`` (so the final rename stays on one file system).

    Created like any new file (mode 0666 less the umask), not with mkstemp's
    0600: the export or backup keeps these permissions when renamed into place.
    Its name holds this process's id, so that left-overs of processes that
    were killed can be told from files still being written, and removed.
    """
    _remove_stale_parts(path)
    for _ in range(100):
        tmp = path.parent / f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.part"
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), str(tmp)
        except FileExistsError:
            continue
    raise FileExistsError(f"{path}: cannot pick a temporary name")


def _remove_stale_parts(path: Path) -> None:
    """Remove the ``.part`` files for ``path`` whose writing process no longer runs."""
    prefix = f".{path.name}."
    try:
        names = [n for n in os.listdir(path.parent or ".") if n.startswith(prefix) and n.endswith(".part")]
    except OSError:
        return
    for name in names:
        pid_text = name[len(prefix) : -len(".part")].split("-", 1)[0]
        if not pid_text.isdigit() or _alive(int(pid_text)):
            continue
        with contextlib.suppress(OSError):
            os.unlink(path.parent / name)


def _alive(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":  # on Windows os.kill would end the process
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process, or not a pid we can ask about: leave it
    return True


def default_backup_path(library: Library) -> Path:
    """``backups/library-<UTC time>.db`` next to the library file (numbered if taken)."""
    return backups.new_backup_path(library.path)


def backup(library: Library, dest: Path | None = None) -> Path:
    """Write a consistent copy of the library with SQLite's online backup API.

    Safe while the app or another import is using the library: the copy is
    one snapshot, taken under a read transaction that never blocks writers in
    WAL mode. It is written beside the destination and renamed into place.
    Such copies are never deleted automatically (see :mod:`readinglist.core.backups`).

    Args:
        library: The library to copy.
        dest: A file, or an existing folder to put a dated file in
            (default: :func:`default_backup_path`).

    Returns:
        The path of the copy.

    Raises:
        LibraryError: if the destination exists or cannot be written.
    """
    target = default_backup_path(library) if dest is None else dest.expanduser()
    if target.is_dir():
        target = target / default_backup_path(library).name
    if target.exists():
        raise LibraryError(f"{target}: already exists; choose another name")
    if target.resolve() == library.path.resolve():
        raise LibraryError(f"{target}: is the library itself")
    with library.errors():
        return backups.copy_database(library.conn, target)

"""Bad entries of an import run: listed (``--skip-bad``), counted, or raised at once."""

from __future__ import annotations

from readinglist.core.errors import FormatError
from readinglist.core.formats import BadEntry
from readinglist.core.models import ImportReport


class BadEntries:
    """What a run does with the entries its readers could not read.

    Args:
        report: The run's report; skipped entries are listed in it.
        skip_bad: List bad entries in the report instead of raising.
        count_bad: Without ``skip_bad``, count bad entries and go on reading (doing no
            more work on the papers) instead of raising at the first; :meth:`failure`
            then says how many there were.
    """

    def __init__(self, report: ImportReport, skip_bad: bool, count_bad: bool) -> None:
        """None seen yet."""
        self.report = report
        self.skip_bad = skip_bad
        self.count_bad = count_bad and not skip_bad
        self.seen = 0
        self.first: FormatError | None = None
        self.paths: set[str] = set()
        self.good_seen = 0
        """Entries read well, for the hint that ``--skip-bad`` would import them."""

    def bad(self, entry: BadEntry | FormatError) -> None:
        """Record a bad entry (``skip_bad``), count it (``count_bad``) or raise its error.

        A :class:`FormatError` is a reader that could not go on with its file.
        """
        error = entry if isinstance(entry, FormatError) else entry.error()
        if self.skip_bad:
            self.report.skipped.append(str(error))
            return
        if not self.count_bad:
            raise error
        self.seen += 1
        self.paths.add(error.path)
        if self.first is None:
            self.first = error

    def failure(self) -> FormatError | None:
        """The error that fails a run that counted bad entries (``count_bad``), if there were any.

        One bad entry keeps its own ``file:line: reason``; several are counted,
        the first one quoted. Either way the message says what ``--skip-bad``
        would import.
        """
        first = self.first
        if first is None:
            return None
        good = self.good_seen
        hint = f"; nothing imported; run again with --skip-bad to import the other {good}" if good else ""
        if self.seen == 1:
            return FormatError(first.path, first.line, first.reason + hint)
        if len(self.paths) == 1:
            return FormatError(first.path, 0, f"{self.seen} bad entries (first at {first}){hint}")
        where = f"{len(self.paths)} files"
        return FormatError(where, 0, f"{self.seen} bad entries (first at {first}){hint}")

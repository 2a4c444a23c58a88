"""BibTeX ``crossref``: a child entry takes the fields it lacks from the entry it names.

DBLP, JabRef and many hand-kept files put a conference's ``year``,
``booktitle``, ``editor`` and ``publisher`` on one ``@proceedings`` entry and
point each paper at it with ``crossref = {conf/x/2019}``; an ``@inbook`` may
even take its ``title`` from its ``@book``. BibTeX finds the parent wherever it
is in the file, so the reader cannot wait for the end of the file to know which
entries are parents without holding every entry in memory. Instead a cheap
first pass over the lines (:func:`targets`) collects the keys that some entry
names as its crossref; while reading, only those entries' fields are kept, and
a child whose parent has not come yet waits for it (:class:`Crossrefs`).

What a child inherits follows BibTeX (a field the child does not have), with
two exceptions that keep one paper from taking another's identity: the fields
that identify the work itself (DOI, URL, arXiv id, abstract, keywords) are not
inherited, and the date fields (``year``, ``month``, ``date``) come together or
not at all, so a child's own ``year`` is never paired with its parent's
``date``.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, Generic, TypeVar

# A ``crossref = {key}`` (or ``"key"``) field, as one line holds it.
_CROSSREF = re.compile(r"\bcrossref\s*=\s*[{\"]?\s*([^\s,{}\"]+)", re.IGNORECASE)
_CROSSREF_BYTES = re.compile(_CROSSREF.pattern.encode(), re.IGNORECASE)
_BLOCK = 1 << 20
_OVERLAP = 512
# Fields that say which work an entry is; a child keeps its own or goes without.
NOT_INHERITED = frozenset(
    {
        "abstract",
        "archiveprefix",
        "arxivid",
        "crossref",
        "doi",
        "eprint",
        "eprintclass",
        "eprinttype",
        "groups",
        "ids",
        "keyword",
        "keywords",
        "primaryclass",
        "url",
        "xref",
    }
)
DATE_FIELDS = ("year", "month", "date")
# A chain longer than this is a loop (``a`` crossrefs ``b`` crossrefs ``a``).
_MAX_DEPTH = 8

EntryT = TypeVar("EntryT")


def file_targets(path: Path) -> frozenset[str]:
    """The keys (lower case) that a ``crossref`` field in the file at ``path`` names.

    Read apart from the reader's own pass, as bytes: whatever the file's
    encoding, ``crossref`` and the keys are ASCII (only UTF-16, which its
    byte-order mark announces, needs decoding), and the reader's progress
    report is not disturbed. A file that cannot be read gives no keys; the
    reader itself then says why.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(2)
            handle.seek(0)
            if head in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
                with io.TextIOWrapper(handle, encoding="utf-16", errors="replace") as text:
                    return targets(text)
            return _byte_targets(handle)
    except OSError:
        return frozenset()


def _byte_targets(handle: BinaryIO) -> frozenset[str]:
    """:func:`targets` over a file's bytes, in blocks: far quicker than decoding every line."""
    found: set[str] = set()
    tail = b""
    while block := handle.read(_BLOCK):
        data = tail + block
        # The next block starts again this far back, so a field cut at the end is
        # found whole there (a cut-off key found here is an unused extra).
        tail = data[-_OVERLAP:]
        if b"rossref" in data or b"ROSSREF" in data:
            found.update(
                m.group(1).decode("utf-8", "replace").lower() for m in _CROSSREF_BYTES.finditer(data)
            )
    return frozenset(found)


def targets(lines: Iterable[str]) -> frozenset[str]:
    """The keys (lower case) that a ``crossref`` field in ``lines`` names."""
    found: set[str] = set()
    for line in lines:
        # The substring test first: almost no line holds a crossref.
        if "rossref" in line or "ROSSREF" in line:
            found.update(m.group(1).lower() for m in _CROSSREF.finditer(line))
    return frozenset(found)


def key_of(fields: dict[str, Any]) -> str:
    """The (lower case) key an entry's ``crossref`` names, or ``""``."""
    return str(fields.get("crossref") or "").strip().strip("{}").strip().lower()


def inherit(child: dict[str, Any], parent: dict[str, Any]) -> dict[str, Any]:
    """``child`` with the fields it lacks filled from ``parent`` (see the module's rules)."""
    merged = dict(child)
    has_date = any(_present(child.get(name)) for name in DATE_FIELDS)
    for name, value in parent.items():
        if name in NOT_INHERITED or (has_date and name in DATE_FIELDS):
            continue
        if not _present(merged.get(name)):
            merged[name] = value
    return merged


def _present(value: Any) -> bool:
    return value is not None and str(value).strip() not in ("", "{}")


class Crossrefs(Generic[EntryT]):
    """Parents seen so far and children waiting for theirs, across the chunks of one file."""

    def __init__(self, wanted: frozenset[str]) -> None:
        """Start with the keys some entry names as its crossref (from :func:`targets`)."""
        self._wanted = wanted
        self._parents: dict[str, dict[str, Any]] = {}
        self._waiting: dict[str, list[tuple[EntryT, dict[str, Any], int]]] = {}

    def add(
        self, entry: EntryT, key: str, fields: dict[str, Any], line: int
    ) -> Iterator[tuple[EntryT, dict[str, Any], int]]:
        """Take in one entry; yield the entries that are ready to read, with their fields.

        That is the entry itself unless it waits for a parent not seen yet, and
        then the children that were waiting for it.
        """
        if not self._wanted:
            # No crossref in the file: nothing to keep, nothing to wait for.
            yield entry, fields, line
            return
        key = key.strip().lower()
        if key in self._wanted or key in self._waiting:
            # The first entry with a key wins, as in BibTeX.
            self._parents.setdefault(key, fields)
        ready: list[tuple[EntryT, dict[str, Any], int]] = []
        missing = self._missing(fields)
        if missing:
            self._waiting.setdefault(missing, []).append((entry, fields, line))
        else:
            ready.append((entry, fields, line))
        for child in self._waiting.pop(key, []) if key else []:
            still = self._missing(child[1])
            if still:
                self._waiting.setdefault(still, []).append(child)
            else:
                ready.append(child)
        for item_entry, item_fields, item_line in ready:
            yield item_entry, self._resolve(item_fields), item_line

    def unresolved(self) -> Iterator[tuple[EntryT, dict[str, Any], int, str]]:
        """At the end of the file: the children whose parent never came, and their crossref, in file order."""
        left = [(child, parent) for parent, children in self._waiting.items() for child in children]
        self._waiting = {}
        for (entry, fields, line), _parent in sorted(left, key=lambda item: item[0][2]):
            # The key as the child wrote it, for messages.
            yield entry, self._resolve(fields), line, str(fields.get("crossref", "")).strip()

    def _missing(self, fields: dict[str, Any]) -> str:
        """The first parent in ``fields``' crossref chain not seen yet, or ``""``."""
        parent = key_of(fields)
        for _ in range(_MAX_DEPTH):
            if not parent:
                return ""
            if parent not in self._parents:
                return parent
            parent = key_of(self._parents[parent])
        return ""

    def _resolve(self, fields: dict[str, Any]) -> dict[str, Any]:
        merged = fields
        parent = key_of(fields)
        for _ in range(_MAX_DEPTH):
            if not parent or parent not in self._parents:
                break
            merged = inherit(merged, self._parents[parent])
            parent = key_of(self._parents[parent])
        return merged

"""BibTeX, as Zotero, JabRef and Google Scholar write it, through bibtexparser 2.

Reading resolves ``@string`` and month macros, turns LaTeX accents and braces
into Unicode and skips comments and preambles. ``keywords`` (``,`` or ``;``
separated) and JabRef's ``groups`` become tags. The file is parsed in chunks
of entries (split at lines that start with ``@``) so memory does not grow with
the file; ``@string`` definitions carry over from chunk to chunk. An entry
that does not parse is reported as a :class:`BadEntry` and reading goes on.
An entry with a ``crossref`` takes the fields it lacks from the entry it names,
before or after it in the file (see :mod:`~readinglist.core.formats.bibtex_crossref`).
Entries without a citation key (``@article{,`` and EndNote's ``@article{``
followed directly by fields) are read too.

Writing (entries, escaping, citation keys) is in
:mod:`~readinglist.core.formats.bibtex_write`; its public functions are
re-exported here, where callers have always found them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bibtexparser import middlewares
from bibtexparser.entrypoint import parse_string
from bibtexparser.library import Library as BibLibrary
from bibtexparser.model import Entry, ParsingFailedBlock, String

from readinglist.core import links
from readinglist.core.errors import FormatError
from readinglist.core.formats import (
    BadEntry,
    Format,
    Sharding,
    bibtex_crossref,
    bibtex_fast,
    bibtex_fields,
    bibtex_shards,
    register,
)
from readinglist.core.formats.bibtex_write import (
    cite_key,
    entry_for,
    entry_type,
    escape,
    generated_key,
    key_from,
    keyed,
    unique_key,
    url_field,
    write,
)
from readinglist.core.formats.textio import iter_lines
from readinglist.core.models import PaperDraft

__all__ = [
    "CHUNK_ENTRIES",
    "FORMAT",
    "cite_key",
    "entry_for",
    "entry_type",
    "escape",
    "generated_key",
    "key_from",
    "keyed",
    "read",
    "sniff",
    "unique_key",
    "url_field",
    "write",
]

# bibtexparser logs every failed block as a warning; we report them ourselves,
# one line each, so keep its logger from printing through the last-resort handler.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
logging.getLogger("bibtexparser").propagate = False

CHUNK_ENTRIES = 500
_ENTRY_START = bibtex_shards.ENTRY_START
# EndNote writes ``@article{`` and the first field on the next line, with no
# citation key; bibtexparser would take the field name for the key. A comma
# after the brace makes it an entry with an empty key, which bibtexparser reads.
# The line break is required: ``@misc{a=b,`` on one line has an odd key, not none.
_KEYLESS = re.compile(
    r"^(\s*@\s*(?!(?:string|comment|preamble)\b)[A-Za-z]+\s*[{(])(?=[ \t]*\r?\n\s*[A-Za-z][\w.:+-]*\s*=)",
    re.IGNORECASE | re.MULTILINE,
)
# How a line holding a keyless entry's brace ends (``[{(][ \t]*`` then the line break):
# a chunk without such a line is not searched (the search costs 8 ms a chunk).
_KEYLESS_LINE_ENDS = "{( \t"
_SKIP_TYPES = {"comment", "preamble", "string"}


def sniff(head: str, path: Path) -> bool:
    """Whether ``head`` holds a BibTeX entry (``@article{``, ``@misc(``…)."""
    return any(_ENTRY_START.match(line) for line in head.splitlines()[:200])


def read(path: Path) -> Iterator[PaperDraft | BadEntry]:
    """Yield a draft for every entry in ``path``, and a :class:`BadEntry` for each that fails.

    Raises:
        FormatError: if the file cannot be read at all, or holds no entry.
    """
    strings: list[String] = []
    found = 0
    crossrefs: bibtex_crossref.Crossrefs[Entry] = bibtex_crossref.Crossrefs(
        bibtex_crossref.file_targets(path)
    )
    for item in _read_lines(path, iter_lines(path), strings, crossrefs):
        found += 1
        yield item
    # Children whose parent never came: read with the fields they have.
    for entry, fields, at, parent in crossrefs.unresolved():
        found += 1
        yield _entry_draft(path, entry, fields, at, parent_missing=parent)
    if not found:
        raise FormatError(str(path), 1, "no BibTeX entries found")


def read_part(
    path: Path, lines: Iterator[tuple[int, str]], strings: list[String]
) -> Iterator[PaperDraft | BadEntry]:
    """Entries of one part of a file without crossrefs (see :data:`SHARDING`), ``strings`` carried over."""
    return _read_lines(path, lines, strings, bibtex_crossref.Crossrefs(frozenset()))


def _read_lines(
    path: Path,
    lines: Iterator[tuple[int, str]],
    strings: list[String],
    crossrefs: bibtex_crossref.Crossrefs[Entry],
) -> Iterator[PaperDraft | BadEntry]:
    """Entries of numbered lines, parsed a chunk of ``CHUNK_ENTRIES`` entries at a time."""
    chunk: list[str] = []
    first_line = 0
    entries = 0
    keyless = False  # whether a line of the chunk may end a keyless entry's head (see _KEYLESS)
    for number, line in lines:
        if not first_line:
            first_line = number
        if "@" in line and _ENTRY_START.match(line):
            entries += 1
            if entries > CHUNK_ENTRIES:
                yield from _parse_chunk(path, "\n".join(chunk), first_line, strings, crossrefs, keyless)
                chunk, first_line, entries, keyless = [], number, 1, False
        if line and line[-1] in _KEYLESS_LINE_ENDS:
            keyless = True
        chunk.append(line)
    yield from _parse_chunk(path, "\n".join(chunk), first_line or 1, strings, crossrefs, keyless)


def _skip_part(text: str, strings: list[String]) -> None:
    """Take in the ``@string`` macros of a part another process reads (see :data:`SHARDING`)."""
    for run in bibtex_shards.string_runs(text, CHUNK_ENTRIES):
        _parse_run(run, strings)


def _splittable(path: Path) -> bool:
    # A child may come before or after its parent: a file with crossrefs is read whole.
    return not bibtex_crossref.file_targets(path)


def _parse_chunk(
    path: Path,
    text: str,
    first_line: int,
    strings: list[String],
    crossrefs: bibtex_crossref.Crossrefs[Entry],
    keyless: bool = True,
) -> Iterator[PaperDraft | BadEntry]:
    if keyless:
        text = _KEYLESS.sub(r"\1,", text)
    blocks = bibtex_fast.blocks(text, _ENTRY_START, lambda run: _parse_run(run, strings), strings)
    if blocks is None:
        blocks = [(b.start_line or 0, b) for b in _parse_run(text, strings)]
    for start, block in blocks:
        line = first_line + start
        if isinstance(block, ParsingFailedBlock):
            inner = block.ignore_error_block
            if isinstance(inner, Entry):
                # A duplicate citation key (every keyless entry after the first
                # has one): still a good entry; dedup decides. bibtexparser
                # hands it over raw (braces, macros unresolved), so parse it alone.
                block = _reparse(inner, strings) or inner
            else:
                head = (block.raw or "").strip().splitlines()[0][:60] if block.raw else "?"
                yield BadEntry(str(path), line, f"cannot parse BibTeX entry {head!r} (unclosed brace?)")
                continue
        if type(block) is bibtex_fast.PlainEntry:
            fields = block.values  # names lower-cased, types never skipped, as below
        elif not isinstance(block, Entry) or block.entry_type.lower() in _SKIP_TYPES:
            continue
        else:
            fields = {k.lower(): v.value for k, v in block.fields_dict.items()}
        for entry, merged, at in crossrefs.add(block, block.key, fields, line):
            yield _entry_draft(path, entry, merged, at)


def _parse_run(text: str, strings: list[String]) -> list[Any]:
    """Entries and failed blocks of ``text`` by bibtexparser, in order; ``strings`` gains its macros."""
    lib = parse_string(text, append_middleware=_middlewares(), library=BibLibrary(blocks=list(strings)))
    strings[:] = list(lib.strings)
    return sorted([*lib.entries, *lib.failed_blocks], key=lambda b: b.start_line or 0)


def _entry_draft(
    path: Path, entry: Entry, fields: dict[str, Any], line: int, parent_missing: str = ""
) -> PaperDraft | BadEntry:
    try:
        draft = _draft(path, entry, fields, line)
    except (ValueError, TypeError, RecursionError) as exc:
        # A field the decoders choke on spoils this entry only.
        return BadEntry(str(path), line, f"cannot read {_name_of(entry, line)}: {type(exc).__name__}")
    if isinstance(draft, BadEntry) and parent_missing:
        # Say why the title it counted on did not come.
        return BadEntry(
            draft.path, draft.line, f"{draft.reason} (its crossref {parent_missing!r} is not in the file)"
        )
    return draft


def _name_of(entry: Entry, line: int) -> str:
    """How messages name an entry: by its key, or by where it starts when it has none."""
    return f"entry {entry.key!r}" if entry.key.strip() else f"the entry without a key at line {line}"


def _reparse(entry: Entry, strings: list[String]) -> Entry | None:
    """``entry`` parsed on its own, with the file's ``@string`` macros and our middlewares."""
    lib = parse_string(
        entry.raw or "", append_middleware=_middlewares(), library=BibLibrary(blocks=list(strings))
    )
    return lib.entries[0] if len(lib.entries) == 1 else None


def _middlewares() -> list[middlewares.BlockMiddleware]:
    return [middlewares.NormalizeFieldKeys(), bibtex_fast.MonthInt()]


def _draft(path: Path, entry: Entry, fields: dict[str, Any], line: int) -> PaperDraft | BadEntry:
    title = bibtex_fields.text(fields.get("title"))
    if not title:
        return BadEntry(str(path), line, f"{_name_of(entry, line)} has no title")
    year, date = bibtex_fields.year_and_date(fields)
    doi_text = bibtex_fields.verbatim(fields.get("doi"))
    # White space kept: it may separate several URLs (the importer splits them).
    url = bibtex_fields.url_list(fields.get("url")) or None
    return PaperDraft(
        title=title,
        abstract=bibtex_fields.text(fields.get("abstract")),
        authors=bibtex_fields.authors(fields.get("author")),
        year=year,
        date=date,
        arxiv_id=bibtex_fields.arxiv_id(fields, doi_text, url.split()[0] if url else None),
        doi=links.normalize_doi(doi_text),
        url=url,
        tags=bibtex_fields.tags(fields),
        line=line,
        venue=bibtex_fields.venue(fields),
        key=entry.key.strip(),
    )


SHARDING = Sharding(
    read=read_part,
    cut=lambda text, before: bibtex_shards.cut(text, before, CHUNK_ENTRIES),
    state=list,
    skip=_skip_part,
    splittable=_splittable,
    empty="no BibTeX entries found",
)
"""Parts cut where the reader starts a chunk read as the whole file does (:mod:`.bibtex_shards`)."""

FORMAT = register(
    Format(
        name="bibtex",
        description="BibTeX (.bib) from Zotero, JabRef, Google Scholar or arXiv",
        sniff=sniff,
        read=read,
        write=write,
        extensions=(".bib", ".bibtex"),
        sharding=SHARDING,
    )
)

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

Writing gives ``@inproceedings`` (with ``booktitle``), ``@article`` (with
``journal``) or, for a paper without a venue, ``@misc`` entries under the
paper's stored citation key (the file's key, or one generated once from the
first author's last name, year and first significant title word), LaTeX special characters escaped,
Unicode kept as it is (biber and modern BibTeX read UTF-8), the full date as
biblatex's ``date`` next to ``year`` and ``month``, and the tags as
``keywords``. A name that is not a plain ``First Last`` person (a corporate
author) is written in braces, and a ``url`` only when the paper has one.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from bibtexparser import middlewares
from bibtexparser.entrypoint import parse_string
from bibtexparser.library import Library as BibLibrary
from bibtexparser.model import Entry, ParsingFailedBlock, String

from readinglist.core import links, venues
from readinglist.core.errors import FormatError
from readinglist.core.formats import BadEntry, Format, bibtex_crossref, bibtex_fast, bibtex_fields, register
from readinglist.core.formats.textio import iter_lines
from readinglist.core.models import Paper, PaperDraft

# bibtexparser logs every failed block as a warning; we report them ourselves,
# one line each, so keep its logger from printing through the last-resort handler.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
logging.getLogger("bibtexparser").propagate = False

CHUNK_ENTRIES = 500
_ENTRY_START = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]")
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
_STOPWORDS = {"a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "is", "are", "do", "does"}
# Characters with a meaning in (La)TeX, and what stands for them literally.
_TEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    # Not \{ and \}: BibTeX counts braces whether or not a backslash precedes
    # them, so one lone brace would leave the entry unbalanced for it.
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_TEX_SPECIAL_RE = re.compile("|".join(re.escape(c) for c in _TEX_SPECIALS))
# Where TeX would join two characters into one (``--`` an en dash, ``''`` a
# closing quote, ``?``` an inverted ?): an empty group between them keeps both.
_LIGATURE_GAP = re.compile(r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')|(?<=[?!])(?=`)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# A name that the ``and`` or ``,`` of an author list would split (``{Doe, John}``).
# An ``and`` at either end would join the separator next to it (``Smith and and Roe``).
_NAME_SPLITS = re.compile(r",|\s+and\s+|^and\s|\sand$", re.IGNORECASE)
# Words that make a name an organisation's rather than a person's.
_CORPORATE = re.compile(
    r"\b(?:administration|agency|association|authority|collaboration|commission|committee"
    r"|consortium|corporation|council|department|foundation|government|group|inc|institute"
    r"|institut|ltd|ministry|ministeriet|organi[sz]ation|society|team|university)\b",
    re.IGNORECASE,
)
# Names of letters, initials' dots and single spaces (``J. R. R. Tolkien``):
# BibTeX reads them back as written unless a word makes them a list or an organisation.
_PLAIN_PERSON = re.compile(r"(?:[^\W\d_]++\.?+ )*+[^\W\d_]++\.?+")
_LIST_WORD = re.compile(r"\b(?:and|others)\b", re.IGNORECASE)
_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]+")
_TITLE_WORDS = re.compile(r"[\s\-:/]+")
# A stored date that biblatex's ``date`` field can hold as it is.
_ISO_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def sniff(head: str, path: Path) -> bool:
    """Whether ``head`` holds a BibTeX entry (``@article{``, ``@misc(``…)."""
    return any(_ENTRY_START.match(line) for line in head.splitlines()[:200])


def read(path: Path) -> Iterator[PaperDraft | BadEntry]:
    """Yield a draft for every entry in ``path``, and a :class:`BadEntry` for each that fails.

    Raises:
        FormatError: if the file cannot be read at all, or holds no entry.
    """
    strings: list[String] = []
    chunk: list[str] = []
    first_line = 1
    entries = 0
    found = 0
    crossrefs: bibtex_crossref.Crossrefs[Entry] = bibtex_crossref.Crossrefs(
        bibtex_crossref.file_targets(path)
    )
    keyless = False  # whether a line of the chunk may end a keyless entry's head (see _KEYLESS)
    for number, line in iter_lines(path):
        if "@" in line and _ENTRY_START.match(line):
            entries += 1
            if entries > CHUNK_ENTRIES:
                for item in _parse_chunk(path, "\n".join(chunk), first_line, strings, crossrefs, keyless):
                    found += 1
                    yield item
                chunk, first_line, entries, keyless = [], number, 1, False
        if line and line[-1] in _KEYLESS_LINE_ENDS:
            keyless = True
        chunk.append(line)
    for item in _parse_chunk(path, "\n".join(chunk), first_line, strings, crossrefs, keyless):
        found += 1
        yield item
    # Children whose parent never came: read with the fields they have.
    for entry, fields, at, parent in crossrefs.unresolved():
        found += 1
        yield _entry_draft(path, entry, fields, at, parent_missing=parent)
    if not found:
        raise FormatError(str(path), 1, "no BibTeX entries found")


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
        if not isinstance(block, Entry) or block.entry_type.lower() in _SKIP_TYPES:
            continue
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


# -- writing -------------------------------------------------------------------


def escape(text: str) -> str:
    """Escape LaTeX special characters and ligatures so BibTeX shows ``text`` literally.

    The text comes out on one line (line breaks would let a value start a new
    entry) and without control characters (a NUL would make the file binary).
    """
    text = _CONTROL.sub(" ", text)
    escaped = _TEX_SPECIAL_RE.sub(lambda m: _TEX_SPECIALS[m.group(0)], " ".join(text.split()))
    return _LIGATURE_GAP.sub("{}", escaped)


def _ascii_word(text: str) -> str:
    if text.isascii():  # nearly every word: no folding needed
        return _NOT_ALNUM.sub("", text).lower()
    folded = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in folded if ch.isascii() and ch.isalnum()).lower()


def cite_key(paper: Paper) -> str:
    """The paper's citation key: the stored one, or :func:`generated_key` for a paper without one."""
    return paper.key or generated_key(paper)


def generated_key(paper: Paper) -> str:
    """A stable citation key made from the paper: see :func:`key_from`."""
    return key_from(paper.title, paper.authors, paper.year, paper.id)


def key_from(title: str, authors: Sequence[str], year: int | None, paper_id: int) -> str:
    """A stable citation key: first author's last name, year, first significant title word.

    An organisation as first author gives the first word of its name instead.

    For example ``vaswani2017attention``. Missing parts are left out; a paper
    with none of them gets ``paper<id>``. The library stores this key once for
    every paper that came without one (see :func:`unique_key`).
    """
    last = ""
    if authors:
        words = authors[0].split()
        # An organisation goes by its first word (``{World Health Organization}``
        # gives ``world``), a person by the last.
        corporate = _braced(authors[0])
        last = _ascii_word(words[0] if corporate else words[-1]) if words else ""
    folded = (_ascii_word(w) for w in _TITLE_WORDS.split(title))
    first = next((w for w in folded if w and w not in _STOPWORDS), "")
    key = f"{last}{year or ''}{first}"
    return key or f"paper{paper_id}"


def unique_key(base: str, taken: Callable[[str], bool], start: int = 0) -> str:
    """``base``, or ``base`` with the first suffix (``a``, ``b``… ``aa``) that ``taken`` says is free.

    ``start`` skips the suffixes before it (1 is ``a``): a caller giving many
    papers the same base keeps its place instead of trying every taken one again.
    """
    suffix = start
    key = base + _suffix(suffix) if suffix else base
    while taken(key):
        suffix += 1
        key = base + _suffix(suffix)
    return key


def entry_for(paper: Paper, key: str | None = None) -> str:
    """One paper as a BibTeX entry, ready to paste into a ``.bib`` file.

    Args:
        paper: The paper.
        key: The citation key to use (default: :func:`cite_key`).

    Returns:
        The entry text, ending with a newline.
    """
    kind, venue_field = entry_type(paper)
    fields: list[tuple[str, str]] = [("title", "{" + escape(paper.title) + "}")]
    if paper.authors:
        fields.append(("author", " and ".join(_name(a) for a in paper.authors)))
    if paper.venue and venue_field:
        fields.append((venue_field, escape(paper.venue)))
    if paper.year:
        fields.append(("year", str(paper.year)))
    month = int(paper.date[5:7]) if paper.date and paper.date[5:7].isdigit() else 0
    if 1 <= month <= 12:
        # The standard macro (jan … dec), written bare: styles print it as the
        # month's name, while a number in braces would come out as "1".
        fields.append(("month", _MONTHS[month - 1]))
    if paper.date and _ISO_DATE.fullmatch(paper.date):
        # biblatex's date keeps the day, which year and month cannot hold.
        fields.append(("date", paper.date))
    if paper.arxiv_id:
        fields += [("eprint", escape(paper.arxiv_id)), ("archiveprefix", "arXiv")]
    if paper.doi:
        # Escaped, not verbatim: classic styles (plainnat) print the DOI as text,
        # where a bare _ breaks the LaTeX run; our reader undoes these escapes.
        fields.append(("doi", escape(paper.doi)))
    if paper.url:
        # Only the paper's own URL: its arXiv id is in eprint already, and a
        # made-up abs URL would come back as a url the paper never had.
        fields.append(("url", url_field(paper.url)))
    if paper.abstract:
        fields.append(("abstract", escape(paper.abstract)))
    if paper.tags:
        fields.append(("keywords", ", ".join(_keyword(t) for t in paper.tags)))
    body = ",\n".join(
        f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}" for name, value in fields
    )
    return f"@{kind}{{{key or cite_key(paper)},\n{body}\n}}\n"


def entry_type(paper: Paper) -> tuple[str, str]:
    """The BibTeX entry type for a paper and the field its venue goes in.

    A conference's venue (proceedings, workshop, a known conference's name)
    makes ``@inproceedings`` with ``booktitle``; any other venue ``@article``
    with ``journal``; no venue ``@misc``, which has no venue field.
    """
    if not paper.venue:
        return "misc", ""
    if venues.is_proceedings(paper.venue):
        return "inproceedings", "booktitle"
    return "article", "journal"


def _braced(author: str) -> bool:
    """Whether :func:`_name` braces ``author``; a plain person's name is told at once, without parsing it."""
    if _PLAIN_PERSON.fullmatch(author) and not _CORPORATE.search(author) and not _LIST_WORD.search(author):
        return False
    return _name(author).startswith("{")


def _name(author: str) -> str:
    """One name for an ``author`` list, braced unless it is a plain ``First Last`` person.

    Braced are names that the ``and`` or ``,`` of the list would split, names
    our reader would not give back as written (``others``, ``Smith and``) and
    names of organisations (``{World Health Organization}``), which BibTeX
    would otherwise cite as ``Organization, W. H.``.
    """
    text = escape(author)
    plain = (
        not _NAME_SPLITS.search(text)
        and not _CORPORATE.search(author)
        and bibtex_fields.authors(text) == (author,)
    )
    return text if plain else "{" + text + "}"


def url_field(url: str) -> str:
    r"""A URL for a ``url`` field: characters that could end the field or the entry percent-encoded.

    URLs keep their characters otherwise: ``\url``-style fields are read
    verbatim by biber, and bibtexparser hands them back untouched only when we
    do not escape. Braces, backslashes (``\}`` would not close the field for
    bibtexparser, and a trailing ``\`` swallowed the closing brace), white
    space and control characters (a line break followed by ``@`` would start
    a new entry) are not valid in a URL anyway, so encoding them is what a
    browser would do.
    """
    return "".join(_percent(ch) if _unsafe_in_url(ch) else ch for ch in url)


def _unsafe_in_url(ch: str) -> bool:
    return ch in "{}\\" or ch.isspace() or unicodedata.category(ch)[0] == "C"


def _percent(ch: str) -> str:
    return "".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass"))


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _keyword(tag: str) -> str:
    """One tag for a ``keywords`` list: escaped, and braced if it holds a separator."""
    text = escape(tag)
    return "{" + text + "}" if "," in text or ";" in text else text


def keyed(papers: Iterable[Paper]) -> Iterator[tuple[Paper, str]]:
    """Each paper with its citation key, repeated keys made unique (``a``, ``b``…), as a file needs them."""
    used: set[str] = set()
    for paper in papers:
        key = unique_key(cite_key(paper), used.__contains__)
        used.add(key)
        yield paper, key


def write(papers: Iterable[Paper], stream: TextIO) -> None:
    """Write ``papers`` as BibTeX entries, making repeated citation keys unique (``a``, ``b``…)."""
    for n, (paper, key) in enumerate(keyed(papers)):
        if n:
            stream.write("\n")
        stream.write(entry_for(paper, key))


def _suffix(n: int) -> str:
    """1 → ``a``, 26 → ``z``, 27 → ``aa``: the suffixes of repeated citation keys."""
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("a") + rem) + letters
    return letters


FORMAT = register(
    Format(
        name="bibtex",
        description="BibTeX (.bib) from Zotero, JabRef, Google Scholar or arXiv",
        sniff=sniff,
        read=read,
        write=write,
        extensions=(".bib", ".bibtex"),
    )
)

"""Writing BibTeX: entries, escaping and citation keys (reading: :mod:`~readinglist.core.formats.bibtex`).

Entries are ``@inproceedings`` (with ``booktitle``), ``@article`` (with
``journal``) or, for a paper without a venue, ``@misc``, under the paper's
stored citation key (the file's key, or one generated once from the first
author's last name, year and first significant title word), LaTeX special
characters escaped, Unicode kept as it is (biber and modern BibTeX read
UTF-8), the full date as biblatex's ``date`` next to ``year`` and ``month``,
and the tags as ``keywords``. A name that is not a plain ``First Last``
person (a corporate author) is written in braces, and a ``url`` only when
the paper has one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TextIO

from readinglist.core import venues
from readinglist.core.formats import bibtex_fields
from readinglist.core.models import Paper

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
_TITLE_WORD = re.compile(r"[^\s\-:/]+")
# A stored date that biblatex's ``date`` field can hold as it is.
_ISO_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


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
    return key_or_id(key_stem(title, authors, year), paper_id)


def key_or_id(stem: str, paper_id: int) -> str:
    """A key made of ``stem`` (:func:`key_stem`), or ``paper<id>`` for a paper with none of its parts."""
    return stem or f"paper{paper_id}"


def key_stem(title: str, authors: Sequence[str], year: int | None) -> str:
    """:func:`key_from` without the id: empty for a paper with none of the parts.

    An import makes it where the file is read, before the paper has an id.
    """
    last = ""
    if authors:
        words = authors[0].split()
        # An organisation goes by its first word (``{World Health Organization}``
        # gives ``world``), a person by the last.
        corporate = _braced(authors[0])
        last = _ascii_word(words[0] if corporate else words[-1]) if words else ""
    first = ""
    for match in _TITLE_WORD.finditer(title):  # lazily: the first significant word is near the start
        word = _ascii_word(match.group())
        if word and word not in _STOPWORDS:
            first = word
            break
    return f"{last}{year or ''}{first}"


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

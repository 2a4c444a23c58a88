"""Ways to cite one paper: the texts the TUI's copy menu offers."""

from __future__ import annotations

import io
import re
import unicodedata

from readinglist.core import links
from readinglist.core.errors import FormatError
from readinglist.core.formats import get_format
from readinglist.core.models import Paper

_BIB_SPECIAL = re.compile(r"([&%$#_{}])")


def markdown_link(paper: Paper) -> str:
    """``[title](primary link)``, with the brackets in the title escaped."""
    title = paper.title.replace("[", r"\[").replace("]", r"\]")
    return f"[{title}]({paper.primary_link})"


def code_link(paper: Paper) -> str | None:
    """The first code or model link found in the abstract, if any."""
    return next((url for url in paper.links if links.is_code_link(url)), None)


def citation_key(paper: Paper) -> str:
    """A BibTeX key such as ``vaswani2017attention`` (author, year, first title word)."""
    author = paper.authors[0].split()[-1] if paper.authors else "anon"
    word = next((w for w in re.findall(r"[A-Za-z]+", _ascii(paper.title)) if len(w) > 3), "paper")
    year = str(paper.year) if paper.year else ""
    return re.sub(r"[^a-z0-9]", "", _ascii(author).lower()) + year + word.lower()


def bibtex_entry(paper: Paper) -> str:
    """One BibTeX entry for the paper.

    Uses the library's ``bibtex`` export format when one is registered, so the
    copy menu and exports agree; otherwise a small built-in writer.
    """
    try:
        fmt = get_format("bibtex")
    except FormatError:
        fmt = None
    if fmt is not None and fmt.write is not None:
        out = io.StringIO()
        fmt.write([paper], out)
        return out.getvalue().strip() + "\n"
    return _local_bibtex(paper)


def _local_bibtex(paper: Paper) -> str:
    fields: list[tuple[str, str]] = [("title", "{" + _bib_escape(paper.title) + "}")]
    if paper.authors:
        fields.append(("author", _bib_escape(" and ".join(paper.authors))))
    if paper.year:
        fields.append(("year", str(paper.year)))
    if paper.arxiv_id:
        fields += [("eprint", paper.arxiv_id), ("archiveprefix", "arXiv")]
    if paper.doi:
        fields.append(("doi", paper.doi))
    fields.append(("url", paper.primary_link))
    kind = "article" if paper.doi else "misc"
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{citation_key(paper)},\n{body}\n}}\n"


def _bib_escape(text: str) -> str:
    return _BIB_SPECIAL.sub(r"\\\1", text)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")

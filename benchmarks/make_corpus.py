#!/usr/bin/env python3
"""Generate a large corpus of made-up papers, the input of the benchmarks.

The words come from the sample library the package ships
(``readinglist/data/hf-papers-seed.txt``, 220 real titles and abstracts): a
word-pair (bigram) model learnt from its titles makes titles, one learnt from
its abstracts, sentence by sentence, makes abstracts. So word frequencies,
typos, acronyms, hyphenated terms and lengths behave like real ones, and the
benchmarks' queries ("retrieval augmented", "chinchilla", ...) find papers.
Everything else (authors, dates, arXiv ids, DOIs, categories) is drawn from
fixed lists with skewed weights, as in real metadata. The output is the same
for the same ``--seed``, and the generator streams: a million papers need no
more memory than ten.

Formats (``-f``):

``arxiv-jsonl``
    One JSON object a line, the schema of the public arXiv metadata snapshot
    (``id``, ``submitter``, ``authors``, ``title``, ``comments``,
    ``journal-ref``, ``doi``, ``report-no``, ``categories``, ``license``,
    ``abstract``, ``versions``, ``update_date``, ``authors_parsed``).
``bibtex``
    What reference managers export: ``@misc`` (arXiv's own export),
    ``@article`` and ``@inproceedings`` entries with ``eprint``, ``url``,
    ``abstract`` and sometimes ``doi``/``keywords``. Titles come in the three
    spellings found in the wild (plain, every title double-braced, capitalised
    words braced), special characters are escaped (``\\%``, ``\\&``, braces),
    and some entries spell accented names in LaTeX (``M{\\"u}ller``).
``hf-text``
    The sample's own layout: two header lines, then a title line and an
    abstract line per paper, the first title glued to ``Subscribe``.

``--dup-rate R`` makes a share R of the papers near duplicates of a recent one
(the same abstract, the title re-cased or re-punctuated, a new id), which the
importer reports as possible duplicates.

Examples::

    python benchmarks/make_corpus.py -n 100000 -f arxiv-jsonl -o bench-data/arxiv-100k.jsonl
    python benchmarks/make_corpus.py -n 5000 -f bibtex -o 5k.bib --dup-rate 0.02
    python benchmarks/make_corpus.py -n 20 -f hf-text            # to stdout
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sys
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "readinglist" / "data" / "hf-papers-seed.txt"
FORMATS = ("arxiv-jsonl", "bibtex", "hf-text")
EXTENSIONS = {"arxiv-jsonl": "jsonl", "bibtex": "bib", "hf-text": "txt"}

# Names of many origins, some with accents. The first entries are drawn most
# often (weights fall off as 1/sqrt(rank)), as family names are on real author lists.
FAMILY = (
    "Wang Zhang Li Liu Chen Yang Kim Smith Kumar Singh Nguyen Müller Park Huang Zhao Wu Lee Johnson "
    "García Sato Tanaka Rossi Schmidt Petrov Ivanova Silva Costa Fernández Dubois Martin Novák "
    "Kowalski Jensen Hansen Larsen Eriksson Virtanen Öztürk Y\u0131lmaz Okafor Mensah Abebe Haddad "
    "Cohen Levi Gupta Sharma Iyer Nakamura Suzuki Takahashi Hoffmann Becker Schäfer Lefèvre "
    "Moreau Ricci Bianchi Romano Ferreira Santos Quispe Mamani Hernández López Pérez Gómez "
    "Díaz Zhou Xu Sun Ma Zhu Hu Guo He Lin Luo Gao Tran Pham Ahmed Hassan Ali Khan Rahman "
    "Søndergaard Þórsson Đorđević Erdős Łukasiewicz Brontë"
).split()
GIVEN = (
    "Wei Jing Hao Yu Min Jun Anna Maria David Michael Sarah James Priya Arjun Rahul Aisha Fatima "
    "Omar Yusuf Kwame Ama Chidi Ngozi Hiroshi Yuki Sakura Kenji Seo-yeon Ji-ho Lukas Jonas Lena "
    "Sofia Mateo Lucía José Andrés Camila Élodie François Chloé Zoë Søren Åsa Björn Ingrid Mikko "
    "Aino Dmitri Olga Ivan Katarzyna Piotr Tomáš Eva Giulia Marco Luca Ana João Thiago Mehmet Elif "
    "Ayşe Noor Leila Amir Tariq Sana Nadia Quentin Oskar Viktor Wen Xiao Zhen Bo"
).split()
INITIAL_ONLY = 0.12  # "J. Smith", as some exports write given names
CATEGORIES = ("cs.CL", "cs.LG", "cs.AI", "cs.CV", "cs.IR", "stat.ML", "cs.NE", "cs.RO", "cs.SE", "q-bio.NC")
VENUES = ("ACL", "EMNLP", "NAACL", "NeurIPS", "ICML", "ICLR", "CVPR", "SIGIR", "AAAI", "COLING")
JOURNALS = ("Transactions of the ACL", "Journal of Machine Learning Research", "Nature Machine Intelligence")
LICENSES = (
    "http://arxiv.org/licenses/nonexclusive-distrib/1.0/",
    "http://creativecommons.org/licenses/by/4.0/",
    "http://creativecommons.org/licenses/by-sa/4.0/",
    None,
)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
FIRST_YEAR, LAST_YEAR = 2015, 2025
# LaTeX spellings of the accented letters in the name lists, as BibTeX exports write them.
LATEX_ACCENTS = {
    "ä": '{\\"a}', "ö": '{\\"o}', "ü": '{\\"u}', "ë": '{\\"e}', "é": "{\\'e}", "á": "{\\'a}",
    "í": "{\\'i}", "ó": "{\\'o}", "è": "{\\`e}", "ç": "{\\c c}", "ş": "{\\c s}", "š": "{\\v s}",
    "ř": "{\\v r}", "ő": "{\\H o}", "ã": "{\\~a}", "å": "{\\aa}", "ø": "{\\o}", "Ø": "{\\O}",
    "Å": "{\\AA}", "Ö": '{\\"O}', "Ł": "{\\L}", "ł": "{\\l}", "\u0131": "{\\i}", "É": "{\\'E}",
}  # fmt: skip
LATEX_NAMES = 0.15  # share of BibTeX entries whose names use the spellings above
# Characters BibTeX exports escape. The sample's abstracts hold some LaTeX of
# their own ("5\\%", "{\\it ...}"): an escape already there is left as it is.
_BIBTEX_SPECIAL = re.compile(r"(?<!\\)([{}%&#])")


@dataclass(frozen=True)
class Paper:
    """One made-up paper, before it is written in a format."""

    number: int
    arxiv_id: str
    title: str
    abstract: str
    authors: tuple[tuple[str, str], ...]  # (given, family)
    categories: tuple[str, ...]
    submitted: tuple[int, int, int]  # year, month, day
    updated: tuple[int, int, int] | None  # a second version's date
    doi: str | None
    venue: str | None  # a conference or journal for the published ones
    comments: str | None


class Babbler:
    """A word-pair model: each word is followed by a word that followed it in the sample."""

    START, END = "\x02", "\x03"

    def __init__(self, texts: Iterable[str]) -> None:
        self.follow: dict[str, list[str]] = defaultdict(list)
        for text in texts:
            words = [self.START, *text.split(), self.END]
            for before, after in itertools.pairwise(words):
                self.follow[before].append(after)

    def run(self, rng: random.Random, lo: int, hi: int) -> str:
        """Between ``lo`` and ``hi`` words, ending where a sample text ended when it can.

        A run that reaches a text's end well short of its drawn length goes on
        from a new start: stopping there would copy short sample titles whole.
        """
        target = rng.randint(lo, hi)
        words: list[str] = []
        word = self.START
        while True:
            word = rng.choice(self.follow[word])
            if word == self.END:
                if len(words) >= max(lo, target - 2):
                    break
                word = self.START
                continue
            words.append(word)
            if len(words) >= target:
                break
        return " ".join(words)


def sample_texts(path: Path = SAMPLE) -> tuple[list[str], list[str]]:
    """The titles and abstracts of the sample library, read with the package's own reader."""
    if str(ROOT) not in sys.path:  # run from a clone without the package installed
        sys.path.insert(0, str(ROOT))
    from readinglist.core.formats.hftext import read

    titles: list[str] = []
    abstracts: list[str] = []
    for draft in read(path):
        titles.append(draft.title)
        abstracts.append(draft.abstract)
    return titles, abstracts


def sentences(abstracts: Iterable[str]) -> Iterator[str]:
    """The abstracts cut into sentences, so the model learns where sentences end."""
    for abstract in abstracts:
        yield from (s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", abstract) if s)


def _ranked(rng: random.Random, names: Sequence[str]) -> str:
    # 1/sqrt(rank) weights: a few common names (the first about 6%) and a long tail.
    return rng.choices(names, cum_weights=_cum_weights(len(names)))[0]


_CUM: dict[int, list[float]] = {}


def _cum_weights(n: int) -> list[float]:
    if n not in _CUM:
        _CUM[n] = list(itertools.accumulate((rank + 1) ** -0.5 for rank in range(n)))
    return _CUM[n]


def _sentence(words: str) -> str:
    # A run cut short at its length limit still ends as a sentence does.
    return words if words[-1] in ".!?" else words.rstrip(",;:") + "."


def _near_copy(rng: random.Random, title: str) -> str:
    """The same title as another export or a careless user would spell it."""
    choice = rng.randrange(4)
    if choice == 0:
        return title.lower()
    if choice == 1:
        return title.replace(": ", " - ", 1) if ": " in title else title + "."
    if choice == 2:
        return title.upper()
    return "  " + title.replace(" ", "  ", 1) + " "


def papers(n: int, *, seed: int = 1, dup_rate: float = 0.0, sample: Path = SAMPLE) -> Iterator[Paper]:
    """Stream ``n`` made-up papers, the same ones for the same arguments."""
    titles, abstracts = sample_texts(sample)
    title_model = Babbler(titles)
    sentence_model = Babbler(sentences(abstracts))
    rng = random.Random(seed)
    recent: deque[Paper] = deque(maxlen=500)  # near duplicates copy one of these
    per_month: dict[tuple[int, int], int] = defaultdict(int)
    months = (LAST_YEAR - FIRST_YEAR + 1) * 12
    for number in range(n):
        # Submission dates rise through the corpus, as a snapshot's do; ids count up within a month.
        month_index = number * months // max(n, 1)
        year, month = FIRST_YEAR + month_index // 12, month_index % 12 + 1
        per_month[year, month] += 1
        arxiv_id = f"{year % 100:02d}{month:02d}.{per_month[year, month]:05d}"
        if recent and rng.random() < dup_rate:
            source = rng.choice(recent)
            title, abstract = _near_copy(rng, source.title), source.abstract
        else:
            title = title_model.run(rng, 5, 16).rstrip(" .")
            title = title[:1].upper() + title[1:]
            count = rng.choices((4, 5, 6, 7, 8, 9), (1, 2, 3, 3, 2, 1))[0]
            abstract = " ".join(_sentence(sentence_model.run(rng, 8, 40)) for _ in range(count))
        authors = tuple(
            (_ranked(rng, GIVEN), _ranked(rng, FAMILY))
            for _ in range(rng.choices(range(1, 13), (8, 12, 14, 14, 12, 10, 8, 6, 5, 4, 3, 4))[0])
        )
        published = rng.random() < 0.35
        venue = (rng.choice(VENUES) if rng.random() < 0.8 else rng.choice(JOURNALS)) if published else None
        day = rng.randint(1, 28)
        updated = None
        if rng.random() < 0.4:
            later = min(month_index + rng.randint(0, 8), months - 1)
            updated = (FIRST_YEAR + later // 12, later % 12 + 1, rng.randint(1, 28))
        comments = rng.choice(
            (None, f"{rng.randint(4, 40)} pages, {rng.randint(1, 12)} figures", f"Accepted at {venue} {year}")
            if venue
            else (None, f"{rng.randint(4, 40)} pages, {rng.randint(1, 12)} figures", "Work in progress")
        )
        paper = Paper(
            number=number,
            arxiv_id=arxiv_id,
            title=title,
            abstract=abstract,
            authors=authors,
            categories=tuple(rng.sample(CATEGORIES, rng.choices((1, 2, 3, 4), (4, 4, 2, 1))[0])),
            submitted=(year, month, day),
            updated=updated,
            doi=f"10.{rng.randint(1000, 9999)}/{arxiv_id.replace('.', '-')}"
            if published and rng.random() < 0.7
            else None,
            venue=venue,
            comments=comments,
        )
        recent.append(paper)
        yield paper


def _rfc_date(date: tuple[int, int, int]) -> str:
    year, month, day = date
    # Any weekday will do for the importer; a fixed rule keeps the output stable.
    weekday = WEEKDAYS[(year + month + day) % 7]
    return f"{weekday}, {day} {MONTHS[month - 1]} {year} {day % 24:02d}:{month * 4:02d}:07 GMT"


def arxiv_jsonl(paper: Paper) -> str:
    """One line of the arXiv metadata snapshot for ``paper``."""
    names = [f"{given} {family}" for given, family in paper.authors]
    versions = [{"version": "v1", "created": _rfc_date(paper.submitted)}]
    if paper.updated:
        versions.append({"version": "v2", "created": _rfc_date(paper.updated)})
    last = paper.updated or paper.submitted
    record = {
        "id": paper.arxiv_id,
        "submitter": names[0],
        # The snapshot separates authors with commas and a final "and".
        "authors": ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0],
        # The snapshot wraps long titles and abstracts and indents the abstract.
        "title": _wrap(paper.title, 70, ""),
        "comments": paper.comments,
        "journal-ref": f"{paper.venue} {paper.submitted[0]}" if paper.venue and paper.doi else None,
        "doi": paper.doi,
        "report-no": None,
        "categories": " ".join(paper.categories),
        "license": LICENSES[paper.number % len(LICENSES)],
        "abstract": "  " + _wrap(paper.abstract, 76, "") + "\n",
        "versions": versions,
        "update_date": f"{last[0]}-{last[1]:02d}-{last[2]:02d}",
        "authors_parsed": [[family, given, ""] for given, family in paper.authors],
    }
    return json.dumps(record, ensure_ascii=False)


def _wrap(text: str, width: int, indent: str) -> str:
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = indent + word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


def _bibtex_escape(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(r"\\\1", text)


def _latex_name(name: str) -> str:
    return "".join(LATEX_ACCENTS.get(ch, ch) for ch in name)


def bibtex(paper: Paper, rng: random.Random) -> str:
    """One BibTeX entry for ``paper``, in one of the styles reference managers write."""
    latex = rng.random() < LATEX_NAMES
    authors = " and ".join(
        f"{_latex_name(family) if latex else family}, "
        f"{given[0] + '.' if rng.random() < INITIAL_ONLY else (_latex_name(given) if latex else given)}"
        for given, family in paper.authors
    )
    title = _bibtex_escape(paper.title.strip())
    style = rng.randrange(3)
    if style == 1:  # JabRef, Mendeley: the whole title protected
        title = "{" + title + "}"
    elif style == 2:  # Zotero: capitalised words and acronyms protected
        title = re.sub(r"\b([A-Z][\w-]*[A-Z][\w-]*|[A-Z][a-z]+)\b", r"{\1}", title)
    first_family = re.sub(r"[^a-z]", "", paper.authors[0][1].lower()) or "anon"
    key = f"{first_family}{paper.submitted[0]}{paper.title.split()[0].lower().strip(':,')}{paper.number}"
    key = re.sub(r"[^\w-]", "", key)
    fields: list[tuple[str, str]] = [("title", title), ("author", authors)]
    if paper.venue in VENUES:
        kind = "inproceedings"
        fields.append(("booktitle", f"Proceedings of {paper.venue} {paper.submitted[0]}"))
    elif paper.venue:
        kind = "article"
        fields.append(("journal", paper.venue))
    else:
        kind = "misc"
    fields += [
        ("year", str(paper.submitted[0])),
        ("eprint", paper.arxiv_id),
        ("archivePrefix", "arXiv"),
        ("primaryClass", paper.categories[0]),
        ("url", f"https://arxiv.org/abs/{paper.arxiv_id}"),
        ("abstract", _bibtex_escape(paper.abstract)),
    ]
    if paper.doi:
        fields.append(("doi", paper.doi))
    if rng.random() < 0.2:
        fields.append(("keywords", ", ".join(paper.categories)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    month = MONTHS[paper.submitted[1] - 1].lower()  # a macro, unbraced, as exports write it
    return f"@{kind}{{{key},\n{body},\n  month = {month}\n}}\n"


def write(fmt: str, corpus: Iterable[Paper], out: TextIO, *, seed: int = 1) -> int:
    """Write ``corpus`` to ``out`` in format ``fmt``; returns the number of papers."""
    count = 0
    if fmt == "arxiv-jsonl":
        for paper in corpus:
            out.write(arxiv_jsonl(paper) + "\n")
            count += 1
    elif fmt == "bibtex":
        rng = random.Random(seed + 1)  # the style choices, apart from the papers' own draws
        for paper in corpus:
            out.write(bibtex(paper, rng) + "\n")
            count += 1
    elif fmt == "hf-text":
        out.write("Get trending papers in your email inbox once a day!\n")
        out.write("Get trending papers in your email inbox!\n")
        for count, paper in enumerate(corpus, start=1):
            glue = "Subscribe" if count == 1 else ""
            out.write(f"{glue}{paper.title.strip()}\n{paper.abstract}\n")
    else:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    return count


def main(argv: Sequence[str] | None = None) -> int:
    """Run the generator as a command; returns the exit status."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=10_000, help="number of papers (default 10000)")
    ap.add_argument("-f", "--format", choices=FORMATS, default="arxiv-jsonl")
    ap.add_argument("-o", "--out", default="-", help="output file, - for stdout (the default)")
    ap.add_argument("--seed", type=int, default=1, help="random seed: the same seed, the same corpus")
    ap.add_argument("--dup-rate", type=float, default=0.0, help="share of near-duplicate papers (0-1)")
    ap.add_argument("--sample", type=Path, default=SAMPLE, help="hf-text file to learn the words from")
    args = ap.parse_args(argv)
    if args.n < 0 or not 0 <= args.dup_rate <= 1:
        ap.error("-n must be at least 0 and --dup-rate between 0 and 1")
    corpus = papers(args.n, seed=args.seed, dup_rate=args.dup_rate, sample=args.sample)
    if args.out == "-":
        write(args.format, corpus, sys.stdout, seed=args.seed)
    else:
        out_path = Path(args.out)
        # Written beside the target and renamed, so an interrupted run leaves no half corpus
        # that the benchmarks' caches would take for a finished one.
        part = out_path.with_name(out_path.name + ".part")
        out_path.parent.mkdir(parents=True, exist_ok=True)
        with part.open("w", encoding="utf-8", newline="\n") as out:
            write(args.format, corpus, out, seed=args.seed)
        part.replace(out_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

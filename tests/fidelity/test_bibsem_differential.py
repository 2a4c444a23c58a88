"""What imported right before #18 still imports the same: the existing BibTeX fixtures, read again.

The expected values were taken from the reader as it was before the crossref,
keyless-entry and short-year changes (commit f65b1fb), for the fields those
changes touch: which entries come out, at which line, with which authors,
year and date.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from readinglist.core.formats import BadEntry, bibtex

DATA = Path(__file__).parent.parent / "data"

EXPECTED: dict[str, list[tuple[object, ...]]] = {
    "broken.bib": [(1, ("Jane Doe",), 2021, None), ("bad", 7), (12, (), 2023, None), ("bad", 17)],
    "hand-kept.bib": [
        (10, ("Jörg Müller", "Émile Zola", "Özgür Çelik"), 2021, "2021-01"),
        (21, (), 1999, "1999-03"),
        (29, (), 2020, "2020-05-01"),
        (37, (), 2010, None),
        (44, (), 2019, "2019-06"),
        (50, (), None, None),
    ],
    "jabref.bib": [
        (9, ("Bernhard Schölkopf", "Alexander J. Smola", "Klaus-Robert Müller"), 2001, "2001-02"),
        (18, ("María García", "Søren Østergaard", "The NLP Group"), 2020, "2020-07"),
    ],
    "zotero-tagged.bib": [
        (
            2,
            (
                "Jason Wei",
                "Xuezhi Wang",
                "Dale Schuurmans",
                "Maarten Bosma",
                "Brian Ichter",
                "Fei Xia",
                "Ed Chi",
                "Quoc Le",
                "Denny Zhou",
            ),
            2023,
            "2023-01",
        ),
        (
            16,
            (
                "Patrick Lewis",
                "Ethan Perez",
                "Aleksandra Piktus",
                "Fabio Petroni",
                "Vladimir Karpukhin",
                "Naman Goyal",
                "Heinrich Küttler",
                "Mike Lewis",
                "Wen-tau Yih",
                "Tim Rocktäschel",
                "Sebastian Riedel",
                "Douwe Kiela",
            ),
            2020,
            "2020-12",
        ),
        (31, ("Sepp Hochreiter", "Jürgen Schmidhuber"), 1997, None),
        (44, ("Dzmitry Bahdanau", "Kyunghyun Cho", "Yoshua Bengio"), 2014, "2014-09"),
    ],
    "zotero.bib": [
        (2, ("Albert Q. Jiang", "Alexandre Sablayrolles", "Arthur Mensch", "Chris Bamford"), 2023, "2023-10"),
        (
            16,
            (
                "Ashish Vaswani",
                "Noam Shazeer",
                "Niki Parmar",
                "Jakob Uszkoreit",
                "Llion Jones",
                "Aidan N. Gomez",
                "Łukasz Kaiser",
                "Illia Polosukhin",
            ),
            2017,
            "2017-12",
        ),
        (29, ("Jacob Devlin", "Ming-Wei Chang", "Kenton Lee", "Kristina Toutanova"), 2019, None),
    ],
}


def outline(path: Path) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for item in bibtex.read(path):
        if isinstance(item, BadEntry):
            out.append(("bad", item.line))
        else:
            out.append((item.line, item.authors, item.year, item.date))
    return out


@pytest.mark.parametrize(
    "name", ["broken.bib", "hand-kept.bib", "jabref.bib", "zotero-tagged.bib", "zotero.bib"]
)
def test_existing_fixtures_read_as_before(name: str) -> None:
    assert outline(DATA / name) == EXPECTED[name]

"""BibTeX values decode to exactly what pylatexenc alone gave, now that most skip it.

Three differentials, old decoding (pylatexenc on every value with LaTeX in it,
:func:`~readinglist.core.formats.bibtex_latex.decode_with_parser`) against the
new one: every field of every BibTeX fixture, a generated file imported whole
(every column of every paper), and random strings made of the pieces LaTeX
decoding trips over.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from bibtexparser import parse_string  # type: ignore[attr-defined]
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readinglist.core.formats import bibtex_fields, bibtex_latex
from readinglist.core.importing import import_files
from readinglist.core.store import Library

DATA = Path(__file__).parent / "data"
CORE_DATA = Path(__file__).parent.parent / "data"


@contextmanager
def parser_only() -> Iterator[None]:
    """Decode as before: the whole value through pylatexenc."""
    fast = bibtex_latex.decode
    bibtex_latex.decode = bibtex_latex.decode_with_parser
    bibtex_fields.person.cache_clear()  # names decoded the other way must not answer
    try:
        yield
    finally:
        bibtex_latex.decode = fast
        bibtex_fields.person.cache_clear()


def old_text(value: str) -> str:
    with parser_only():
        return bibtex_fields.text(value)


def fixture_values() -> list[tuple[str, str, str]]:
    out = []
    for path in sorted([*CORE_DATA.glob("*.bib"), *DATA.glob("*.bib")]):
        try:
            source = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue  # the encoding fixtures: their values are compared through the import tests
        for entry in parse_string(source).entries:
            out += [(path.name, name, str(field.value)) for name, field in entry.fields_dict.items()]
    return out


def test_every_field_of_every_fixture_decodes_as_before() -> None:
    values = fixture_values()
    with_latex = [v for v in values if bibtex_latex.LATEX_HINT.search(v[2])]
    assert len(with_latex) > 50
    for name, field, value in values:
        assert bibtex_fields.text(value) == old_text(value), (name, field, value)
        with parser_only():
            old_authors = bibtex_fields.authors(value)
        assert bibtex_fields.authors(value) == old_authors, (name, field, value)


FIRST = ["Elif", "Xiao", "Oskar", "Fran{\\c{c}}ois", "{\\'E}mile", 'J{\\"u}rgen', "Ana", "\\O{}ystein"]
LAST = ["Becker", 'M{\\"u}ller', "Wang", "{van der Berg}", "Okafor", "Garc{\\'\\i}a", "{\\v{S}}koda"]
WORDS = "large language models retrieval scaling laws agents we propose a benchmark of tasks".split()
LATEX = [
    "--", "---", "``quoted''", "50%", "50\\%", "\\{\\it least\\}", "\\ours", "\\ours,", "$x_1$",
    "$L(s) = L_0$", "S_2$ is", "~", "\\url\\{https://chatglm.cn\\},", "\\emph{key}", "{BERT}", "R\\&D",
    "a\\_b", "\\$5",
    "$\\alpha$-divergence", "{\\em emphasis}", "\\textbf{bold}", "?`Que?", "C\\#", "$O(n \\log n)$",
]  # fmt: skip


def generated_bib(n: int, seed: int = 7) -> str:
    """Entries like the benchmark corpus's and Zotero's: braced titles, LaTeX in abstracts, accents."""
    rng = random.Random(seed)
    entries = []
    for i in range(n):
        title = " ".join(rng.choice(WORDS).title() for _ in range(rng.randint(3, 9)))
        if rng.random() < 0.2:
            title += " " + rng.choice(LATEX)
        words = [rng.choice(WORDS) for _ in range(rng.randint(20, 80))]
        for _ in range(rng.randint(0, 3)):
            words.insert(rng.randrange(len(words)), rng.choice(LATEX))
        authors = " and ".join(f"{rng.choice(LAST)}, {rng.choice(FIRST)}" for _ in range(rng.randint(1, 4)))
        entries.append(
            f"@article{{key{i},\n  title = {{{{{title}}}}},\n  author = {{{authors}}},\n"
            f"  year = {{{2015 + i % 10}}},\n  keywords = {{{rng.choice(WORDS)}, {rng.choice(LATEX)}}},\n"
            f"  abstract = {{{' '.join(words)}}}\n}}\n"
        )
    return "\n".join(entries)


def papers(library: Library) -> list[tuple[object, ...]]:
    cols = (
        "id, title, abstract, authors, year, date, arxiv_id, doi, url, links, title_key, "
        "(SELECT group_concat(t.name, ' ') FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id "
        "WHERE pt.paper_id = papers.id)"
    )
    return library.db.execute(f"SELECT {cols} FROM papers ORDER BY id").fetchall()


@pytest.mark.slow
def test_a_generated_file_imports_the_same_papers(tmp_path: Path) -> None:
    path = tmp_path / "generated.bib"
    path.write_text(generated_bib(600), encoding="utf-8")
    with Library(tmp_path / "new.db") as new, Library(tmp_path / "old.db") as old:
        import_files(new, [path])
        with parser_only():
            import_files(old, [path])
        assert new.count() > 550  # a few generated titles repeat: dedup merges them
        assert papers(new) == papers(old)


FRAGMENTS = [
    "a", "word", " ", "  ", "\n", "{", "}", "{}", "$", "$x$", "\\", "%", "~", "&", "-", "--", "---",
    "`", "``", "'", "''", "!", "?", "_", "^{2}", "#", "[", "]", "é", "\\%", "\\{", "\\}", "\\$", "\\&",
    "\\ ", "\\\\",
    "\\it ", "\\ours", "\\alpha", "\\emph{", "\\textbf{", '\\"o', '\\"{o}', "\\'", "\\c{c}", "\\v ",
    "{\\it x}", "\\url{a b}", "\\(", "\\)",
]  # fmt: skip


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=20))
def test_random_latex_decodes_as_before(parts: list[str]) -> None:
    value = "".join(parts)
    assert bibtex_fields.text(value) == old_text(value)

"""Hostile import files through the real command line: one line naming file and line, never a traceback.

Each file holds good papers around one bad entry. Without ``--skip-bad`` the
import fails with ``readinglist: FILE:LINE: reason`` and the library is left
exactly as it was; with it, the good papers go in and the bad one is listed.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.reliability.input_cli import cli, dump, err, one_line, out, titles

DEEP = 100_000
HUGE_INT = "9" * 5000
EXPORT_HEAD = '{"format": "readinglist", "version": 1, "papers": [\n'


def export(bad: str) -> str:
    """Our JSON export, one paper a line, with ``bad`` as the paper on line 3."""
    return EXPORT_HEAD + '{"title": "Good one"},\n' + bad + ',\n{"title": "Good two"}\n]}\n'


def array(bad: str) -> str:
    """A pretty-printed JSON array of papers (read as a stream), ``bad`` on line 3."""
    return '[\n  {"title": "Good one"},\n  ' + bad + ',\n  {"title": "Good two"}\n]\n'


def snapshot(bad: str) -> str:
    """arXiv snapshot lines, ``bad`` on line 2."""
    good = [
        json.dumps({"id": f"2401.0000{n}", "title": f"Good {word}"}) for n, word in ((1, "one"), (2, "two"))
    ]
    return f"{good[0]}\n{bad}\n{good[1]}\n"


def deep(value: str = "1") -> str:
    return "[" * DEEP + value + "]" * DEEP


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    line: int
    reason: str


def paper(members: str) -> str:
    """A paper object with a title and ``members`` (raw JSON text)."""
    return '{"title": "Bad one", ' + members + "}"


def arxiv(members: str) -> str:
    return '{"id": "2401.09999", "title": "Bad one", ' + members + "}"


CASES = [
    Case("deep.json", export(paper('"x": ' + deep())), 3, "invalid JSON: nested too deeply"),
    Case("deep-array.json", array(paper('"x": ' + deep())), 3, "invalid JSON: nested too deeply"),
    Case("deep-item.json", array(deep()), 3, "invalid JSON: nested too deeply"),
    Case("huge-int.json", export(paper('"year": ' + HUGE_INT)), 3, "a number longer than 4300 digits"),
    Case("huge-int-array.json", array(paper('"n": ' + HUGE_INT)), 3, "a number longer than 4300 digits"),
    Case("surrogate.json", export('{"title": "Half \\ud800 a pair"}'), 3, "title holds \\ud800"),
    Case("surrogate-author.json", export(paper('"authors": ["A \\udfff"]')), 3, "authors holds \\udfff"),
    Case("surrogate-array.json", array(paper('"notes": "\\udc80"')), 3, "notes holds \\udc80"),
    Case("big-id.json", export(paper(f'"id": {2**63}')), 3, "id 9223372036854775808 is out of range"),
    Case("big-queue.json", export(paper(f'"queue_position": {2**63}')), 3, "queue_position 9223"),
    Case("low-queue.json", export(paper(f'"queue_position": {-(2**63)}')), 3, "out of range"),
    Case("big-year.json", export(paper(f'"year": {2**64}')), 3, "year 18446744073709551616 is out"),
    Case("long-int-id.json", export(paper('"id": ' + "9" * 4000)), 3, "characters) is out of range"),
    Case("date-object.json", export(paper('"date": {"y": 1}')), 3, "date must be text, not dict"),
    Case("url-list.json", export(paper('"url": ["a"]')), 3, "url must be text, not list"),
    Case("arxiv-number.json", export(paper('"arxiv_id": 1234')), 3, "arxiv_id must be text, not int"),
    Case("source-list.json", array(paper('"source": [1]')), 3, "source must be text, not list"),
    Case("status-list.json", export(paper('"status": ["read"]')), 3, "status must be text, not list"),
    Case("status-word.json", export(paper('"status": "done"')), 3, "'done' is not a valid Status"),
    Case("deep.jsonl", snapshot(arxiv('"x": ' + deep())), 2, "invalid JSON: nested too deeply"),
    Case("huge-int.jsonl", snapshot(arxiv('"x": ' + HUGE_INT)), 2, "a number longer than 4300 digits"),
    Case("surrogate.jsonl", snapshot('{"id": "1", "title": "Half \\ud800"}'), 2, "title holds \\ud800"),
    Case("surrogate-abstract.jsonl", snapshot(arxiv('"abstract": "\\udbff"')), 2, "abstract holds \\udbff"),
]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library holding one paper, so that "unchanged" means something (made once, copied per test)."""
    folder = tmp_path_factory.mktemp("seeded")
    seed = folder / "seed.json"
    seed.write_text(EXPORT_HEAD + '{"title": "Already here", "tags": ["kept"]}\n]}\n', encoding="utf-8")
    path = folder / "library.db"
    assert cli(path, "import", seed).returncode == 0
    return path


@pytest.fixture
def db(seeded: Path, tmp_path: Path) -> Path:
    path = tmp_path / "library.db"
    shutil.copyfile(seeded, path)
    return path


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_entry_is_one_line_and_changes_nothing(case: Case, db: Path, tmp_path: Path) -> None:
    path = tmp_path / case.name
    path.write_text(case.text, encoding="utf-8")
    before = dump(db)
    result = cli(db, "import", path)
    assert result.returncode == 1, err(result)
    line = one_line(err(result))
    assert line.startswith(f"readinglist: {path}:{case.line}: "), line
    assert case.reason in line
    assert out(result) == ""
    assert dump(db) == before


def test_skip_bad_keeps_the_good_papers(db: Path, tmp_path: Path) -> None:
    # One run over every file: each bad entry is listed, every good paper goes in.
    paths = []
    for case in CASES:
        paths.append(tmp_path / case.name)
        paths[-1].write_text(case.text, encoding="utf-8")
    result = cli(db, "import", "--skip-bad", *paths)
    assert result.returncode == 0, err(result)
    lines = err(result).splitlines()
    assert len(lines) == len(CASES), err(result)
    for line, case, path in zip(lines, CASES, paths, strict=True):
        assert line.startswith(f"readinglist: skipped {path}:{case.line}: ") and case.reason in line
    # Every file holds the same two good papers: the first adds them, the others find
    # them (the arXiv lines add their ids to them: "1 enriched").
    summary = out(result)
    assert summary.startswith(f"2 added, {2 * len(CASES) - 2} already in the library, ")
    assert summary.endswith(f", {len(CASES)} skipped\n")
    assert titles(db) == ["Already here", "Good one", "Good two"]


def test_file_name_that_is_not_utf8(db: Path, tmp_path: Path) -> None:
    # Python hands such a name over with lone surrogates, which SQLite cannot store
    # (the paper's source names the file).
    name = b"caf\xe9.csv"
    (tmp_path / name.decode("utf-8", "surrogateescape")).write_text("title\nNamed oddly\n", encoding="utf-8")
    result = cli(db, "import", bytes(tmp_path) + b"/" + name)
    assert (result.returncode, err(result), out(result)) == (0, "", "1 added, 0 already in the library\n")
    shown = cli(db, "show", "2", "--json")
    assert json.loads(out(shown))["source"] == "caf\ufffd.csv:2 (csv)"


def test_bibtex_month_that_int_refuses(db: Path, tmp_path: Path) -> None:
    """bibtexparser's month middleware called int() on any digits; thousands of them raised."""
    path = tmp_path / "months.bib"
    path.write_text(
        f"@article{{a,\n title = {{Long month}},\n year = {{2020}},\n month = {{{HUGE_INT}}}\n}}\n"
        "@article{b,\n title = {Superscript month},\n year = {2021},\n month = {\u00b2}\n}\n",
        encoding="utf-8",
    )
    result = cli(db, "import", path)
    assert (result.returncode, err(result), out(result)) == (0, "", "2 added, 0 already in the library\n")
    # The year stands; the month is not a month, so there is no date.
    papers = {p["title"]: p for p in json.loads(out(cli(db, "list", "--json")))}
    assert (papers["Long month"]["year"], papers["Long month"]["date"]) == (2020, None)


def test_csv_year_of_thousands_of_digits(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "years.csv"
    path.write_text(f"title,year\nLong year,{HUGE_INT}\nGood,2020\n", encoding="utf-8")
    result = cli(db, "import", "--skip-bad", path)
    assert result.returncode == 0
    assert "Traceback" not in err(result)
    assert "Good" in titles(db)


@pytest.mark.parametrize(
    ("name", "body", "line", "reason"),
    [
        ("surrogate.xml", "<entry><title>Half &#xD800;</title></entry>", 3, "reference to invalid character"),
        (
            "laughs.xml",
            "<entry><title>&e9;</title></entry>",
            3,
            "limit on input amplification factor",
        ),
    ],
)
def test_atom_feed_errors_are_one_line(
    db: Path, tmp_path: Path, name: str, body: str, line: int, reason: str
) -> None:
    entities = '<!ENTITY e0 "lol">' + "".join(f'<!ENTITY e{n} "{f"&e{n - 1};" * 10}">' for n in range(1, 10))
    doctype = f"<!DOCTYPE feed [{entities}]>" if "laughs" in name else ""
    path = tmp_path / name
    path.write_text(
        f'<?xml version="1.0"?>{doctype}\n<feed xmlns="http://www.w3.org/2005/Atom">\n{body}\n</feed>\n',
        encoding="utf-8",
    )
    before = dump(db)
    result = cli(db, "import", path)
    assert result.returncode == 1
    message = one_line(err(result))
    assert message.startswith(f"readinglist: {path}:{line}: ") and reason in message
    assert dump(db) == before


def test_atom_feed_nested_deep(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "deep.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f"<entry><title>Deep</title>{'<a>' * DEEP}{'</a>' * DEEP}</entry>\n"
        "<entry><title>Shallow</title></entry>\n</feed>\n",
        encoding="utf-8",
    )
    result = cli(db, "import", path)
    assert (result.returncode, err(result), out(result)) == (0, "", "2 added, 0 already in the library\n")

"""Hostile command-line input and hostile library text through the real command line.

Arguments are passed as raw bytes where a shell would pass bytes that are not
UTF-8. Output is read as bytes, to see exactly what a terminal would receive.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.reliability.input_cli import cli, dump, err, one_line, out

ESC_TITLE = "Evil \x1b]0;pwned\x07 title \x1b[2J\x9b31m with \u202eredro\u202c and \x08 end"
ESC_SHOWN = "Evil \\x1b]0;pwned\\x07 title \\x1b[2J\\x9b31m with \\u202eredro\\u202c and \\x08 end"
TAG = "tag\x1b[5m"
ABSTRACT = "First line\nsecond \x1b[31mred\x1b[0m line\twith tab \u2066isolate\u2069 \rback"
AUTHOR = "Mallory \x07Bell"
NOTE = "my note \x1b[8mhidden"
URL = "https://example.org/\x1b[1m"
# What must never reach the terminal raw (tab and newline only where a field may hold them).
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def evil_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("evil")
    paper = {
        "title": ESC_TITLE,
        "abstract": ABSTRACT,
        "authors": [AUTHOR],
        "tags": [TAG],
        "notes": NOTE,
        "url": URL,
        "year": 2024,
    }
    source = folder / "evil.json"
    source.write_text(
        json.dumps({"format": "readinglist", "version": 1, "papers": [paper]}), encoding="utf-8"
    )
    db = folder / "library.db"
    result = cli(db, "import", source)
    assert result.returncode == 0, err(result)
    return db


@pytest.fixture
def evil(evil_template: Path, tmp_path: Path) -> Path:
    db = tmp_path / "library.db"
    shutil.copyfile(evil_template, db)
    return db


def _no_raw_controls(text: str, *, multiline: bool) -> None:
    allowed = "\n\t" if multiline else "\n"  # each printed line ends in a newline
    found = {c for c in RAW.findall(text) if c not in allowed}
    assert not found, f"raw control characters reached the terminal: {sorted(map(ascii, found))}"


@pytest.mark.parametrize(
    "args",
    [("list",), ("search", "evil"), ("search", "#tag"), ("queue", "list")],
    ids=["list", "search", "search-tag", "queue"],
)
def test_one_line_outputs_escape_controls(evil: Path, args: tuple[str, ...]) -> None:
    if args[0] == "queue":
        assert cli(evil, "queue", "add", "1").returncode == 0
    result = cli(evil, *args)
    assert result.returncode == 0, err(result)
    text = out(result)
    _no_raw_controls(text, multiline=False)
    assert len(text.splitlines()) == 1  # one paper, one line: no CR or newline got through
    assert ESC_SHOWN in text
    assert "#tag\\x1b[5m" in text


def test_show_escapes_controls_and_keeps_lines(evil: Path) -> None:
    result = cli(evil, "show", "1")
    assert result.returncode == 0, err(result)
    text = out(result)
    _no_raw_controls(text, multiline=True)
    lines = text.splitlines()
    assert lines[0] == f"[1] {ESC_SHOWN}"
    assert "Authors: Mallory \\x07Bell" in lines
    assert "Tags:    tag\\x1b[5m" in lines
    assert "Link:    https://example.org/\\x1b[1m" in lines
    # The abstract keeps its own line break and tab; its controls are escaped.
    assert "First line" in lines
    assert "second \\x1b[31mred\\x1b[0m line\twith tab \\u2066isolate\\u2069 \\x0dback" in lines
    assert lines[-1] == "my note \\x1b[8mhidden"


def test_tag_listing_escapes_controls(evil: Path) -> None:
    result = cli(evil, "tag", "1")
    assert (result.returncode, out(result)) == (0, "tag\\x1b[5m\n")


@pytest.mark.parametrize("args", [("list", "--json"), ("show", "1", "--json"), ("search", "evil", "--json")])
def test_json_output_escapes_controls_and_keeps_the_values(evil: Path, args: tuple[str, ...]) -> None:
    result = cli(evil, *args)
    assert result.returncode == 0, err(result)
    text = out(result)
    _no_raw_controls(text, multiline=False)
    data = json.loads(text)
    paper = data[0] if isinstance(data, list) else data
    assert (
        paper["title"],
        paper["abstract"],
        paper["authors"],
        paper["tags"],
        paper["notes"],
        paper["url"],
    ) == (
        ESC_TITLE,
        ABSTRACT,
        [AUTHOR],
        [TAG],
        NOTE,
        URL,
    )


# -- arguments ------------------------------------------------------------------------


def test_search_reaching_before_year_one_is_a_hint(evil: Path) -> None:
    for query in ("added:<2100y", "added:<99999y"):
        result = cli(evil, "search", query)
        assert result.returncode == 0
        assert (
            one_line(err(result))
            == f"readinglist: {query} reaches back before the year 1; counted from the year 1"
        )
        assert out(result).startswith("     1 ")  # everything was added since the year 1
    result = cli(evil, "search", "added:>2100y")
    assert (result.returncode, out(result)) == (0, "")


@pytest.mark.parametrize("query", [b"tag:\xff", b"title:caf\xe9", b"\xff\xfe", b"evil \xc3"])
def test_search_with_bytes_that_are_not_utf8_is_a_hint(evil: Path, query: bytes) -> None:
    result = cli(evil, "search", query)
    assert result.returncode == 0, err(result)
    assert one_line(err(result)) == (
        "readinglist: the query holds bytes that are not UTF-8 text; they were read as \ufffd"
    )


@pytest.mark.parametrize(
    "args",
    [
        ("tag", "1", b"+caf\xe9"),
        ("list", "--tag", b"\xff"),
        ("note", "1", "--set", b"\xff"),
        ("import", "--tag", b"\xff", "--sample"),
        ("show", "99999999999999999999"),
        ("star", str(2**63)),
        ("queue", "add", "-" + "9" * 5000),
        ("search", "x", "--limit", "9" * 30),
        ("list", "--limit", str(-(2**64))),
    ],
    ids=[
        "tag",
        "list-tag",
        "note",
        "import-tag",
        "show-id",
        "star-id",
        "queue-id",
        "search-limit",
        "list-limit",
    ],
)
def test_bad_arguments_are_usage_errors(evil: Path, args: tuple[str | bytes, ...]) -> None:
    before = dump(evil)
    result = cli(evil, *args)
    assert result.returncode == 2, err(result)
    assert "Traceback" not in err(result)
    last = err(result).splitlines()[-1]
    assert re.match(
        r"readinglist \w+: error: argument [^:]+: .*"
        r"(not UTF-8 text|too large for a paper id|too large a limit)",
        last,
    )
    assert dump(evil) == before


def test_note_from_stdin_that_is_not_utf8(evil: Path) -> None:
    result = cli(evil, "note", "1", "--set", "-", stdin=b"caf\xe9 au lait\n")
    assert result.returncode == 1
    assert one_line(err(result)) == "readinglist: standard input is not UTF-8 text; the note is unchanged"
    assert out(cli(evil, "note", "1")) == NOTE + "\n"

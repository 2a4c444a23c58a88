"""A plain ``readinglist search`` reads its arguments without argparse: same answers, or argparse's."""

from __future__ import annotations

import argparse
import contextlib
import io
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readinglist.cli import main
from readinglist.cli_parser import build_parser, command_of
from readinglist.cli_quick import quick_search_args
from readinglist.core.sample import import_sample
from readinglist.core.store import Library

TOKENS = [
    "search", "quant", "language models", "", "=", "-", "--", "-x", "-5", "+5", "5", "0", "1_0", "٣",
    "--db", "--db=", "--db=other.db", "lib.db", "--limit", "--limit=3", "--limit=", "--limit=x", "--lim",
    "--json", "--json=1", "--js", "-h", "--help", "--version", "list", "--view", "title:foo", "!survey",
]  # fmt: skip
OPTIONS = [["--json"], ["--limit", "5"], ["--limit=30"], ["--db", "lib.db"], ["--db=o.db"]]
WORDS = ["quant", "language models", "", "title:foo", "!survey", "5", "search"]


@st.composite
def argvs(draw: st.DrawFn) -> list[str]:
    """A plain search, often with a token put in or left out: the edge of what the quick path takes."""
    options = st.lists(st.sampled_from(OPTIONS), max_size=2).map(lambda gs: [t for g in gs for t in g])
    argv = [*draw(st.sampled_from([[], ["--db", "lib.db"], ["--db=o.db"]])), "search", *draw(options)]
    argv += ["--"] if draw(st.booleans()) and draw(st.booleans()) else []
    argv += draw(st.lists(st.sampled_from(WORDS), max_size=3))
    argv += [] if "--" in argv else draw(options)
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(argv)))
        if draw(st.booleans()):
            argv.insert(at, draw(st.sampled_from(TOKENS)))
        elif at < len(argv):
            del argv[at]
    return argv


def argparse_answer(argv: Sequence[str]) -> dict[str, object] | None:
    """What the real parser makes of ``argv``: its namespace, or None for an error or help."""
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            return vars(build_parser(command_of(argv)).parse_args(argv))
    except SystemExit:
        return None


@settings(max_examples=400, deadline=None)
@given(argvs())
def test_the_quick_reading_equals_argparse_or_defers_to_it(argv: list[str]) -> None:
    quick = quick_search_args(argv)
    real = argparse_answer(argv)
    if quick is not None:
        assert real is not None, argv
        assert vars(quick) == real, argv


@pytest.mark.parametrize(
    "argv",
    [
        ["search", "quant"],
        ["--db", "x.db", "search", "language", "models", "--json"],
        ["search", "--limit", "5", "--db=y.db", "chinchila"],
        ["search", "--json", "--", "-survey", "title:forecasting"],
        ["--db=x.db", "search", "a", "--limit=7", "--db", "z.db"],
    ],
)
def test_the_common_spellings_are_read_quickly(argv: list[str]) -> None:
    quick = quick_search_args(argv)
    assert quick is not None
    assert vars(quick) == argparse_answer(argv)


@pytest.mark.parametrize(
    "argv",
    [
        ["search"],  # argparse says a query is needed
        ["search", "-h"],
        ["search", "--lim", "5", "q"],  # an abbreviation
        ["search", "--limit", "+5", "q"],
        ["search", "a", "--json", "b"],  # argparse reports "unrecognized arguments: b"
        ["search", "-x"],
        ["list"],
        [],
    ],
)
def test_anything_else_goes_to_argparse(argv: list[str]) -> None:
    assert quick_search_args(argv) is None


def test_a_usage_error_still_comes_from_argparse(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["search", "a", "--json", "b"])
    assert exit_info.value.code == 2
    assert "unrecognized arguments: b" in capsys.readouterr().err


def test_a_quick_search_gives_the_same_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "lib.db"
    with Library(db) as lib:
        import_sample(lib)
    argv = ["--db", str(db), "search", "--limit", "5", "chinchila", "--json"]
    assert quick_search_args(argv) is not None
    assert main(argv) == 0
    quick_out = capsys.readouterr()
    with Library(db) as lib:  # the same search through argparse's namespace and the same handler
        from readinglist.cli import HANDLERS

        args = build_parser("search").parse_args(argv)
        assert isinstance(args, argparse.Namespace)
        assert HANDLERS["search"](args, lib) == 0
    assert capsys.readouterr() == quick_out
    assert "Chinchilla" in quick_out.out

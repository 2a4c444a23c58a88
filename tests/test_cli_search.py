"""``readinglist search``: the engine's order, its hint on stderr, the JSON shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readinglist.cli import main
from readinglist.core.sample import import_sample
from readinglist.core.store import Library


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "lib.db"
    with Library(path) as lib:
        import_sample(lib)
    return path


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["search", "--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_typo_query_prints_the_intended_paper_first(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, db, "chinchila", "--json")
    assert code == 0 and err == ""
    assert json.loads(out)[0]["title"].startswith("Beyond Chinchilla-Optimal")


def test_hint_goes_to_stderr_and_exit_is_zero(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, db, "venue:neurips", "--json")
    assert code == 0
    assert json.loads(out) == []
    assert err.startswith("readinglist: unknown field venue: searched as text")
    assert err.count("\n") == 1


def test_query_syntax_reaches_the_engine(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # On the command line "-word" looks like an option: use "!word", or "--" first.
    for args in (["title:forecasting", "!survey"], ["--", "title:forecasting", "-survey"]):
        _, out, _ = run(capsys, db, "--json", "--limit", "50", *args)
        titles = [p["title"] for p in json.loads(out)]
        assert titles and all("forecast" in t.lower() and "survey" not in t.lower() for t in titles)


def test_search_leaves_the_library_unchanged(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = db.read_bytes()
    run(capsys, db, '\0🙂 "unclosed', "--json")
    assert capsys.readouterr().err == ""
    with Library(db) as lib:
        assert lib.count() == 220
    assert len(before) > 0


def test_a_search_process_loads_only_what_searching_needs(db: Path) -> None:
    """Start-up is most of a CLI search, so the writers, importers and path lookup stay unloaded."""
    import subprocess
    import sys

    from readinglist.core.search import refresh_vocab

    with Library(db) as lib:  # the word list up to date, as after any import or search
        refresh_vocab(lib)
    code = (
        "import sys, contextlib, io\nfrom readinglist.cli import main\n"
        f"with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        f"    assert main(['search', '--db', {str(db)!r}, 'chinchila']) == 0\n"
        "assert 'Chinchilla' in out.getvalue()\n"
        "heavy = ('platformdirs', 'sqlite_utils', 'bibtexparser', 'readinglist.core.exporter',\n"
        "         'readinglist.core.importing', 'readinglist.core.formats', 'textual')\n"
        "loaded = [m for m in sys.modules if m.startswith(heavy)]\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_help_names_the_default_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("READINGLIST_DB", str(tmp_path / "mine.db"))
    with pytest.raises(SystemExit) as exit_info:
        main(["search", "--help"])
    assert exit_info.value.code == 0
    assert f"library: {tmp_path / 'mine.db'}" in capsys.readouterr().out

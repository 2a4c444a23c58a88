"""The import, export and backup subcommands, through ``cli.main``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from readinglist import cli
from readinglist.core.importing import ImportProgress
from readinglist.core.store import Library
from readinglist.progress import ProgressBar

DATA = Path(__file__).parent / "data"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_import_then_export_json_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "import", str(DATA / "zotero.bib"), "--tag", "refs")
    assert (code, out, err) == (0, "3 added, 0 already in the library\n", "")
    code, out, _ = run(capsys, "export")
    doc = json.loads(out)
    # The run's --tag joins the tags the entries bring (Zotero's keywords).
    keywords = "Computer Science - Computation and Language"
    assert code == 0 and [p["tags"] for p in doc["papers"]] == [[keywords, "refs"], ["refs"], ["refs"]]


def test_bad_entry_is_one_line_exit_1_and_nothing_changes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "import", str(DATA / "zotero.bib"), str(DATA / "broken.bib"))
    assert code == 1 and out == ""
    reason = "cannot parse BibTeX entry '@article{unclosed,' (unclosed brace?)"
    # Both files are read to the end first (#18): the bad entries are counted, the first quoted.
    broken = DATA / "broken.bib"
    good = sum(
        1 for line in (DATA / "zotero.bib").read_text(encoding="utf-8").splitlines() if line.startswith("@")
    )
    assert err == (
        f"readinglist: {broken}: 2 bad entries (first at {broken}:7: {reason}); "
        f"nothing imported; run again with --skip-bad to import the other {good + 2}\n"
    )
    assert run(capsys, "stats", "--json")[1].startswith('{"papers": 0,')


def test_skip_bad_lists_the_bad_entries(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "import", "--skip-bad", str(DATA / "broken.bib"))
    assert code == 0 and out == "2 added, 0 already in the library, 2 skipped\n"
    lines = err.splitlines()
    assert (
        len(lines) == 2 and lines[0].startswith("readinglist: skipped ") and lines[1].endswith("has no title")
    )


def test_dry_run_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "import", "--dry-run", str(DATA / "papers.csv"))
    assert (code, out) == (0, "dry run, nothing changed: would be 3 added, 0 already in the library\n")
    assert run(capsys, "stats", "--json")[1].startswith('{"papers": 0,')


def test_unknown_format_and_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "import", "--format", "endnote", str(DATA / "papers.csv"))
    assert code == 1 and err.startswith("readinglist: endnote: unknown format (known: ")
    code, _, err = run(capsys, "import", str(tmp_path / "nope.bib"))
    assert (code, err) == (1, f"readinglist: {tmp_path / 'nope.bib'}: no such file\n")


def test_export_formats_to_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    run(capsys, "import", "--sample")
    for fmt, first in (
        ("bibtex", "@misc{"),
        ("markdown", "# Reading list"),
        ("csv", "id,title,"),
        ("json", "{"),
    ):
        target = tmp_path / f"out.{fmt}"
        code, out, err = run(capsys, "export", "--format", fmt, "-o", str(target))
        assert (code, out, err) == (0, "", f"exported 220 papers to {target}\n")
        assert target.read_text(encoding="utf-8").startswith(first)


def test_export_view_and_query_are_exclusive(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "export", "--view", "queue", "--query", "x")
    assert code == 2 and "not allowed with argument" in err


def test_export_query(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "import", "--sample")
    code, out, _ = run(capsys, "export", "--format", "csv", "--query", "diffusion")
    assert code == 0 and 1 < len(out.splitlines()) < 221


def test_backup_prints_the_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    run(capsys, "import", "--sample")
    code, out, _ = run(capsys, "backup", str(tmp_path / "b.db"))
    assert (code, out) == (0, f"{tmp_path / 'b.db'}\n")
    with Library(tmp_path / "b.db") as copy:
        assert copy.count() == 220
    code, _, err = run(capsys, "backup", str(tmp_path / "b.db"))
    assert code == 1 and err == f"readinglist: {tmp_path / 'b.db'}: already exists; choose another name\n"


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_for_large_files_on_a_terminal(tmp_path: Path) -> None:
    small = DATA / "zotero.bib"
    assert ProgressBar.for_files([small], FakeTerminal()) is None
    big = tmp_path / "big.jsonl"
    big.write_bytes(b" " * ProgressBar.MIN_BYTES)
    assert ProgressBar.for_files([big], io.StringIO()) is None  # not a terminal
    screen = FakeTerminal()
    bar = ProgressBar.for_files([big], screen)
    assert bar is not None
    bar.update(ImportProgress(2000, 0.5, big))
    bar.close()
    text = screen.getvalue()
    assert text.startswith("\rbig.jsonl: [" + "#" * 15 + "." * 15 + "]  50% 2,000 entries, ")
    assert text.endswith("/s \n")

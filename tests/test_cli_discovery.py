"""``readinglist index``, ``readinglist related`` and meaning results in ``readinglist search``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readinglist.cli import main
from readinglist.core.models import Status
from readinglist.core.sample import import_sample
from readinglist.core.semantic import model
from readinglist.core.store import Library


@pytest.fixture
def db(indexed_db: Path) -> Path:
    return indexed_db


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def title_id(db: Path, title: str) -> int:
    with Library(db) as lib:
        return int(lib.conn.execute("SELECT id FROM papers WHERE title = ?", [title]).fetchone()[0])


def test_index_embeds_the_new_papers_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "lib.db"
    with Library(path) as lib:
        import_sample(lib)
    assert (
        run(capsys, "index", "--db", str(path))[1]
        == "embedded 220 papers; 220 papers can be found by meaning\n"
    )
    assert (
        run(capsys, "index", "--db", str(path))[1]
        == "embedded 0 papers; 220 papers can be found by meaning\n"
    )


def test_search_json_marks_word_and_meaning_matches(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "search", "--db", str(db), "speculative", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 20
    matches = [r["match"] for r in rows]
    words = matches.count("words")
    assert 0 < words < 20 and matches == ["words"] * words + ["meaning"] * (20 - words)
    assert {"id", "title", "abstract", "tags", "status"} <= set(rows[0])  # existing keys unchanged
    assert err == ""  # JSON carries the mark; no note


def test_search_lines_stay_the_same_with_a_note_on_stderr(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "search", "--db", str(db), "guess ahead with a small draft model", "--limit", "5"
    )
    assert code == 0 and len(out.splitlines()) == 5
    assert "papers from line 1 on were found by meaning" in err


def test_meaning_only_prefix(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "--db", str(db), "~stock market prediction from news", "--json")
    rows = json.loads(out)
    assert code == 0 and {r["match"] for r in rows} == {"meaning"}
    assert any("Stock" in r["title"] for r in rows[:3])


def test_related_to_one_paper(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pid = title_id(db, "Online Speculative Decoding")
    code, out, _ = run(capsys, "related", "--db", str(db), str(pid), "--limit", "3", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 3 and pid not in {r["id"] for r in rows}
    assert any("Speculative" in r["title"] or "Draft" in r["title"] for r in rows)
    assert rows[0]["similarity"] >= rows[-1]["similarity"]
    code, out, _ = run(capsys, "related", "--db", str(db), str(pid), "--limit", "3")
    assert code == 0 and len(out.splitlines()) == 3


def test_read_next_from_starred_skips_them_and_read_papers(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = [
        title_id(db, "Online Speculative Decoding"),
        title_id(db, "Adaptive Draft-Verification for Efficient Large Language Model Decoding"),
    ]
    with Library(db) as lib:
        for pid in seeds:
            lib.set_starred(pid, True)
        read = title_id(db, "On Speculative Decoding for Multimodal Large Language Models")
        lib.set_status(read, Status.READ)
    code, out, _ = run(capsys, "related", "--db", str(db), "--view", "starred", "--json")
    ids = [r["id"] for r in json.loads(out)]
    assert code == 0 and len(ids) == 20
    assert not {*seeds, read} & set(ids)
    code, out, _ = run(
        capsys, "related", "--db", str(db), "--query", "speculative decoding", "--limit", "5", "--json"
    )
    assert code == 0 and len(json.loads(out)) == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give one of ID, --view, --tag or --query"),
        (("1", "--view", "starred"), "give one of ID, --view, --tag or --query"),
        (("999999",), "999999"),
        (("--tag", "nosuchtag"), "the set is empty"),
    ],
)
def test_related_errors_are_one_line(
    db: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    code, out, err = run(capsys, "related", "--db", str(db), *args)
    assert code == 1 and out == "" and message in err and err.count("\n") == 1


def test_without_the_model_related_and_index_say_how_to_get_it(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(model, "package_dir", lambda: None)
    for args in (("related", "1"), ("index",)):
        code, out, err = run(capsys, args[0], "--db", str(db), *args[1:])
        assert code == 1 and out == ""
        assert err == f"readinglist: {model.MISSING_HINT}\n"
    code, out, err = run(capsys, "search", "--db", str(db), "speculative", "--json")
    assert code == 0 and {r["match"] for r in json.loads(out)} == {"words"}

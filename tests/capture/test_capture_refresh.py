"""``readinglist refresh``: pending papers filled in, and ``--updates`` from arXiv, user data untouched."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from readinglist.core.store import Library
from tests.capture.conftest import run
from tests.capture.fakeweb import FakeWeb, Misbehave
from tests.capture.helpers import rows, tags_of


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "library.db"


def _user_data(db: Path) -> list[tuple[object, ...]]:
    return [(r["id"], r["starred"], r["status"], r["queue_position"], r["notes"]) for r in rows(db)]


def test_updates_record_the_published_doi_and_journal_reference_and_keep_user_data(
    web: FakeWeb, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bib = db.parent / "preprints.bib"
    bib.write_text(
        "@misc{a, title={Attention Is All You Need}, doi={10.48550/arXiv.1706.03762}, year={2017}}\n"
        "@misc{m, title={Mistral 7B}, eprint={2310.06825}, archivePrefix={arXiv}}\n"
        "@misc{o, title={Not on arXiv}}\n",
        encoding="utf-8",
    )
    assert run(capsys, db, "import", str(bib), "--tag", "to-read")[0] == 0
    for args in (
        ("star", "1"),
        ("queue", "add", "2"),
        ("status", "1", "reading"),
        ("note", "1", "--set", "§3"),
    ):
        assert run(capsys, db, *args)[0] == 0
    before = _user_data(db)
    code, out, _ = run(capsys, db, "refresh", "--updates")
    assert code == 0
    assert out.splitlines() == [
        "updated 1: Attention Is All You Need (published as doi:10.5555/3295222.3295349; "
        "journal reference: Advances in Neural Information Processing Systems 30 (NIPS 2017))",
        "up to date 2: Mistral 7B",
    ]
    assert web.paths("/api/query") == ["/api/query?id_list=1706.03762,2310.06825&max_results=2"]
    assert rows(db)[0]["doi"] == "10.5555/3295222.3295349"
    assert rows(db)[0]["venue"] == "Advances in Neural Information Processing Systems 30 (NIPS 2017)"
    assert rows(db)[1]["venue"] is None
    assert _user_data(db) == before
    assert [tags_of(db, i) for i in (1, 2, 3)] == [["to-read"]] * 3
    seen = rows(db, "SELECT paper_id, version, journal_ref FROM arxiv_updates ORDER BY paper_id")
    assert [(s["paper_id"], s["version"]) for s in seen] == [(1, 7), (2, 1)]
    # A version newer than the one seen last time is news.
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE arxiv_updates SET version = 5 WHERE paper_id = 1")
    conn.close()
    code, out, _ = run(capsys, db, "refresh", "--updates", "1")
    assert (code, out) == (0, "updated 1: Attention Is All You Need (new version v7)\n")
    # A new version changes no paper: nothing for undo. The published DOI and venue did.
    assert run(capsys, db, "undo")[1] == 'undid: refreshed "Attention Is All You Need" from arXiv\n'
    assert (rows(db)[0]["doi"], rows(db)[0]["venue"]) == ("10.48550/arxiv.1706.03762", None)
    assert run(capsys, db, "redo")[0] == 0
    code, out, _ = run(capsys, db, "refresh", "--updates", "1")
    assert (code, out) == (0, "up to date 1: Attention Is All You Need\n")


def test_refresh_of_named_papers_only(web: FakeWeb, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    web.plan("/api/query", *[Misbehave("status", 503)] * 3)
    web.plan("/doi/", *[Misbehave("status", 503)] * 3)
    assert run(capsys, db, "add", "2310.06825", "10.1038/s41586-021-03819-2")[0] == 0
    assert [r["pending"] is not None for r in rows(db)] == [True, True]
    code, out, _ = run(capsys, db, "refresh", "2")
    assert (code, out) == (0, "filled in 2: Highly accurate protein structure prediction with AlphaFold\n")
    assert [r["pending"] is not None for r in rows(db)] == [True, False]
    assert (
        run(capsys, db, "history")[1]
        .splitlines()[0]
        .endswith('filled in "Highly accurate protein structure pre…"')
    )
    code, out, _ = run(capsys, db, "refresh", "2")
    assert (code, out) == (0, "not pending 2: Highly accurate protein structure prediction with AlphaFold\n")
    code, _, err = run(capsys, db, "refresh", "99")
    assert (code, err) == (1, "readinglist: no paper with id 99\n")


def test_a_pending_paper_the_source_does_not_know_stays_and_fails(
    web: FakeWeb, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    web.plan("/api/query", *[Misbehave("status", 503)] * 3)
    assert run(capsys, db, "add", "2399.99999")[0] == 0
    code, out, err = run(capsys, db, "refresh")
    assert (code, out) == (1, "")
    assert err == "readinglist: paper 1 (arXiv:2399.99999): no arXiv paper 2399.99999\n"
    assert rows(db)[0]["pending"] == "arXiv:2399.99999"


def test_nothing_pending_says_so(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Library(db, create=True).close()  # refresh does not create a library at a new --db path
    code, out, err = run(capsys, db, "refresh")
    assert (code, out, err) == (0, "", "nothing pending\n")


def test_a_filled_in_page_naming_a_stored_paper_is_reported_and_kept(
    web: FakeWeb, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, db, "add", "1706.03762")[0] == 0
    web.plan("/anthology/", *[Misbehave("status", 503)] * 3)
    page = f"{web.base}/anthology/attention"
    assert run(capsys, db, "add", page, "--tag", "acl")[1].startswith(f"pending 2: {page}")
    code, out, err = run(capsys, db, "refresh")
    assert (code, out) == (0, "filled in 2: Attention Is All You Need\n")
    assert err == (
        "readinglist: paper 2 has the same arXiv id as paper 1 'Attention Is All You Need'; kept both\n"
    )
    assert [(r["id"], r["arxiv_id"], r["url"]) for r in rows(db)] == [
        (1, "1706.03762", None),
        (2, "1706.03762", page),
    ]
    assert tags_of(db, 2) == ["acl"]

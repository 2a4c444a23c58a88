"""Offline and failures lose nothing: pending papers, retries that wait, one-line errors."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.capture.conftest import run
from tests.capture.fakeweb import DATA, FakeWeb, Misbehave, closed_port
from tests.capture.helpers import rows, snapshot


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "library.db"


def test_no_network_stores_pending_papers_that_work_and_refresh_fills_them_in(
    web: FakeWeb, db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    dead = f"http://127.0.0.1:{closed_port()}"
    monkeypatch.setenv("READINGLIST_ARXIV_API", f"{dead}/api/query")
    monkeypatch.setenv("READINGLIST_DOI_RESOLVER", f"{dead}/doi/")
    code, out, err = run(
        capsys, db, "add", "2310.06825", "10.1038/s41586-021-03819-2", "--tag", "later", "--queue"
    )
    assert (code, err) == (0, "")
    later = '(no network: connection refused; filled in by "readinglist refresh")'
    assert out.splitlines() == [
        f"pending 1: 2310.06825 {later}",
        f"pending 2: 10.1038/s41586-021-03819-2 {later}",
    ]
    first, second = rows(db)
    assert (first["title"], first["arxiv_id"], first["pending"]) == (
        "arXiv:2310.06825",
        "2310.06825",
        "arXiv:2310.06825",
    )
    assert (second["doi"], second["pending"], second["queue_position"]) == (
        "10.1038/s41586-021-03819-2",
        "doi:10.1038/s41586-021-03819-2",
        2,
    )
    # Its link works while it waits: `y` and `o` use the primary link.
    code, out, _ = run(capsys, db, "show", "1", "--json")
    assert json.loads(out)["primary_link"] == "https://arxiv.org/abs/2310.06825"
    assert run(capsys, db, "star", "2")[0] == 0
    code, out, _ = run(capsys, db, "show", "1")
    assert 'Pending: not looked up yet (arXiv:2310.06825); see "readinglist refresh"' in out.splitlines()

    code, out, _ = run(capsys, db, "refresh")  # still offline: nothing changes but the message
    assert code == 0 and out.startswith("still pending 1: arXiv:2310.06825 (no network")
    monkeypatch.setenv("READINGLIST_ARXIV_API", f"{web.base}/api/query")
    monkeypatch.setenv("READINGLIST_DOI_RESOLVER", f"{web.base}/doi/")
    code, out, _ = run(capsys, db, "refresh")
    assert code == 0
    assert out.splitlines() == [
        "filled in 1: Mistral 7B",
        "filled in 2: Highly accurate protein structure prediction with AlphaFold",
    ]
    first, second = rows(db)
    assert first["pending"] is None and first["abstract"].startswith("We introduce Mistral 7B")
    assert (second["pending"], second["year"], second["starred"], second["queue_position"]) == (
        None,
        2021,
        1,
        2,
    )
    code, out, _ = run(capsys, db, "search", "AlphaFold", "--json")
    assert [p["id"] for p in json.loads(out)] == [2]  # the full-text index saw the new title


def test_a_timeout_makes_the_paper_pending(
    web: FakeWeb, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    web.stall = 1.0
    web.plan("/api/query", Misbehave("timeout"))
    code, out, _ = run(capsys, db, "add", "2310.06825")
    assert code == 0
    assert out.startswith("pending 1: 2310.06825 (timed out after 0.5 s;")


def test_429_is_retried_after_retry_after(web: FakeWeb, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    web.plan("/api/query", Misbehave("status", 429, {"Retry-After": "1"}, b"slow down"))
    code, out, _ = run(capsys, db, "add", "2310.06825")
    assert (code, out) == (0, "added 1: Mistral 7B\n")
    first, second = [h.at for h in web.hits]
    assert second - first >= 1.0


def test_503_is_retried_with_backoff_then_given_up_as_pending(
    web: FakeWeb, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    web.plan("/doi/", Misbehave("status", 503))
    code, out, _ = run(capsys, db, "add", "10.5281/zenodo.7700000")
    assert (code, out) == (0, "added 1: RetrievalQA: a graded benchmark\n")
    web.plan("/doi/", *[Misbehave("status", 503, {"Retry-After": "0"})] * 3)
    code, out, _ = run(capsys, db, "add", "10.1038/s41586-021-03819-2")
    assert code == 0 and out.startswith("pending 2: 10.1038/s41586-021-03819-2 (server error 503;")
    assert len(web.paths("/doi/10.1038")) == 3  # one try and two retries


def test_a_body_cut_short_makes_the_paper_pending(
    web: FakeWeb, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    web.plan("/api/query", Misbehave("truncated", body=(DATA / "arxiv_feed.xml").read_bytes()[:900]))
    code, out, _ = run(capsys, db, "add", "2310.06825")
    assert code == 0 and out.startswith("pending 1: 2310.06825 (the answer was cut short;")


@pytest.mark.parametrize(
    ("path", "answer", "ref", "message"),
    [
        (
            "/doi/",
            Misbehave("status", 200, {"Content-Type": "text/html"}, b"<html><title>Error</title></html>"),
            "10.1038/s41586-021-03819-2",
            "10.1038/s41586-021-03819-2: 127.0.0.1:{port} answered with text/html, not CSL JSON",
        ),
        (
            "/doi/",
            Misbehave("status", 200, {"Content-Type": "application/json"}, b'{"title": "Half'),
            "10.1038/s41586-021-03819-2",
            "10.1038/s41586-021-03819-2: 127.0.0.1:{port} answered with broken JSON",
        ),
        (
            "/api/query",
            Misbehave("status", 200, {"Content-Type": "application/atom+xml"}, b"<html><body>Oops</body>"),
            "2310.06825",
            "2310.06825: arXiv: arXiv's answer: broken XML",
        ),
        (
            "/api/query",
            Misbehave(
                "status",
                400,
                {"Content-Type": "application/atom+xml"},
                (DATA / "arxiv_error.xml").read_bytes(),
            ),
            "2310.06825",
            "2310.06825: arXiv: arXiv API error: incorrect id format for 2401.999999",
        ),
        (
            "/papers/",
            Misbehave("status", 200, {"Content-Type": "application/json"}, b"{}"),
            "{base}/papers/dpo",
            "{base}/papers/dpo: 127.0.0.1:{port} answered with application/json, not a web page",
        ),
        (
            "/papers/",
            Misbehave("status", 403, {"Content-Type": "text/html"}, b"denied"),
            "{base}/papers/dpo",
            "{base}/papers/dpo: the server answered 403",
        ),
    ],
)
def test_a_malformed_answer_is_one_line_and_changes_nothing(
    web: FakeWeb,
    db: Path,
    capsys: pytest.CaptureFixture[str],
    path: str,
    answer: Misbehave,
    ref: str,
    message: str,
) -> None:
    assert run(capsys, db, "add", "--title", "Already here", "--tag", "keep")[0] == 0
    before = snapshot(db)
    web.plan(path, answer)
    port = web.base.rsplit(":", 1)[1]
    code, out, err = run(capsys, db, "add", ref.format(base=web.base))
    assert (code, out) == (1, "")
    assert len(err.splitlines()) == 1
    assert err.startswith("readinglist: " + message.format(base=web.base, port=port))
    assert snapshot(db) == before


def test_a_proxy_from_the_environment_carries_the_requests(
    web: FakeWeb, db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fake web acts as the proxy: it is asked for the whole URL of another host.
    monkeypatch.setenv("http_proxy", web.base)
    monkeypatch.setenv("READINGLIST_ARXIV_API", "http://export.arxiv.invalid/api/query")
    code, out, _ = run(capsys, db, "add", "2310.06825")
    assert (code, out) == (0, "added 1: Mistral 7B\n")
    assert web.paths("http://export.arxiv.invalid/api/query?id_list=2310.06825")


def test_a_batch_arxiv_refuses_for_one_id_is_asked_again_one_by_one(
    web: FakeWeb, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, db, "add", "2310.06825", "nosuch-archive/1234567")
    assert (code, out) == (1, "added 1: Mistral 7B\n")
    assert err.startswith("readinglist: nosuch-archive/1234567: arXiv API error: incorrect id format")
    assert web.paths("/api/query") == [
        "/api/query?id_list=2310.06825,nosuch-archive/1234567&max_results=2",
        "/api/query?id_list=2310.06825&max_results=1",
        "/api/query?id_list=nosuch-archive/1234567&max_results=1",
    ]


def test_a_server_asking_to_wait_too_long_leaves_the_paper_pending(
    web: FakeWeb, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    web.plan("/doi/", Misbehave("status", 429, {"Retry-After": "3600"}))
    code, out, _ = run(capsys, db, "add", "10.5281/zenodo.7700000")
    assert code == 0
    assert out.startswith(
        "pending 1: 10.5281/zenodo.7700000 (too many requests (429); the server asks to wait 3600 s;"
    )
    assert len(web.paths("/doi/")) == 1


def test_retry_after_as_an_http_date(web: FakeWeb, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from email.utils import formatdate

    web.plan("/doi/", Misbehave("status", 503, {"Retry-After": formatdate(time.time() + 1.5, usegmt=True)}))
    code, out, _ = run(capsys, db, "add", "10.5281/zenodo.7700000")
    assert (code, out) == (0, "added 1: RetrievalQA: a graded benchmark\n")
    first, second = [h.at for h in web.hits if h.path.startswith("/doi/")]
    assert second - first >= 0.4  # an HTTP date has whole seconds: between 0.5 and 1.5 s


def test_ctrl_c_keeps_the_papers_already_listed(web: FakeWeb, db: Path) -> None:
    import os
    import signal
    import subprocess
    import sys

    web.stall = 3.0
    web.plan("/doi/", Misbehave("timeout"))
    env = {**os.environ, "READINGLIST_HTTP_TIMEOUT": "10"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "readinglist",
            "--db",
            str(db),
            "add",
            "2310.06825",
            "10.1038/s41586-021-03819-2",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline() == "added 1: Mistral 7B\n"  # then it waits for the stalled DOI
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert err == "readinglist: interrupted; 1 stored, the other REFs not added\n"
    assert [r["title"] for r in rows(db)] == ["Mistral 7B"]

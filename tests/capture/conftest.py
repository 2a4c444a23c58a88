"""The fake web for capture tests, and the environment that points readinglist at it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from readinglist.cli import main
from tests.capture.fakeweb import FakeWeb, closed_port, serve

PROXY_VARS = ("http_proxy", "https_proxy", "no_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY")


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the fake web, every endpoint is a closed local port: no test can reach the network."""
    dead = f"http://127.0.0.1:{closed_port()}"
    monkeypatch.setenv("READINGLIST_ARXIV_API", f"{dead}/api/query")
    monkeypatch.setenv("READINGLIST_DOI_RESOLVER", f"{dead}/doi/")


@pytest.fixture
def web(no_network: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeWeb]:
    """A real HTTP server on 127.0.0.1; readinglist's endpoints point at it, with short timeouts."""
    for var in PROXY_VARS:
        monkeypatch.delenv(var, raising=False)
    for server in serve():
        monkeypatch.setenv("READINGLIST_ARXIV_API", f"{server.base}/api/query")
        monkeypatch.setenv("READINGLIST_DOI_RESOLVER", f"{server.base}/doi/")
        monkeypatch.setenv("READINGLIST_HTTP_TIMEOUT", "0.5")
        monkeypatch.setenv("READINGLIST_HTTP_BACKOFF", "0.05")
        monkeypatch.setenv("READINGLIST_ARXIV_INTERVAL", "0.2")
        yield server


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    """``readinglist --db DB ARGS…`` in this process: exit status, stdout, stderr."""
    try:
        code = main(["--db", str(db), *args])
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err

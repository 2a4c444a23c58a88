"""A real HTTP server on 127.0.0.1 serving recorded-shaped answers, and misbehaving on demand."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

DATA = Path(__file__).parent / "data"
ATOM = "application/atom+xml; charset=utf-8"
CSL = "application/vnd.citationstyles.csl+json"
_ENTRY = re.compile(r"  <entry>.*?</entry>\n", re.DOTALL)
# arXiv's archives for old-style ids (a few of them): any other is a malformed id to the API.
_ID_SHAPE = re.compile(r"^(?:\d{4}\.\d{4,5}|(?:hep-th|hep-ph|math|cs|cond-mat|astro-ph|quant-ph)/\d{7})$")
DOIS = {
    "10.1038/s41586-021-03819-2": "csl_crossref.json",
    "10.5281/zenodo.7700000": "csl_datacite_zenodo.json",
}
PAGES = {
    "/papers/dpo": "page_citation.html",
    "/papers/sparse": "page_dc.html",
    "/blog/how-we-trained": "page_og.html",
    "/notes/retrieval": "page_title.html",
    "/anthology/attention": "page_arxiv.html",
    "/nature/alphafold": "page_doi.html",
}


@dataclass
class Hit:
    """One request as the server saw it."""

    path: str
    at: float
    """``time.time()`` when it arrived."""
    headers: dict[str, str]


@dataclass
class Misbehave:
    """An answer given instead of the recorded one (consumed one request at a time)."""

    kind: str
    """``status``, ``timeout``, ``truncated``, ``body``."""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


class FakeWeb:
    """The server: arXiv's API at ``/api/query``, a DOI resolver at ``/doi/``, pages, a PDF."""

    def __init__(self) -> None:
        self.hits: list[Hit] = []
        self.plans: dict[str, list[Misbehave]] = {}
        self.stall = 2.0
        """How long a ``timeout`` answer keeps the client waiting."""
        web = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                web.handle(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def plan(self, prefix: str, *answers: Misbehave) -> None:
        """Answer the next requests whose path starts with ``prefix`` with ``answers``, in order."""
        self.plans.setdefault(prefix, []).extend(answers)

    def paths(self, prefix: str = "") -> list[str]:
        return [h.path for h in self.hits if h.path.startswith(prefix)]

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        path = request.path
        self.hits.append(Hit(path, time.time(), dict(request.headers.items())))
        for prefix, answers in self.plans.items():
            if path.startswith(prefix) and answers:
                self._misbehave(request, answers.pop(0))
                return
        parts = urlsplit(path)
        if parts.path == "/api/query":
            status, body = arxiv_answer(parse_qs(parts.query).get("id_list", [""])[0])
            self._send(request, status, ATOM, body)
        elif parts.path.startswith("/doi/"):
            doi = unquote(parts.path[len("/doi/") :]).lower()
            if doi not in DOIS:
                self._send(request, 404, "text/html", b"<html><body>DOI Not Found</body></html>")
            elif CSL not in request.headers.get("Accept", ""):
                self._send(
                    request, 200, "text/html", b"<html><head><title>Landing page</title></head></html>"
                )
            else:
                # doi.org redirects a negotiated request to the registration agency.
                request.send_response(302)
                request.send_header("Location", f"{self.base}/agency/{doi}")
                request.send_header("Content-Length", "0")
                request.end_headers()
        elif parts.path.startswith("/agency/"):
            doi = unquote(parts.path[len("/agency/") :]).lower()
            self._send(request, 200, CSL + "; charset=utf-8", (DATA / DOIS[doi]).read_bytes())
        elif parts.path in PAGES:
            self._send(request, 200, "text/html; charset=utf-8", (DATA / PAGES[parts.path]).read_bytes())
        elif parts.path.endswith(".pdf"):
            self._send(request, 200, "application/pdf", (DATA / "slides.pdf").read_bytes())
        else:
            self._send(request, 404, "text/html", b"<html>Not Found</html>")

    def _send(self, request: BaseHTTPRequestHandler, status: int, kind: str, body: bytes) -> None:
        request.send_response(status)
        request.send_header("Content-Type", kind)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    def _misbehave(self, request: BaseHTTPRequestHandler, answer: Misbehave) -> None:
        if answer.kind == "timeout":
            time.sleep(self.stall)
            return
        if answer.kind == "truncated":
            request.send_response(200)
            request.send_header("Content-Type", answer.headers.get("Content-Type", ATOM))
            request.send_header("Content-Length", str(len(answer.body) + 5000))
            request.end_headers()
            request.wfile.write(answer.body)
            request.wfile.flush()
            request.close_connection = True
            return
        request.send_response(answer.status)
        for name, value in answer.headers.items():
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(answer.body)))
        request.end_headers()
        request.wfile.write(answer.body)


def arxiv_answer(id_list: str) -> tuple[int, bytes]:
    """What arXiv answers for ``id_list``: the known entries, an empty feed, or the error feed."""
    ids = [i for i in id_list.split(",") if i]
    if any(not _ID_SHAPE.match(i) for i in ids):
        return 400, (DATA / "arxiv_error.xml").read_bytes()
    feed = (DATA / "arxiv_feed.xml").read_text(encoding="utf-8")
    kept = [e for e in _ENTRY.findall(feed) if any(f"/abs/{i}v" in e for i in ids)]
    if not kept:
        return 200, (DATA / "arxiv_empty.xml").read_bytes()
    head = feed[: feed.index("  <entry>")]
    return 200, (head + "".join(kept) + "</feed>\n").encode("utf-8")


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve() -> Iterator[FakeWeb]:
    web = FakeWeb()
    try:
        yield web
    finally:
        web.close()

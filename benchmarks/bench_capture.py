"""``readinglist add`` against a local arXiv-shaped server: what capture itself costs.

A small HTTP server on 127.0.0.1 answers ``/api/query?id_list=…`` with one
generated Atom entry per id, at once, so the figures are readinglist's own work
(start-up, one batched request, reading the feed, storing each paper through the
import pipeline), not the network's or arXiv's. The arXiv interval is set to 0
for the batched runs and left at its real 3 s for the pace run (two commands in
a row: the second waits for its slot). Also the import cost capture adds to the
app's start-up (``python -X importtime``)::

    .venv/bin/python benchmarks/bench_capture.py
    .venv/bin/python benchmarks/bench_capture.py --sizes 1 10 100 --runs 5
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ENTRY = """  <entry>
    <id>http://arxiv.org/abs/{id}v2</id>
    <title>{title}</title>
    <updated>2024-01-02T00:00:00Z</updated>
    <link href="https://arxiv.org/abs/{id}v2" rel="alternate" type="text/html"/>
    <summary>An abstract of a few sentences about paper {n}. It has $x^2$ in it and a link
https://github.com/example/repo{n} to code.</summary>
    <published>2024-01-01T00:00:00Z</published>
    <author><name>Ada Author{n}</name></author>
    <author><name>Bo Writer</name></author>
  </entry>
"""
HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'


WORDS = "sparse dense retrieval attention graph diffusion token routing memory agent proof kernel".split()


def title(n: int) -> str:
    """A distinct title per paper (near-duplicate titles would only add warnings)."""
    picked = [WORDS[(n * 7 + k * 5 + n // (k + 1)) % len(WORDS)] for k in range(5)]
    return f"{' '.join(picked).capitalize()} {n * 7919 % 10007}"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        ids = parse_qs(urlsplit(self.path).query).get("id_list", [""])[0].split(",")
        entries = "".join(ENTRY.format(id=i, n=n, title=title(n)) for n, i in enumerate(ids))
        body = (HEAD + entries + "</feed>\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/atom+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    env = {**os.environ, "READINGLIST_ARXIV_API": f"{base}/api/query", "READINGLIST_ARXIV_INTERVAL": "0"}
    env.pop("http_proxy", None)
    print(f"python {platform.python_version()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    print("| ids in one `add` | whole command (median) | per paper |")
    print("| --- | --- | --- |")
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            times = []
            for run in range(args.runs):
                db = Path(folder) / f"lib-{size}-{run}.db"
                subprocess.run(
                    [sys.executable, "-m", "readinglist", "--db", str(db), "stats"],
                    env=env,
                    check=True,
                    capture_output=True,
                )  # created and upgraded outside the timing
                ids = [f"2401.{10000 + i:05d}" for i in range(size)]
                start = time.perf_counter()
                done = subprocess.run(
                    [sys.executable, "-m", "readinglist", "--db", str(db), "add", *ids],
                    env=env,
                    capture_output=True,
                    text=True,
                )
                times.append(time.perf_counter() - start)
                assert done.returncode == 0 and done.stdout.count("added") == size, done.stderr
            median = statistics.median(times)
            print(f"| {size} | {median * 1000:.0f} ms | {median * 1000 / size:.1f} ms |")
        db = Path(folder) / "pace.db"
        paced = {**env, "READINGLIST_ARXIV_INTERVAL": "3"}
        start = time.perf_counter()
        for ref in ("2401.00001", "2401.00002"):
            subprocess.run(
                [sys.executable, "-m", "readinglist", "--db", str(db), "add", ref],
                env=paced,
                check=True,
                capture_output=True,
            )
        print(
            f"\ntwo `add` commands in a row with the real 3 s interval: {time.perf_counter() - start:.2f} s"
        )
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import readinglist.ui.app"],
        capture_output=True,
        text=True,
    ).stderr
    own = sum(int(m.group(1)) for m in re.finditer(r"\|\s+(\d+) \| +readinglist\.core\.capture", out) if True)
    print(f"capture modules loaded with the app (self time): {own / 1000:.1f} ms")
    server.shutdown()


if __name__ == "__main__":
    main()

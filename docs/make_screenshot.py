"""Write ``docs/screenshot.svg``: the real app, headless, on the bundled sample library.

Run it again whenever the app's look changes, and commit the SVG with the change::

    .venv/bin/python docs/make_screenshot.py            # writes docs/screenshot.svg
    .venv/bin/python docs/make_screenshot.py -o /tmp/x.svg --size 100x30

The library is a fresh temporary file holding the sample, with a few papers
starred, tagged, queued and annotated so the screenshot shows what those look
like; the user's library and config are never read (both are pointed at the
temporary folder before anything is imported).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUERY = "retrieval"


def _prepare(db: Path) -> None:
    """The sample, with marks on a few of the query's matches (stars, tags, the queue, read, a note)."""
    from readinglist.core.models import Status
    from readinglist.core.sample import seed_if_new
    from readinglist.core.store import Library

    with Library(db, keep_backups=0) as lib:
        seed_if_new(lib)
        by_title = {paper.title.split(":")[0]: paper.id for paper in lib.papers()}
        replug, dsp = by_title["REPLUG"], by_title["Demonstrate-Search-Predict"]
        lib.set_starred(replug, True)
        lib.tag(replug, ["rag", "survey"])
        lib.set_note(replug, "# Why\n\nThe baseline for the RAG section: retrieval as a black-box add-on.")
        lib.queue_add(dsp)
        lib.tag(dsp, ["rag"])
        lib.queue_add(by_title["Neuro-Symbolic Language Modeling with Automaton-augmented Retrieval"])
        lib.set_status(by_title["Condenser"], Status.READ)
        lib.tag(by_title["KNN-LM Does Not Improve Open-ended Text Generation"], ["knn-lm"])


async def _shoot(db: Path, out: Path, size: tuple[int, int]) -> None:
    from textual.widgets import Input

    from readinglist.config import Settings
    from readinglist.ui.app import make_app

    app = make_app(db, Settings(), system_copy=lambda _text: False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("slash")
        app.screen.query_one("#search", Input).value = QUERY
        # The search runs in a worker and its count a moment later: wait for both.
        for _ in range(3):
            await pilot.pause(0.2)
            await app.workers.wait_for_complete()
        await pilot.press("enter")  # to the list: the best match, REPLUG, is highlighted
        await pilot.pause(0.2)
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.save_screenshot(filename=out.name, path=str(out.parent))


def main(argv: list[str] | None = None) -> int:
    """Write the screenshot and print its path."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=HERE / "screenshot.svg")
    parser.add_argument("--size", default="120x30", help="terminal columns x rows (default 120x30)")
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.lower().split("x"))
    out: Path = args.output.resolve()
    saved = {name: os.environ.get(name) for name in ("READINGLIST_DB", "READINGLIST_CONFIG")}
    with tempfile.TemporaryDirectory(prefix="readinglist-shot-") as tmp:
        # Never the user's library or config, and the same theme for everyone.
        os.environ["READINGLIST_DB"] = str(Path(tmp) / "library.db")
        os.environ["READINGLIST_CONFIG"] = str(Path(tmp) / "config.toml")
        try:
            db = Path(tmp) / "library.db"
            _prepare(db)
            asyncio.run(_shoot(db, out, (width, height)))
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

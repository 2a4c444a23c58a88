"""``readinglist add`` and ``readinglist refresh``: capture from the command line.

The capture modules (and ``urllib``) load only when one of these commands runs.
"""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING

from readinglist import paths
from readinglist.cli_common import UsageError
from readinglist.core.errors import ReadingListError
from readinglist.core.models import paper_to_dict
from readinglist.core.safe_text import json_visible, visible
from readinglist.core.store import Library

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from readinglist.core.capture.add import Outcome
    from readinglist.core.capture.settings import CaptureSettings


def _settings() -> CaptureSettings:
    from readinglist.config import load_settings
    from readinglist.core.capture.settings import capture_settings

    config = load_settings(paths.config_path())
    try:
        return capture_settings(config.capture, os.environ)
    except ValueError as exc:
        raise ReadingListError(str(exc)) from None


def _printer(as_json: bool) -> tuple[list[Outcome], Callable[[Outcome], None]]:
    shown: list[Outcome] = []

    def report(outcome: Outcome) -> None:
        shown.append(outcome)
        if outcome.kind == "error":
            print(f"readinglist: {outcome.line}", file=sys.stderr)
        elif not as_json:
            print(outcome.line, flush=True)
        for note in outcome.notes:
            print(f"readinglist: {visible(note)}", file=sys.stderr)

    return shown, report


def _finish(outcomes: list[Outcome], as_json: bool) -> int:
    if as_json:
        papers = []
        for outcome in outcomes:
            if outcome.paper is not None:
                data = paper_to_dict(outcome.paper)
                data["pending"] = outcome.paper.pending is not None
                papers.append(data)
        print(json_visible(json.dumps(papers, ensure_ascii=False, indent=2)))
    return 1 if any(o.kind == "error" for o in outcomes) else 0


def cmd_add(args: argparse.Namespace, library: Library) -> int:
    """``readinglist add``: references, ``-`` (standard input) or a paper typed by hand."""
    from readinglist.core.capture import add
    from readinglist.core.capture.refs import is_bibtex

    options = add.Options(list(args.tag), args.queue, args.star, args.note, args.refresh)
    manual = [args.author, args.year, args.url, args.abstract]
    if args.title is None and any(manual):
        raise UsageError("--author, --year, --url and --abstract go with --title")
    shown, report = _printer(args.json)
    if args.title is not None:
        if args.refs:
            raise UsageError("give REFs or --title, not both")
        from readinglist.core.models import PaperDraft

        title = " ".join(args.title.split())
        if not title:
            raise UsageError("--title must not be empty")
        draft = PaperDraft(
            title=title,
            authors=tuple(a.strip() for a in args.author if a.strip()),
            year=args.year,
            url=args.url,
            abstract=args.abstract or "",
            source="typed in (readinglist add)",
        )
        report(add.add_manual(library, draft, options))
        return _finish(shown, args.json)
    texts: list[str] = []
    for ref in args.refs:
        if ref != "-":
            texts.append(ref)
            continue
        text = _stdin()
        if is_bibtex(text):
            for outcome in add.add_bibtex(library, text, options):
                report(outcome)
            continue
        texts.extend(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))
    if not texts and not shown:
        if not args.refs:
            raise UsageError("add needs a REF (an arXiv id, a DOI or a URL), '-' or --title")
        return _finish(shown, args.json)
    if texts:
        try:
            add.add_refs(library, texts, options, _settings(), report=report)
        except KeyboardInterrupt:
            # Each REF is its own transaction: those already listed are stored, the rest are not.
            done = sum(o.paper is not None for o in shown)
            print(f"readinglist: interrupted; {done} stored, the other REFs not added", file=sys.stderr)
            return 130
    return _finish(shown, args.json)


def _stdin() -> str:
    try:
        return sys.stdin.read()
    except UnicodeDecodeError:
        raise ReadingListError("standard input is not UTF-8 text; nothing added") from None


def cmd_refresh(args: argparse.Namespace, library: Library) -> int:
    """``readinglist refresh``: fill in pending papers; ``--updates`` asks arXiv what is new."""
    from readinglist.core.capture.refresh import refresh

    shown, report = _printer(args.json)
    refresh(library, args.ids or None, _settings(), updates=args.updates, report=report)
    if not shown and not args.json:
        print("nothing pending" if not args.updates else "no arXiv papers to check", file=sys.stderr)
    return _finish(shown, args.json)

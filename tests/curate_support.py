"""Helpers for the curate tests: a small real library and a scripted editor ($EDITOR)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from readinglist.core.models import PaperDraft
from readinglist.core.store import Library
from tests.helpers import add_paper

EDITOR_SCRIPT = r"""
import json, pathlib, sys
here = pathlib.Path(sys.argv[0]).parent
plan_file = here / "plan.json"
steps = json.loads(plan_file.read_text())
step = steps.pop(0)
plan_file.write_text(json.dumps(steps))
path = pathlib.Path(sys.argv[-1])
text = path.read_text(encoding="utf-8")
with (here / "seen.log").open("a", encoding="utf-8") as log:
    log.write(json.dumps(text) + "\n")
if step is not None:  # None: quit without saving
    for old, new in step:
        assert old in text, (old, text)
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
"""


class ScriptedEditor:
    """A real editor process (a Python script) that makes planned replacements, one plan per opening."""

    def __init__(self, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Write the script into ``folder`` and make it ``$EDITOR`` (``$VISUAL`` unset)."""
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        script = folder / "editor.py"
        script.write_text(EDITOR_SCRIPT, encoding="utf-8")
        monkeypatch.delenv("VISUAL", raising=False)
        monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")

    def plan(self, *steps: list[tuple[str, str]] | None) -> None:
        """What each opening does: a list of (old, new) replacements, or None to quit without saving."""
        (self.folder / "plan.json").write_text(json.dumps(list(steps)))
        (self.folder / "seen.log").write_text("")

    def seen(self) -> list[str]:
        """The documents the editor was opened on, in order."""
        lines = (self.folder / "seen.log").read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines]

    def left(self) -> int:
        """How many planned openings did not happen."""
        return len(json.loads((self.folder / "plan.json").read_text()))


PAPERS = [
    PaperDraft(
        "Retrieval-Augmented Generation",
        "We combine retrieval with generation.",
        ("Patrick Lewis", "Ethan Perez"),
        2020,
        tags=("rag", "nlp"),
        venue="NeurIPS",
        key="lewis2020rag",
    ),
    PaperDraft("Attention Is All You Need", "Transformers.", ("Ashish Vaswani",), 2017, tags=("nlp",)),
    PaperDraft("Deep Reinforcement Learning", "Atari.", ("Volodymyr Mnih",), 2013, tags=("ml/rl",)),
    PaperDraft("Old Survey", "A survey.", ("Ann Old",), 2001, tags=("rag", "survey")),
]


def fill(library: Library) -> list[int]:
    """Add :data:`PAPERS` and return their ids."""
    return [add_paper(library, draft) for draft in PAPERS]


def dump(path: Path) -> list[str]:
    """The whole library file as SQL, to show that nothing changed."""
    with Library(path) as lib:
        return list(lib.conn.iterdump())

"""The README stays short, and its test command is the one `.ci/run` runs."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def fenced_after(heading: str) -> str:
    """The first fenced block under ``## heading``."""
    match = re.search(rf"^## {re.escape(heading)}\n.*?^```\w*\n(.*?)^```", README, re.MULTILINE | re.DOTALL)
    assert match, f"README.md has no fenced block under '## {heading}'"
    return match.group(1).strip()


def without_quiet(words: list[str]) -> list[str]:
    return [w for w in words if w != "-q"]


def test_the_readme_is_short() -> None:
    lines = README.count("\n")
    assert lines <= 250, f"README.md has {lines} lines; the rest belongs in docs/"


def test_ci_runs_the_readmes_install_and_test_command() -> None:
    venv, install, test = (shlex.split(part) for part in fenced_after("Install and test").split("&&"))
    ci_lines = [shlex.split(line, comments=True) for line in CI.splitlines()]
    ci_commands = [words for line in ci_lines for words in _split_and(line)]
    assert venv in ci_commands, f".ci/run does not make the virtualenv as the README does: {venv}"
    assert any(without_quiet(c) == without_quiet(install) for c in ci_commands), (
        f".ci/run does not install as the README does: {install}"
    )
    pytest_runs = [c for c in ci_commands if c and c[0] == test[0]]
    assert pytest_runs, f".ci/run does not run {test[0]}"
    # CI may add options of its own (-p no:cacheprovider), never drop the README's (markers, paths).
    # One of CI's pytest runs is the README's (CI runs the UI and slow tests after it).
    assert any(set(test[1:]) <= set(run[1:]) for run in pytest_runs), (
        f".ci/run runs {pytest_runs}, none with all of the README's options {test[1:]}"
    )


def test_the_run_command_installs_and_starts_the_app() -> None:
    command = fenced_after("Install and run")
    assert command.startswith("python3 -m venv .venv && .venv/bin/pip install . && ")
    assert command.endswith(".venv/bin/readinglist")


def _split_and(words: list[str]) -> list[list[str]]:
    """``a && b`` -> [[a], [b]]; ``echo "== x"; cmd`` keeps only the commands."""
    commands: list[list[str]] = [[]]
    for word in words:
        if word == "&&":
            commands.append([])
        elif word.endswith(";"):
            commands[-1].append(word[:-1])
            commands.append([])
        else:
            commands[-1].append(word)
    return [c for c in commands if c and c[0] != "echo"]


def test_contributing_shows_the_same_test_command() -> None:
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    command = fenced_after("Install and test")
    assert command in contributing, f"CONTRIBUTING.md should show the README's test command: {command}"

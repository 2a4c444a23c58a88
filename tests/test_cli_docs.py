"""Every command and option of the CLI is documented in docs/cli.md (as sqlite-utils checks its docs).

The parser is walked, not listed here, so a new command or option fails this
test until its documentation is written.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from readinglist.cli_parser import build_parser

CLI_DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"
HEADING = re.compile(r"^### (.+)$", re.MULTILINE)


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Each subcommand's name and its parser."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def documented_sections() -> dict[str, str]:
    """Command name -> the text of its section (a heading naming `readinglist NAME`)."""
    text = CLI_DOC.read_text(encoding="utf-8")
    heads = list(HEADING.finditer(text))
    sections: dict[str, str] = {}
    for i, head in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        for name in re.findall(r"`readinglist ([a-z][a-z-]*)`", head.group(1)):
            sections[name] = text[head.start() : end]
    return sections


def mentioned(option: str, text: str) -> bool:
    """Whether ``option`` appears in code in ``text``: `--limit`, `--limit N`, `-o FILE`."""
    return re.search(rf"`{re.escape(option)}(?![\w-])[^`]*`", text) is not None


def option_strings(parser: argparse.ArgumentParser) -> list[str]:
    """The options of ``parser``, without -h/--help, which every command has."""
    return [
        opt
        for action in parser._actions
        if not isinstance(action, argparse._HelpAction)
        for opt in action.option_strings
    ]


PARSER = build_parser()
COMMANDS = subcommands(PARSER)


def test_the_walk_finds_the_commands_and_their_options() -> None:
    """The walk itself works: it sees known commands and options (so the tests below can fail)."""
    assert {"import", "export", "search", "queue"} <= set(COMMANDS)
    assert "--dry-run" in option_strings(COMMANDS["import"])
    assert mentioned("--limit", "`--limit N`") and not mentioned("--lim", "`--limit N`")


def test_the_top_level_options_are_documented() -> None:
    text = CLI_DOC.read_text(encoding="utf-8")
    missing = [opt for opt in option_strings(PARSER) if not mentioned(opt, text)]
    assert not missing, f"docs/cli.md does not mention the top-level option(s) {missing}"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_a_section_with_every_option(name: str) -> None:
    sections = documented_sections()
    assert name in sections, (
        f"docs/cli.md has no section for the command `readinglist {name}`: "
        f"add a heading '### `readinglist {name}`' that says what it does"
    )
    section = sections[name]
    parser = COMMANDS[name]
    # Options every command shares with the top level (--db) are documented once, at the top.
    own = [opt for opt in option_strings(parser) if opt not in option_strings(PARSER)]
    missing = [opt for opt in own if not mentioned(opt, section)]
    assert not missing, f"docs/cli.md's section for `readinglist {name}` does not mention option(s) {missing}"
    # Positional choices are commands in all but name (`queue add`, `status read`).
    choices = [
        str(choice)
        for action in parser._actions
        if not action.option_strings and action.choices
        for choice in action.choices
    ]
    missing = [c for c in choices if not re.search(rf"\b{re.escape(c)}\b", section)]
    assert not missing, f"docs/cli.md's section for `readinglist {name}` does not mention choice(s) {missing}"


def test_the_command_table_lists_every_command() -> None:
    text = CLI_DOC.read_text(encoding="utf-8")
    table = text[text.index("## Commands") : text.index("### ")]
    missing = [name for name in COMMANDS if f"`{name}`" not in table]
    assert not missing, f"the table under '## Commands' in docs/cli.md does not list {missing}"

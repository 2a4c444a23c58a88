"""The core never imports the UI: checked at runtime, where the static graph cannot see."""

from __future__ import annotations

import subprocess
import sys

import pytest

UI_MODULES = ("textual", "rich", "pyperclip", "readinglist.ui")


@pytest.mark.parametrize(
    "module",
    [
        "readinglist.core",
        "readinglist.core.store",
        "readinglist.core.importing",
        "readinglist.core.search",
        "readinglist.core.links",
        "readinglist.core.formats",
        "readinglist.paths",
        "readinglist.cli",
        "readinglist.cli_parser",
        "readinglist.cli_quick",
        "readinglist.entry",
    ],
)
def test_core_module_loads_no_ui(module: str) -> None:
    code = (
        f"import sys, importlib; importlib.import_module({module!r})\n"
        "from readinglist.core.formats import formats; formats()\n"
        f"ui = {UI_MODULES!r}\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ui or m.startswith('readinglist.ui')]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr

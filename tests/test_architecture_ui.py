"""The UI stays out of the core: checked at runtime, where import-linter cannot see."""

from __future__ import annotations

import subprocess
import sys


def test_core_config_and_cli_do_not_load_textual() -> None:
    code = (
        "import sys, readinglist.cli, readinglist.config, readinglist.core.cite, readinglist.core.search;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'pyperclip')"
        " or m.startswith('readinglist.ui'));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ui_modules_stay_small() -> None:
    from pathlib import Path

    import readinglist.ui

    for path in Path(readinglist.ui.__file__).parent.rglob("*.py"):
        lines = path.read_text(encoding="utf-8").count("\n")
        assert lines < 400, f"{path} has {lines} lines"

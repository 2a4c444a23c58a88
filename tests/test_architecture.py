"""The layout rules, checked in one place.

- The core (the import-linter contract's source modules in ``pyproject.toml``)
  never loads the UI, Textual, Rich or pyperclip, not even indirectly at run
  time, where the static import graph cannot see (a deferred import, a registry
  loading its plugins).
- No module anywhere in ``readinglist/`` is over ~400 lines.
- All CSS lives in ``styles/*.tcss``, none in Python.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "readinglist"
UI_MODULES = ("textual", "rich", "pyperclip", "readinglist.ui")
MAX_LINES = 400


def _core_modules() -> list[str]:
    """Every module of the contract's source packages, as dotted names."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = (
        c for c in config["tool"]["importlinter"]["contracts"] if "readinglist.ui" in c["forbidden_modules"]
    )
    names: list[str] = []
    for source in contract["source_modules"]:
        path = ROOT / Path(*source.split("."))
        if path.is_dir():
            for file in sorted(path.rglob("*.py")):
                parts = file.relative_to(ROOT).with_suffix("").parts
                names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
        else:
            names.append(source)
    return names


def test_the_core_never_loads_the_ui() -> None:
    modules = _core_modules()
    assert "readinglist.core.store" in modules and "readinglist.cli" in modules
    # One fresh interpreter imports the modules one by one and notes which UI
    # modules each newly loaded, so a failure names the culprit. Then it does
    # what a CLI run does that a plain import does not: load every format
    # plugin and print the version.
    code = f"""
import contextlib, importlib, io, json, sys
ui = {UI_MODULES!r}
def loaded_ui():
    return {{m for m in sys.modules if m.split('.')[0] in ui or m.startswith('readinglist.ui')}}
culprits = {{}}
for name in {modules!r}:
    before = loaded_ui()
    importlib.import_module(name)
    if loaded_ui() - before:
        culprits[name] = sorted(loaded_ui() - before)
from readinglist.core.formats import formats
from readinglist.cli import main
before = loaded_ui()
formats()
with contextlib.redirect_stdout(io.StringIO()) as version, contextlib.suppress(SystemExit):
    main(['--version'])
if loaded_ui() - before:
    culprits['formats() and --version'] = sorted(loaded_ui() - before)
print(json.dumps({{'culprits': culprits, 'version': version.getvalue()}}))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["culprits"] == {}
    assert outcome["version"].startswith("readinglist ")


def test_no_module_is_over_400_lines() -> None:
    sizes = {
        path.relative_to(PACKAGE).as_posix(): path.read_text(encoding="utf-8").count("\n")
        for path in PACKAGE.rglob("*.py")
    }
    assert "ui/app.py" in sizes and "cli.py" in sizes  # the walk sees the whole package

    over = {name: lines for name, lines in sizes.items() if lines > MAX_LINES}
    assert over == {}, f"split these modules: {over}"


def test_css_lives_in_the_stylesheets() -> None:
    inline = [
        path.relative_to(ROOT).as_posix()
        for path in PACKAGE.rglob("*.py")
        if "DEFAULT_CSS" in (text := path.read_text(encoding="utf-8")) or "\n    CSS = " in text
    ]
    assert inline == []
    assert list((ROOT / "styles").glob("*.tcss")), "the stylesheets are missing"

"""docs/make_screenshot.py runs and writes an SVG of the real app on the sample library."""

from __future__ import annotations

import importlib.util
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "docs" / "make_screenshot.py"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_screenshot", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_script_writes_an_svg_of_the_app(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "shot.svg"
    assert load_script().main(["-o", str(out), "--size", "100x24"]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    root = ET.parse(out).getroot()
    assert root.tag.endswith("svg")
    text = out.read_text(encoding="utf-8")
    # Rich writes each cell's text with spaces as &#160;: what the app showed is in there.
    shown = text.replace("&#160;", " ")
    assert "retrieval" in shown and "REPLUG" in shown
    assert '17 match "retrieval"' in shown.replace("&quot;", '"')


def test_the_committed_screenshot_is_an_svg() -> None:
    root = ET.parse(SCRIPT.parent / "screenshot.svg").getroot()
    assert root.tag.endswith("svg")

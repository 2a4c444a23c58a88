"""The wheel carries the sample library and the stylesheets."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_sample_and_styles(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    [wheel] = tmp_path.glob("readinglist-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "readinglist/data/hf-papers-seed.txt" in names
    styles = {n for n in names if n.startswith("readinglist/styles/") and n.endswith(".tcss")}
    assert {Path(n).name for n in styles} == {p.name for p in (ROOT / "styles").glob("*.tcss")}
    assert not any(n.startswith(("tests/", "benchmarks/")) for n in names)

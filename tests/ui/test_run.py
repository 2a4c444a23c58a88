"""Starting the app (``ui.app.run``): errors before the first frame, and the frame rate."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_run_reports_a_bad_config_and_exits_1(
    tmp_path: Path, isolated_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from readinglist.ui.app import run

    config = isolated_env / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('theme = "nord"\n[keymap\n', encoding="utf-8")
    assert run(tmp_path / "lib.db") == 1
    err = capsys.readouterr().err
    assert err.startswith(f"readinglist: {config}:2:") and err.count("\n") == 1
    assert not (tmp_path / "lib.db").exists()


def test_run_reports_a_file_that_is_not_a_library(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from readinglist.ui.app import run

    bad = tmp_path / "notes.txt"
    bad.write_text("just some text, not SQLite\n" * 100, encoding="utf-8")
    assert run(bad) == 1
    assert "not a readinglist library" in capsys.readouterr().err
    assert bad.read_text(encoding="utf-8") == "just some text, not SQLite\n" * 100


@pytest.mark.parametrize(("env", "fps"), [(None, "240"), ("30", "30")])
def test_frame_rate_is_set_before_textual_loads(env: str | None, fps: str) -> None:
    import os
    import subprocess
    import sys

    environ = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"}
    if env is not None:
        environ["TEXTUAL_FPS"] = env  # the user's own setting wins
    code = "import readinglist.ui.app, textual.constants as c; print(c.MAX_FPS)"
    out = subprocess.run(
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == fps

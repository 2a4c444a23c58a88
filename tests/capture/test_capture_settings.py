"""The ``[capture]`` table of config.toml and the environment variables that win over it."""

from __future__ import annotations

from pathlib import Path

import pytest

from readinglist.config import ConfigError, load_settings
from readinglist.core.capture.settings import capture_settings


def test_config_keys_and_the_environment_over_them(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[capture]\narxiv_api = "https://mirror.example/api/query"\nrefresh_at_start = false\n',
        encoding="utf-8",
    )
    settings = load_settings(path)
    assert settings.capture == {"arxiv_api": "https://mirror.example/api/query", "refresh_at_start": False}
    from_file = capture_settings(settings.capture, {})
    assert (from_file.arxiv_api, from_file.doi_resolver) == (
        "https://mirror.example/api/query",
        "https://doi.org/",
    )
    env = {"READINGLIST_ARXIV_API": "http://127.0.0.1:9/q", "READINGLIST_HTTP_TIMEOUT": "2.5"}
    from_env = capture_settings(settings.capture, env)
    assert (from_env.arxiv_api, from_env.timeout) == ("http://127.0.0.1:9/q", 2.5)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[capture]\narxiv = "https://x"\n', "config.toml:2: unknown capture setting 'arxiv'"),
        (
            '[capture]\ndoi_resolver = "doi.org"\n',
            "config.toml:2: capture doi_resolver must be an http(s) URL",
        ),
        (
            "[capture]\nrefresh_at_start = 1\n",
            "config.toml:2: capture refresh_at_start must be true or false",
        ),
        ('capture = "on"\n', "config.toml:1: capture must be a table"),
    ],
)
def test_bad_capture_settings_name_the_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert str(caught.value) == f"{tmp_path}/{message}"

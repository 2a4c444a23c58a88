"""Reading config.toml and writing a chosen theme back into it."""

from __future__ import annotations

from pathlib import Path

import pytest

from readinglist.config import ConfigError, Settings, load_settings, save_theme


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "none.toml") == Settings(path=tmp_path / "none.toml")


def test_theme_and_keymap_are_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord"\n[keymap]\nstar = "x"\ncursor-down = "j,ctrl+n"\n', encoding="utf-8")
    settings = load_settings(path)
    assert settings.theme == "nord"
    assert settings.keymap == {"star": "x", "cursor-down": "j,ctrl+n"}


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        ('theme = "nord"\n[keymap\nstar = "x"\n', ":2:", "Expected ']'"),
        ('theme = "nord"\ncolour = "red"\n', ":2:", "unknown setting 'colour'"),
        ("theme = 3\n", ":1:", "theme must be a string"),
        ('\n[keymap]\nstar = ""\n', ":3:", "keymap 'star' must be a non-empty key string"),
        ('keymap = "x"\n', ":1:", "keymap must be a table"),
    ],
)
def test_bad_config_names_file_and_line(tmp_path: Path, text: str, where: str, what: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    message = str(err.value)
    assert message.startswith(f"{path}{where}")
    assert what in message
    assert "\n" not in message


def test_save_theme_keeps_comments_and_tables(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('# mine\ntheme = "nord"\n\n[keymap]\nstar = "x"  # my key\n', encoding="utf-8")
    save_theme(path, "gruvbox")
    assert path.read_text(encoding="utf-8") == '# mine\ntheme = "gruvbox"\n\n[keymap]\nstar = "x"  # my key\n'


def test_save_theme_adds_the_line_above_the_first_table(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[keymap]\ntheme = "not-this-one"\n', encoding="utf-8")
    save_theme(path, "dracula")
    settings = load_settings(path)
    assert settings.theme == "dracula"
    assert settings.keymap == {"theme": "not-this-one"}


def test_save_theme_creates_the_file_and_folder(tmp_path: Path) -> None:
    path = tmp_path / "new" / "config.toml"
    save_theme(path, "nord")
    assert load_settings(path).theme == "nord"

"""The user's settings: a small TOML file read with the standard library.

```toml
theme = "nord"

[keymap]
star = "x"            # binding id = key(s), comma-separated
cursor-down = "j,down,ctrl+n"

[backups]
keep = 5              # automatic backups kept in backups/ beside the library; 0 turns them off

[capture]             # `readinglist add` (docs/capture.md); the environment variables win
arxiv_api = "https://export.arxiv.org/api/query"
doi_resolver = "https://doi.org/"
refresh_at_start = true   # the app fills in pending papers when it starts

[copy]
select_dialog = true  # false: never open the select-by-hand dialog when no clipboard confirmed a copy
```

No Textual import here: the CLI and the core may read settings cheaply.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from readinglist.core.errors import ReadingListError

_KNOWN_KEYS = {"theme", "keymap", "backups", "capture", "copy"}
_BACKUP_KEYS = {"keep"}
_COPY_KEYS = {"select_dialog"}
DEFAULT_BACKUPS_KEEP = 5
_THEME_LINE = re.compile(r"^\s*theme\s*=.*$", re.MULTILINE)
_FIRST_TABLE = re.compile(r"^\s*\[", re.MULTILINE)


class ConfigError(ReadingListError):
    """The config file cannot be read or holds a bad value."""


@dataclass(frozen=True)
class Settings:
    """What the user chose in ``config.toml``."""

    theme: str | None = None
    """A Textual theme name; None keeps Textual's default."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id -> key string (comma-separated keys allowed)."""
    backups_keep: int = DEFAULT_BACKUPS_KEEP
    """Automatic backups to keep (``[backups] keep``); 0 makes none."""
    path: Path | None = None
    """Where the settings came from and where a chosen theme is written back."""
    capture: dict[str, str | bool] = field(default_factory=dict)
    """The ``[capture]`` table (endpoints, ``refresh_at_start``), checked by :func:`_capture`."""
    copy_select_dialog: bool = True
    """Open the select-by-hand dialog when no clipboard confirmed a copy (``[copy] select_dialog``)."""


def load_settings(path: Path) -> Settings:
    """Read settings from ``path``; a missing file gives the defaults.

    Raises:
        ConfigError: with ``path:line`` when the TOML is malformed, or when a
            key or value is not one we know.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings(path=path)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message ends with "(at line N, column M)": move the place up front.
        match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        where = f"{path}:{match.group(1)}" if match else str(path)
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ConfigError(f"{where}: {reason}") from None
    unknown = sorted(set(data) - _KNOWN_KEYS)
    if unknown:
        raise ConfigError(f"{path}:{_line_of(text, unknown[0])}: unknown setting {unknown[0]!r}")
    theme = data.get("theme")
    if theme is not None and not isinstance(theme, str):
        raise ConfigError(f"{path}:{_line_of(text, 'theme')}: theme must be a string")
    keymap = data.get("keymap", {})
    if not isinstance(keymap, dict):
        raise ConfigError(f"{path}:{_line_of(text, 'keymap')}: keymap must be a table")
    for binding_id, keys in keymap.items():
        if not isinstance(keys, str) or not keys.strip():
            line = _line_of(text, binding_id)
            raise ConfigError(f"{path}:{line}: keymap {binding_id!r} must be a non-empty key string")
    keep = _backups_keep(path, text, data.get("backups", {}))
    capture = _capture(path, text, data.get("capture", {}))
    select_dialog = _copy_select_dialog(path, text, data.get("copy", {}))
    return Settings(
        theme=theme,
        keymap=dict(keymap),
        backups_keep=keep,
        path=path,
        capture=capture,
        copy_select_dialog=select_dialog,
    )


_CAPTURE_KEYS = {"arxiv_api": str, "doi_resolver": str, "refresh_at_start": bool}


def _capture(path: Path, text: str, table: object) -> dict[str, str | bool]:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}:{_line_of(text, 'capture')}: capture must be a table")
    for key, value in table.items():
        kind = _CAPTURE_KEYS.get(key)
        if kind is None:
            raise ConfigError(f"{path}:{_line_of(text, key)}: unknown capture setting {key!r}")
        url = isinstance(value, str) and value.startswith(("http://", "https://"))
        if not isinstance(value, kind) or (kind is str and not url):
            what = "true or false" if kind is bool else "an http(s) URL"
            raise ConfigError(f"{path}:{_line_of(text, key)}: capture {key} must be {what}")
    return dict(table)


def _copy_select_dialog(path: Path, text: str, table: object) -> bool:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}:{_line_of(text, 'copy')}: copy must be a table")
    unknown = sorted(set(table) - _COPY_KEYS)
    if unknown:
        raise ConfigError(f"{path}:{_line_of(text, unknown[0])}: unknown copy setting {unknown[0]!r}")
    value = table.get("select_dialog", True)
    if not isinstance(value, bool):
        raise ConfigError(
            f"{path}:{_line_of(text, 'select_dialog')}: copy select_dialog must be true or false"
        )
    return value


def _backups_keep(path: Path, text: str, table: object) -> int:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}:{_line_of(text, 'backups')}: backups must be a table")
    unknown = sorted(set(table) - _BACKUP_KEYS)
    if unknown:
        raise ConfigError(f"{path}:{_line_of(text, unknown[0])}: unknown backups setting {unknown[0]!r}")
    keep = table.get("keep", DEFAULT_BACKUPS_KEEP)
    # bool is an int in Python: `keep = true` is a mistake, not 1.
    if not isinstance(keep, int) or isinstance(keep, bool) or not 0 <= keep <= 1000:
        line = _line_of(text, "keep")
        raise ConfigError(f"{path}:{line}: backups keep must be a whole number from 0 to 1000")
    return keep


def _line_of(text: str, key: str) -> int:
    pattern = re.compile(rf"^\s*\[?\s*\"?{re.escape(key)}\"?\s*[=\]]", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def save_theme(path: Path, theme: str) -> None:
    """Write ``theme`` into the config file, keeping everything else as it is.

    Only the top-level ``theme = ...`` line is touched (added before the first
    table if missing), so the user's comments and keymap survive.

    Raises:
        ConfigError: if the file cannot be written.
    """
    line = f'theme = "{theme}"'
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        head_end = m.start() if (m := _FIRST_TABLE.search(text)) else len(text)
        head, tail = text[:head_end], text[head_end:]
        if _THEME_LINE.search(head):
            head = _THEME_LINE.sub(line, head, count=1)
        else:
            head = line + "\n" + head
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(head + tail, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot save the theme: {exc.strerror or exc}") from None

"""Where readinglist keeps its files. Nothing here touches the disk at import."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "readinglist"
DB_ENV = "READINGLIST_DB"
CONFIG_ENV = "READINGLIST_CONFIG"


def default_db_path() -> Path:
    """The library file: ``$READINGLIST_DB``, else the user data dir's ``library.db``."""
    override = os.environ.get(DB_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs  # ~10 ms (it loads tempfile): only when no path was given

    return platformdirs.user_data_path(APP_NAME) / "library.db"


def config_path() -> Path:
    """The config file: ``$READINGLIST_CONFIG``, else the user config dir's ``config.toml``."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return platformdirs.user_config_path(APP_NAME) / "config.toml"


def styles_dir() -> Path:
    """The folder of Textual stylesheets.

    Inside an installed wheel they sit in the package; in a source checkout
    (or an editable install) in the repository's top-level ``styles/``. The
    package location is checked first: next to site-packages, a ``styles``
    folder could belong to some other distribution.

    Raises:
        FileNotFoundError: if neither location exists.
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / "styles", here.parent / "styles"):
        if (candidate / "app.tcss").is_file():
            return candidate
    raise FileNotFoundError(f"readinglist styles not found next to {here}")


def state_path() -> Path:
    """Small remembered choices (the last export format and folder): the user data dir's ``state.json``.

    Beside the default library, not the config: the app writes it, the user does not.
    """
    import platformdirs

    return platformdirs.user_data_path(APP_NAME) / "state.json"

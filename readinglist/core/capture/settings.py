"""Where capture looks things up and how patiently: endpoints, timeouts, the arXiv interval."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import NamedTuple

ARXIV_API_ENV = "READINGLIST_ARXIV_API"
DOI_RESOLVER_ENV = "READINGLIST_DOI_RESOLVER"
TIMEOUT_ENV = "READINGLIST_HTTP_TIMEOUT"
INTERVAL_ENV = "READINGLIST_ARXIV_INTERVAL"
BACKOFF_ENV = "READINGLIST_HTTP_BACKOFF"

DEFAULT_ARXIV_API = "https://export.arxiv.org/api/query"
DEFAULT_DOI_RESOLVER = "https://doi.org/"
ARXIV_INTERVAL_S = 3.0
"""arXiv's published rule: no more than one API request every three seconds."""


class CaptureSettings(NamedTuple):
    """Endpoints and limits for one capture run."""

    arxiv_api: str = DEFAULT_ARXIV_API
    doi_resolver: str = DEFAULT_DOI_RESOLVER
    timeout: float = 10.0
    """Seconds to wait for a connection or for the next bytes of an answer."""
    arxiv_interval: float = ARXIV_INTERVAL_S
    """Seconds between two requests to the arXiv API, across processes."""
    retries: int = 2
    """Further attempts after a 429 or 503 answer."""
    backoff: float = 1.0
    """Seconds before the first retry when the server gives no ``Retry-After``; doubled each time."""
    max_wait: float = 60.0
    """The longest ``Retry-After`` honoured; a server asking for more makes the paper pending."""


def capture_settings(
    config: Mapping[str, str | bool] | None = None, env: Mapping[str, str] | None = None
) -> CaptureSettings:
    """The settings from ``config.toml``'s ``[capture]`` table, overridden by the environment.

    Raises:
        ValueError: if a numeric environment variable is not a positive number.
    """
    env = os.environ if env is None else env
    config = config or {}
    default = CaptureSettings()

    def text(var: str, key: str, fallback: str) -> str:
        value = env.get(var) or config.get(key)
        return value if isinstance(value, str) and value else fallback

    def number(var: str, fallback: float) -> float:
        raw = env.get(var)
        if not raw:
            return fallback
        try:
            value = float(raw)
        except ValueError:
            raise ValueError(f"${var} must be a number of seconds, not {raw!r}") from None
        if not value >= 0:
            raise ValueError(f"${var} must be a number of seconds, not {raw!r}")
        return value

    return CaptureSettings(
        arxiv_api=text(ARXIV_API_ENV, "arxiv_api", default.arxiv_api),
        doi_resolver=text(DOI_RESOLVER_ENV, "doi_resolver", default.doi_resolver),
        timeout=number(TIMEOUT_ENV, default.timeout) or default.timeout,
        arxiv_interval=number(INTERVAL_ENV, default.arxiv_interval),
        backoff=number(BACKOFF_ENV, default.backoff),
    )

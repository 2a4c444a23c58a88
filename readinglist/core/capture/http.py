"""A small, polite HTTP client on the standard library's ``urllib``.

Why ``urllib`` and not httpx or requests: capture makes a handful of GET
requests per command, one at a time. ``urllib`` does what they need (proxies
from ``http_proxy``/``https_proxy``/``no_proxy``, redirects that keep the
``Accept`` header, TLS with the system's certificates, per-socket timeouts)
with no new dependency and no import cost outside ``add``/``refresh``; what it
lacks (retries that honour ``Retry-After``, a pace for arXiv) is a few lines
here. See docs/capture.md.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Collection
from email.utils import parsedate_to_datetime
from typing import NamedTuple

from readinglist import __version__
from readinglist.core.capture.settings import CaptureSettings

USER_AGENT = f"readinglist/{__version__} (+https://pypi.org/project/readinglist/; reading-list manager)"
MAX_BODY = 20 * 2**20
"""The largest answer read (bytes): metadata pages and feeds are far smaller."""
RETRY_STATUSES = (429, 503)
BODY_TIMEOUTS = 6
"""A whole body must arrive within this many timeouts (60 s by default)."""


class Answer(NamedTuple):
    """A response that arrived whole."""

    status: int
    content_type: str
    """The media type alone, lower case (``text/html``), without parameters."""
    charset: str | None
    body: bytes
    url: str
    """Where the answer came from after redirects."""


class Unreachable(Exception):
    """No usable answer for now (no network, a timeout, a 5xx, a 429, a cut-off body): try later."""


class NotFound(Exception):
    """The server says there is no such thing (404 or 410)."""


class BadAnswer(Exception):
    """An answer that cannot be used and will not improve by waiting (another 4xx, too large)."""


class Client:
    """GET with a User-Agent, timeouts, retries on 429/503 and proxies from the environment.

    Args:
        settings: Timeouts, retries and backoff.
        sleep: How to wait (a test may count the waits).
    """

    def __init__(self, settings: CaptureSettings, sleep: Callable[[float], None] = time.sleep) -> None:
        """Build the opener: proxies as the environment says, default redirect handling."""
        self.settings = settings
        self._sleep = sleep
        # http(s) only: build_opener would also follow a redirect to ftp://.
        self._opener = urllib.request.OpenerDirector()
        for handler in (
            urllib.request.ProxyHandler(urllib.request.getproxies()),
            urllib.request.UnknownHandler(),
            urllib.request.HTTPHandler(),
            urllib.request.HTTPSHandler(),
            urllib.request.HTTPDefaultErrorHandler(),
            urllib.request.HTTPRedirectHandler(),
            urllib.request.HTTPErrorProcessor(),
        ):
            self._opener.add_handler(handler)
        self.requests = 0
        """Requests sent so far (attempts, retries included)."""

    def get(
        self,
        url: str,
        *,
        accept: str = "*/*",
        ok: Collection[int] = (200,),
        pace: Callable[[], None] | None = None,
        skip_body: Collection[str] = (),
    ) -> Answer:
        """Fetch ``url``; retry a 429 or 503 after its ``Retry-After`` (or a doubling backoff).

        Args:
            url: An http(s) URL.
            accept: The ``Accept`` header.
            ok: Statuses returned as answers (others raise).
            pace: Called before every attempt (the arXiv interval).
            skip_body: Media types whose body is not read (a PDF: only its type matters).

        Raises:
            Unreachable: no network, a timeout, a 5xx, a 429 after the retries, a body cut short.
            NotFound: a 404 or 410.
            BadAnswer: another status, or a body over :data:`MAX_BODY`.
        """
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": accept})
        attempt = 0
        while True:
            if pace is not None:
                pace()
            self.requests += 1
            try:
                return self._once(request, ok, skip_body)
            except urllib.error.HTTPError as exc:
                status = exc.code
                retry_after = exc.headers.get("Retry-After") if exc.headers else None
                exc.close()
            if status in (404, 410):
                raise NotFound(f"{status} not found")
            if status not in RETRY_STATUSES and status < 500:
                raise BadAnswer(f"the server answered {status}")
            reason = "too many requests (429)" if status == 429 else f"server error {status}"
            if status not in RETRY_STATUSES or attempt >= self.settings.retries:
                raise Unreachable(reason)
            wait = _retry_after(retry_after)
            if wait is None:
                wait = self.settings.backoff * 2**attempt
            if wait > self.settings.max_wait:
                raise Unreachable(f"{reason}; the server asks to wait {wait:.0f} s")
            self._sleep(wait)
            attempt += 1

    def _once(
        self, request: urllib.request.Request, ok: Collection[int], skip_body: Collection[str]
    ) -> Answer:
        timeout = self.settings.timeout
        try:
            with self._opener.open(request, timeout=timeout) as response:
                status = response.status
                content_type = response.headers.get_content_type()
                charset = response.headers.get_content_charset()
                body = b"" if content_type in skip_body else _read(response, timeout * BODY_TIMEOUTS)
                final_url = response.geturl()
        except urllib.error.HTTPError as exc:
            if exc.code in ok:
                body = exc.read(MAX_BODY + 1)
                return Answer(exc.code, exc.headers.get_content_type(), None, body, request.full_url)
            raise
        except urllib.error.URLError as exc:
            raise Unreachable(_network_reason(exc.reason, timeout)) from None
        except TimeoutError:
            raise Unreachable(f"timed out after {timeout:g} s") from None
        except http.client.IncompleteRead:
            raise Unreachable("the answer was cut short") from None
        except (http.client.HTTPException, OSError) as exc:
            raise Unreachable(f"the connection failed: {exc}") from None
        if len(body) > MAX_BODY:
            raise BadAnswer(f"the answer is larger than {MAX_BODY // 2**20} MiB")
        if status not in ok:
            raise BadAnswer(f"the server answered {status}")
        return Answer(status, content_type, charset, body, final_url)


def _read(response: http.client.HTTPResponse, limit: float) -> bytes:
    """The whole body, up to one byte over :data:`MAX_BODY`, within ``limit`` seconds.

    Read in chunks: one ``read(n)`` returns what arrived before the server
    closed, without saying that bytes the ``Content-Length`` promised are missing.
    The socket timeout bounds each chunk; ``limit`` bounds a server that drips.
    """
    chunks: list[bytes] = []
    size = 0
    deadline = time.monotonic() + limit
    while size <= MAX_BODY:
        if time.monotonic() > deadline:
            raise TimeoutError
        chunk = response.read(min(1 << 16, MAX_BODY + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size <= MAX_BODY and response.length:  # bytes announced that never came
        raise http.client.IncompleteRead(b"".join(chunks), response.length)
    return b"".join(chunks)


def _network_reason(reason: object, timeout: float) -> str:
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"timed out after {timeout:g} s"
    if isinstance(reason, socket.gaierror):
        return "no network: the host name does not resolve"
    if isinstance(reason, ConnectionRefusedError):
        return "no network: connection refused"
    if isinstance(reason, ssl.SSLError):
        return f"the secure connection failed: {getattr(reason, 'reason', None) or reason}"
    text = getattr(reason, "strerror", None) or str(reason)
    return f"no network: {text}"


def _retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header: a number of seconds or an HTTP date."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())

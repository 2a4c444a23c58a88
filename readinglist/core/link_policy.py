"""Which links the app may hand to a web browser, decided without opening anything.

A paper's URL comes from whatever file was imported, so it is untrusted. The
browser gets it as a command-line argument: a value starting with ``-`` is
read as an option (``--renderer-cmd-prefix=...`` runs a program), and
schemes other than http(s) reach local files (``file:``) or run script
(``javascript:``). Only plain web links are opened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

WEB_SCHEMES = ("http", "https")
MAX_URL_CHARS = 8192
"""Longer values are refused: no real paper link is that long, and browsers cut them anyway."""

# C0/C1 controls, DEL, and the Unicode marks that reorder or hide text (bidi
# overrides and isolates, zero-width joiners): a link holding them is not what
# it looks like on screen.
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# Characters a URL may hold as they are; anything else (spaces, quotes,
# non-ASCII letters) is percent-encoded, as a browser's address bar would.
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~-._"


@dataclass(frozen=True)
class LinkDecision:
    """What to do with a link: open ``url``, or refuse for ``reason``."""

    url: str | None
    """The URL to open (cleaned), or None when the link is refused."""
    reason: str = ""
    """Why the link is refused, as a phrase for the user ("it is a file: link")."""

    @property
    def allowed(self) -> bool:
        """Whether the link may be opened."""
        return self.url is not None


def decide_open(value: str | None) -> LinkDecision:
    """Decide whether ``value`` may be handed to a web browser, and in which form.

    Only ``http://`` and ``https://`` links with a host are opened; a bare
    ``www.`` host gets ``https://``. Spaces and other characters a URL cannot
    hold are percent-encoded. Everything else is refused with a reason:
    an empty value, one that starts with ``-`` (a browser would read it as an
    option), control or bidi characters, another scheme (``file:``,
    ``javascript:``, ``data:``...), no host, or an absurd length.

    Args:
        value: The link as stored (a paper's primary link).

    Returns:
        The decision; ``decision.url`` is what to open when it is allowed.
    """
    text = (value or "").strip(" ")
    if not text:
        return LinkDecision(None, "the paper has no link")
    if text.startswith("-"):
        return LinkDecision(None, "it starts with '-', which a browser would read as an option")
    if _HIDDEN.search(text):
        return LinkDecision(None, "it contains control or hidden characters")
    if len(text) > MAX_URL_CHARS:
        return LinkDecision(None, f"it is longer than {MAX_URL_CHARS} characters")
    if text[:4].lower() == "www.":
        text = "https://" + text
    match = _SCHEME.match(text)
    if match is None:
        return LinkDecision(None, "it is not a web link (it has no http:// or https://)")
    scheme = match.group(1).lower()
    if scheme not in WEB_SCHEMES:
        return LinkDecision(None, f"only http and https links are opened, not {scheme}:")
    try:
        parts = urlsplit(text)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as exc:  # a malformed port or IPv6 address
        return LinkDecision(None, f"it is not a valid web address ({exc})")
    if not text[match.end() :].startswith("//") or not host:
        return LinkDecision(None, "it names no web host")
    return LinkDecision(quote(text, safe=_URL_SAFE))

r"""Text from imported files made safe to write to a terminal.

A title, abstract or tag comes from whatever file was imported, and a
terminal obeys control characters wherever they appear: ESC starts a sequence
that can recolour the screen, retitle the window, set the clipboard or worse;
BEL rings; CR moves back over what was printed; the bidirectional overrides
(U+202A-U+202E, U+2066-U+2069) make text display in another order than it is
stored. :func:`visible` writes each of them as an escape instead (``\x1b``,
``\u202e``), so the reader sees that it is there and the terminal obeys none.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls (0x9b is a one-byte CSI),
# the bidirectional embeddings, overrides, isolates and marks.
_UNSAFE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE_MULTILINE = re.compile(f"[{_UNSAFE}]")
_UNSAFE_LINE = re.compile(f"[{_UNSAFE}\t\n]")
# What JSON text keeps raw that a terminal would act on: json.dumps escapes only C0.
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, multiline: bool = False) -> str:
    r"""``text`` with every control and bidi-override character written as an escape (``\x1b``).

    Args:
        text: Any text (from the library, so from an imported file).
        multiline: Keep newlines and tabs (an abstract, a note); otherwise they
            are escaped too, so one field stays on one line.
    """
    pattern = _UNSAFE_MULTILINE if multiline else _UNSAFE_LINE
    if pattern.search(text) is None:  # the usual case: no copy
        return text
    return pattern.sub(_escape, text)


def json_visible(text: str) -> str:
    r"""JSON text with the characters ``json.dumps`` leaves raw that a terminal acts on escaped as ``\uXXXX``.

    The result is the same JSON value: those characters only occur inside strings.
    """
    if _UNSAFE_IN_JSON.search(text) is None:
        return text
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _picture_table(keep: str) -> dict[int, str]:
    table = {code: chr(0x2400 + code) for code in range(0x20) if chr(code) not in keep}  # ␀…␟
    table[0x7F] = "\u2421"  # ␡
    for code in [*range(0x80, 0xA0), 0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]:
        table[code] = "\ufffd"
    return table


_PICTURES_LINE = _picture_table("")
_PICTURES_MULTILINE = _picture_table("\t\n")


def pictured(text: str, *, multiline: bool = False) -> str:
    """``text`` with each control or bidi character replaced by one visible character of the same width.

    C0 controls become their Unicode control pictures (ESC shows as ␛, BEL as
    ␇), DEL ␡, C1 controls and bidi overrides U+FFFD. The length stays the
    same, so ranges found in the stored text (search highlights) still fit;
    that is what a full-screen view needs, where escapes would shift them.

    Args:
        text: Any text.
        multiline: Keep newlines and tabs (an abstract); otherwise they are pictured too.
    """
    pattern = _UNSAFE_MULTILINE if multiline else _UNSAFE_LINE
    if pattern.search(text) is None:
        return text
    return text.translate(_PICTURES_MULTILINE if multiline else _PICTURES_LINE)


_NOT_IN_LINK = re.compile(f"[{_UNSAFE}\\s]")


def linkable(url: str) -> bool:
    """Whether ``url`` can go into a terminal hyperlink (OSC 8) as it is.

    The link is written raw inside an escape sequence, so a control character
    could end the sequence early and the rest would be obeyed; whitespace is no
    part of a URL.
    """
    return bool(url) and _NOT_IN_LINK.search(url) is None

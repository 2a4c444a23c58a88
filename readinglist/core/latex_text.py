# ruff: noqa: RUF001 - the tables map LaTeX to the look-alike characters on purpose
r"""LaTeX math (and the few text commands that travel with it) as readable Unicode text.

Titles and abstracts from BibTeX files and from arXiv carry LaTeX: ``High-$\beta$
Nanowire Lasers``, ``Pb$_{1-x}$Sn$_x$Te``, DBLP's ``5\({}^{\mbox{th}}\)``.
:func:`math_to_text` turns what has a text form into it (Greek letters, common
symbols, super- and subscripts where Unicode has every character, font commands
with their text kept) and leaves the rest as its LaTeX source without the
``$``. It is pure, never raises, and returns a string without ``$`` or ``\``
untouched after two substring tests, because imports run it on every title.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from readinglist.core.latex_tables import (
    ACCENTS as _ACCENTS,
)
from readinglist.core.latex_tables import (
    DOUBLE_STRUCK as _DOUBLE_STRUCK,
)
from readinglist.core.latex_tables import (
    DROP as _DROP,
)
from readinglist.core.latex_tables import (
    FRACTIONS as _FRACTIONS,
)
from readinglist.core.latex_tables import (
    GREEK as _GREEK,
)
from readinglist.core.latex_tables import (
    KEEP_ARGUMENT as _KEEP_ARGUMENT,
)
from readinglist.core.latex_tables import (
    OPERATORS as _OPERATORS,
)
from readinglist.core.latex_tables import (
    SUBSCRIPT as _SUBSCRIPT,
)
from readinglist.core.latex_tables import (
    SUPERSCRIPT as _SUPERSCRIPT,
)
from readinglist.core.latex_tables import (
    SYMBOLS as _SYMBOLS,
)
from readinglist.core.latex_tables import (
    TEXT_ACCENTS as _TEXT_ACCENTS,
)
from readinglist.core.latex_tables import (
    TEXT_WORDS as _TEXT_WORDS,
)

# A root or fraction argument holding one of these is put in parentheses.
_NEEDS_PARENS = frozenset(" +-−±=/·×,<>")
_OPEN = "([{⟨⌊⌈"
_CLOSE = ")]}⟩⌋⌉"
_SPACE_AFTER_OPEN = re.compile(r"([(\[{⟨⌊⌈]) +")
_SPACE_BEFORE_CLOSE = re.compile(r" +([)\]}⟩⌋⌉])")
# Runs of plain characters are one token (a script or argument takes only the first).
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\s+|[^\\{}^_\s~\[\]]+|.", re.DOTALL)
_CONTROL_WORD = re.compile(r"\\([A-Za-z]+)\s*")
_FONT_SWITCH_GROUP = re.compile(r"\{\\(?:em|it|bf|rm|sl|sc|tt|sf|bfseries|itshape)(?![A-Za-z])\s*")
_PLAIN_SPAN = re.compile(r"[A-Za-z0-9.,:;=+\-<>/|()\[\]!?*]+")
_SINGLE = {**_GREEK, **{k: v for k, v in _SYMBOLS.items() if k.isalpha()}}
_SPECIAL = re.compile(r"[$\\{]")
_MATHLIKE = re.compile(r"[\\^_{]")
# A relation or binary operator written with a space on one side only gets one on both.
_LOPSIDED = re.compile(r"(?<=\S)([×≤≥≠≈≡→←⇒⇔↔∈⊂⊆⊗⊕])(?= )|(?<= )([×≤≥≠≈≡→←⇒⇔↔∈⊂⊆⊗⊕])(?=\S)")
_MAX_DEPTH = 40


def math_to_text(s: str, *, math_only: bool = False) -> str:
    r"""``s`` with its LaTeX math and common text commands turned into readable text.

    ``$...$``, ``$$...$$``, ``\(...\)`` and ``\[...\]`` are converted. A ``$``
    only opens math when a non-space follows it and only closes it when a
    non-space precedes it and no digit follows (pandoc's rule), so ``costs $5 and
    $10`` keeps its dollars. ``%`` is never a comment here.

    Args:
        s: A title or abstract as it came from the file.
        math_only: Convert only the math spans and copy the text around them as it
            is: for text a LaTeX decoder has already read, where a backslash or
            brace left outside math is a literal character.

    Returns:
        The text; ``s`` itself when it holds neither ``$`` nor a backslash.
    """
    if "$" not in s and "\\" not in s:
        return s
    try:
        return _text_mode(s, 0, math_only=math_only)
    except (RecursionError, ValueError, IndexError):  # pragma: no cover - a safety net
        return s


def _closing_dollar(s: str, start: int) -> int:
    """Where the ``$`` that closes math opened just before ``start`` is, or -1."""
    if start >= len(s) or s[start].isspace():
        return -1
    at = start
    while True:
        at = s.find("$", at)
        if at < 0:
            return -1
        if s[at - 1] == "\\":
            at += 1
            continue
        # In TeX the next $ closes, so if it cannot (``$5 and $10``) this $ opens nothing.
        if at == start or s[at - 1].isspace():
            return -1
        # A digit after the closing $ means money (``$5-$10``), unless what is
        # between is plainly math (``$\sim$10%``, ``3$\times$10$^5$``).
        if at + 1 < len(s) and s[at + 1].isdigit() and not _MATHLIKE.search(s, start, at):
            return -1
        return at


def _group_end(s: str, open_at: int) -> int:
    """The index of the ``}`` matching the ``{`` at ``open_at``, or -1."""
    depth = 0
    at = open_at
    while at < len(s):
        ch = s[at]
        if ch == "\\":
            at += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return at
        at += 1
    return -1


def _text_mode(s: str, depth: int, *, math_only: bool = False) -> str:
    """Text outside math: math spans converted, known commands decoded, the rest kept."""
    if depth > _MAX_DEPTH:
        raise ValueError("nested too deep")
    out: list[str] = []
    at = 0
    n = len(s)
    while at < n:
        nxt = _next_special(s, at)
        if nxt < 0:
            out.append(s[at:])
            break
        out.append(s[at:nxt])
        at = nxt
        ch = s[at]
        if ch == "$":
            if s.startswith("$$", at):
                end = s.find("$$", at + 2)
                if end > at + 2:
                    out.append(_math(s[at + 2 : end]))
                    at = end + 2
                    continue
                out.append("$$")
                at += 2
                continue
            end = _closing_dollar(s, at + 1)
            if end < 0:
                out.append("$")
                at += 1
                continue
            out.append(_math(s[at + 1 : end]))
            at = end + 1
        elif math_only and not (s.startswith("\\(", at) or s.startswith("\\[", at)):
            out.append(ch)
            at += 1
        elif ch == "{":
            at = _text_group(s, at, depth, out)
        else:
            at = _text_command(s, at, depth, out)
    return "".join(out)


def _next_special(s: str, at: int) -> int:
    match = _SPECIAL.search(s, at)
    return match.start() if match else -1


def _text_group(s: str, at: int, depth: int, out: list[str]) -> int:
    r"""A ``{`` in text: ``{}`` dropped, ``{\em x}`` and ``{\"o}`` unwrapped, others kept."""
    if s.startswith("{}", at):
        return at + 2
    end = _group_end(s, at)
    if end < 0 or not s.startswith("\\", at + 1):
        out.append("{")
        return at + 1
    switch = _FONT_SWITCH_GROUP.match(s, at)
    inner = s[switch.end() : end] if switch else s[at + 1 : end]
    out.append(_text_mode(inner, depth + 1))
    return end + 1


def _text_command(s: str, at: int, depth: int, out: list[str]) -> int:
    """A backslash in text: math delimiters, escapes, accents and font commands."""
    two = s[at : at + 2]
    if two in ("\\(", "\\["):
        close = "\\)" if two == "\\(" else "\\]"
        end = s.find(close, at + 2)
        if end >= 0:
            out.append(_math(s[at + 2 : end]))
            return end + 2
    word = _CONTROL_WORD.match(s, at)
    name = word.group(1) if word else s[at + 1 : at + 2]
    after = word.end() if word else at + 2
    if name in _TEXT_ACCENTS:
        accented = _accent_in_text(s, after, _ACCENTS[name])
        if accented is not None:
            out.append(accented[0])
            return accented[1]
    if word and name in _KEEP_ARGUMENT and s.startswith("{", after):
        end = _group_end(s, after)
        if end >= 0:
            out.append(_text_mode(s[after + 1 : end], depth + 1))
            return end + 1
    if name in _SYMBOLS and (not word or name in _TEXT_WORDS):
        out.append(_SYMBOLS[name])
        # A control word eats the spaces after it; ``{}`` after it only ends it.
        return after + 2 if s.startswith("{}", after) else after
    out.append(s[at : at + 2] if not word else s[at : word.end(1)])
    return at + 2 if not word else word.end(1)


def _accent_in_text(s: str, at: int, mark: str) -> tuple[str, int] | None:
    r"""``\"o`` or ``\"{o}`` from ``at`` (just past the command): the accented letter and where it ends."""
    if s.startswith("{", at) and at + 2 < len(s) and s[at + 2] == "}" and s[at + 1].isalpha():
        return unicodedata.normalize("NFC", s[at + 1] + mark), at + 3
    if s.startswith("{\\i}", at):  # \'{\i}: the dotless i takes the accent
        return unicodedata.normalize("NFC", "i" + mark), at + 4
    if at < len(s) and s[at].isalpha():
        return unicodedata.normalize("NFC", s[at] + mark), at + 1
    return None


def _math(src: str) -> str:
    """One math span's source as text; the source itself if it cannot be read."""
    # Most spans are one symbol or plain letters and digits (``$\alpha$``, ``$k$``,
    # ``$n=10$``); they skip the reader. The rest repeat across abstracts
    # (``$\sim$10%``, ``$x^2$``), so their text is cached.
    if _PLAIN_SPAN.fullmatch(src):
        return src
    if src[:1] == "\\":
        single = _SINGLE.get(src[1:])
        if single is not None:
            return single
    return _read_math(src)


@lru_cache(maxsize=4096)
def _read_math(src: str) -> str:
    try:
        text = _Math(_TOKEN.findall(src), 0).sequence(closing=False)
    except (RecursionError, ValueError, IndexError):
        return src
    if " " in text or "\t" in text or "\n" in text:
        text = " ".join(text.split())
        text = _SPACE_BEFORE_CLOSE.sub(r"\1", _SPACE_AFTER_OPEN.sub(r"\1", text))
        text = _LOPSIDED.sub(lambda m: f" {m.group(1) or m.group(2)} ", text).replace("  ", " ")
    return text


class _Math:
    """A recursive-descent reader over the tokens of one math span."""

    def __init__(self, tokens: list[str], depth: int) -> None:
        self.tokens = tokens
        self.at = 0
        self.depth = depth

    def sequence(self, *, closing: bool) -> str:
        """Atoms up to the end, or up to the ``}`` that closes the group when ``closing``."""
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise ValueError("nested too deep")
        out: list[str] = []
        space_next = False
        while self.at < len(self.tokens):
            token = self.tokens[self.at]
            if token == "}" and closing:
                self.at += 1
                break
            if token in ("^", "_"):
                self.at += 1
                out.append(self.script(token))
                continue
            operator = token[1:] if token.startswith("\\") and token[1:] in _OPERATORS else None
            piece = self.atom()
            if operator:
                if out and out[-1][-1:].isalnum():
                    piece = " " + piece
                space_next = True
            elif space_next and piece[:1].isalnum():
                piece = " " + piece
                space_next = False
            elif piece.strip():
                space_next = False
            out.append(piece)
        self.depth -= 1
        return "".join(out)

    def atom(self) -> str:
        """One token's text: a command with its arguments, a group, a space or a character."""
        token = self.tokens[self.at]
        self.at += 1
        if token == "{":
            return self.sequence(closing=True)
        if token.isspace():
            return " "
        if token == "~":
            return " "
        if token.startswith("\\") and len(token) > 1:
            return self.command(token[1:])
        return token

    def argument(self) -> str:
        """The next argument's text (a group or one atom), spaces before it skipped."""
        while self.at < len(self.tokens) and self.tokens[self.at].isspace():
            self.at += 1
        if self.at >= len(self.tokens):
            return ""
        token = self.tokens[self.at]
        if len(token) > 1 and token[0] not in "\\{":
            # ``x^23`` raises only the 2; the 3 stays for what follows.
            self.tokens[self.at] = token[1:]
            return token[0]
        return self.atom()

    def optional(self) -> str | None:
        """A ``[...]`` optional argument's text, if one follows."""
        if self.at < len(self.tokens) and self.tokens[self.at] == "[":
            end = self.tokens.index("]", self.at)
            inner = _Math(self.tokens[self.at + 1 : end], self.depth).sequence(closing=False)
            self.at = end + 1
            return inner
        return None

    def script(self, mark: str) -> str:
        """A super- or subscript: Unicode's raised or lowered characters, else ``^{...}``."""
        arg = self.argument()
        table = _SUPERSCRIPT if mark == "^" else _SUBSCRIPT
        compact = arg.replace(" ", "")
        if compact and all(ch in table for ch in compact):
            return "".join(table[ch] for ch in compact)
        if not compact:
            return ""
        return mark + (compact if len(compact) == 1 else "{" + arg.strip() + "}")

    def command(self, name: str) -> str:
        if name in _GREEK:
            return _GREEK[name]
        if name in _SYMBOLS:
            return _SYMBOLS[name]
        if name in _OPERATORS:
            return name
        if name in _DROP:
            return ""
        if name in _KEEP_ARGUMENT:
            return self.argument()
        if name == "mathbb":
            return "".join(_DOUBLE_STRUCK.get(ch, ch) for ch in self.argument())
        if name == "sqrt":
            index = self.optional()
            arg = self.argument()
            root = {None: "√", "3": "∛", "4": "∜"}.get(index, f"{index}√")
            return root + _parenthesised(arg)
        if name in _FRACTIONS:
            top, bottom = self.argument(), self.argument()
            return f"{_parenthesised(top)}/{_parenthesised(bottom)}"
        if name in _ACCENTS:
            arg = self.argument()
            if len(arg) == 1:
                return unicodedata.normalize("NFC", arg + _ACCENTS[name])
            return f"\\{name}{{{arg}}}"
        # No text form: the command stays as written, its braced arguments read as math.
        out = [f"\\{name}"]
        while self.at < len(self.tokens) and self.tokens[self.at] == "{":
            self.at += 1
            out.append("{" + self.sequence(closing=True) + "}")
        if self.at < len(self.tokens) and self.tokens[self.at][:1].isalnum():
            out.append(" ")
        return "".join(out)


def _parenthesised(arg: str) -> str:
    """``arg`` in parentheses when it is more than one term (``√(x+1)``, ``(n+1)/2``)."""
    arg = arg.strip()
    if any(ch in _NEEDS_PARENS for ch in arg) and not (arg[:1] in _OPEN and arg[-1:] in _CLOSE):
        return f"({arg})"
    return arg

r"""Decoding the LaTeX in BibTeX field values: a fast path, and pylatexenc where it is needed.

pylatexenc's ``latex_to_text`` reads any LaTeX, but slowly: about 0.1 ms for a
braced title and several for an abstract, 85% of a BibTeX import's time when
it decoded every value holding a brace, a dash ligature or a math ``$``. Most
such values hold nothing the decoder changes beyond that: wrapping braces
(``{{Title}}``), escapes such as ``\%``, TeX's ligatures (``--``, ``````), and
math, which it passes through verbatim for :mod:`~readinglist.core.latex_text`.
:func:`decode` does exactly what pylatexenc does for those (a differential test
compares the two on every field of a generated corpus and of the fixtures, and
on random strings), and hands the rest to pylatexenc in pieces: a value is cut
at the spaces outside groups and math, and only the pieces holding a command
(``\emph{…}``, ``\"o``) go to the parser, each once (they repeat: author names,
``\ours``). A value whose LaTeX could make the pieces differ from the whole
(display math, ``\(``, environments, ``\verb``, a comment, unbalanced braces)
goes to the parser whole, as before.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pylatexenc import latex2text, latexwalker  # type: ignore[import-untyped]
from pylatexenc.latex2text import LatexNodes2Text  # type: ignore[import-untyped]

# What makes a value worth the LaTeX decoder: commands, groups, math, ties and
# the ligatures TeX turns into dashes and quotes (``--``, ``---``, ````````, ``''``).
LATEX_HINT = re.compile(r"[\\{$~]|--|``|''|[?!]`")
# A bare % in a field is a percent sign to whoever typed it (abstracts from
# publishers have them), but a comment to the decoder, which would drop the
# rest of the line.
BARE_PERCENT = re.compile(r"(?<!\\)%")
# Stand in for ``\$`` and ``\textbackslash`` between decoding and reading math
# (private-use characters), so that literal ones are not taken for LaTeX.
DOLLAR = "\ue000"
BACKSLASH = "\ue001"
# Hold literal braces (``\{``, and braces inside math) while grouping braces are dropped.
_OPEN, _CLOSE = "\ue002", "\ue003"
_PROTECT = str.maketrans({"{": _OPEN, "}": _CLOSE})
_UNPROTECT = str.maketrans({_OPEN: "{", _CLOSE: "}"})
# pylatexenc's text specials (its "nonascii-specials" and "&"), longest first.
_SPECIALS = {
    "---": "\N{EM DASH}",
    "--": "\N{EN DASH}",
    "``": "\N{LEFT DOUBLE QUOTATION MARK}",
    "''": "\N{RIGHT DOUBLE QUOTATION MARK}",
    "!`": "\N{INVERTED EXCLAMATION MARK}",
    "?`": "\N{INVERTED QUESTION MARK}",
    "~": "\N{NO-BREAK SPACE}",
    "&": "   ",
}
_ESCAPES = {"%": "%", "&": "&", "_": "_", "#": "#", "{": _OPEN, "}": _CLOSE, "$": DOLLAR, " ": " "}
# One token the fast path knows, or a backslash it does not (then it gives up).
_FAST_TOKEN = re.compile(
    r"(\\[%&_#{}$ ])"  # an escaped special character
    r"|(\$(?:\\[^$]|[^$\\])*\$)"  # inline math, kept verbatim (no \$ inside)
    r"|(---|--|``|''|!`|\?`|~|&)"  # a special
    r"|(\\)"  # any other command: not for the fast path
)
_BRACE = re.compile(r"(?<!\\)[{}]")
_ANY_BRACE = re.compile(r"[{}]")
_DOLLAR_SIGN = re.compile(r"(?<!\\)\$")
_ENDS_IN_COMMAND = re.compile(r"\\([^\W\d_]+|.)\s*$", re.DOTALL)
# Values the parser must read whole: display math, \( \[ math, environments,
# \verb, an escaped backslash (a line break; after it a % is a comment and
# the look-behinds below would be wrong), private-use stand-ins.
_WHOLE = re.compile(r"\$\$|\\[(\[]|\\begin\b|\\verb|\\\\|[\ue000-\ue003]")
# Its parts, each found quickly: a literal first character lets the search skip ahead.
_WHOLE_COMMAND = re.compile(r"\\(?:[(\[]|begin\b|verb|\\)")
_PRIVATE_USE = re.compile(r"[\ue000-\ue003]")
# What decides where a value may be cut (at spaces): commands, groups and math.
_TOKEN = re.compile(r"\\[^\W\d_]+|\\.|[{}$]", re.DOTALL)
_SPACE_RUN = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _decoder() -> LatexNodes2Text:
    context = latex2text.get_default_latex_context_db()
    # pylatexenc maps \textasciicircum to a modifier letter (U+02C6), not to "^",
    # and \url to "<...>"; both would change text on a write/read round trip.
    context.add_context_category(
        "readinglist",
        prepend=True,
        macros=[
            latex2text.MacroTextSpec("textasciicircum", simplify_repl="^"),
            latex2text.MacroTextSpec("url", simplify_repl="%s"),
            # How our export writes a literal brace (see bibtex.escape).
            latex2text.MacroTextSpec("textbraceleft", simplify_repl="{"),
            latex2text.MacroTextSpec("textbraceright", simplify_repl="}"),
            # An escaped dollar is held apart from the $ that delimit math, which
            # stays verbatim here for latex_text to read (see bibtex_fields.text).
            latex2text.MacroTextSpec("$", simplify_repl=DOLLAR),
            latex2text.MacroTextSpec("textbackslash", simplify_repl=BACKSLASH),
        ],
    )
    return LatexNodes2Text(latex_context=context, math_mode="verbatim", keep_braced_groups=False)


def decode_with_parser(raw: str) -> str:
    """``raw`` decoded by pylatexenc alone, whole (braces dropped if it trips over broken LaTeX).

    What :func:`decode` must give, and gives for the values it cannot read itself.
    """
    try:
        return str(_decoder().latex_to_text(BARE_PERCENT.sub(r"\\%", raw)))
    except Exception:  # pylatexenc can trip over broken LaTeX: keep the raw text then.
        return raw.replace("{", "").replace("}", "")


def decode(raw: str) -> str:
    r"""``raw`` with its LaTeX decoded exactly as :func:`decode_with_parser` would, mostly without the parser.

    Math stays verbatim, with ``\$`` and ``\textbackslash`` as :data:`DOLLAR` and :data:`BACKSLASH`.
    """
    # Plain substring tests first: the regular expressions below cost tens of
    # microseconds on an abstract even when the character they look for is absent.
    text = BARE_PERCENT.sub(r"\\%", raw) if raw.count("%") != raw.count("\\%") else raw
    if _whole(text):
        return decode_with_parser(raw)
    tail = ""
    dollars = [m.start() for m in _DOLLAR_SIGN.finditer(text)] if "$" in text else []
    if len(dollars) % 2:
        # A $ never closed (``S_2$ is``): the parser reads the rest of the value
        # as math and gives it back verbatim; what comes before is read as usual.
        text, tail = text[: dollars[-1]], text[dollars[-1] :]
        if _unbalanced(tail) or tail.endswith("\\") or _ENDS_IN_COMMAND.search(text):
            return decode_with_parser(raw)
    out = _decode_text(text)
    return decode_with_parser(raw) if out is None else out + tail


def _whole(text: str) -> bool:
    """Whether :data:`_WHOLE` matches ``text``, searched for part by part."""
    return (
        "$$" in text
        or ("\\" in text and _WHOLE_COMMAND.search(text) is not None)
        or (not text.isascii() and _PRIVATE_USE.search(text) is not None)
    )


def _decode_text(text: str) -> str | None:
    """``text`` (its math closed) decoded by the fast path, piece by piece if need be; None if it cannot."""
    fast = _fast(text)
    if fast is not None:
        return fast
    segments = _segments(text)
    if segments is None:
        return None
    out: list[str] = []
    try:
        for segment, command in segments:
            # Plain text between the pieces with commands decodes as its pieces would, one by one:
            # the specials hold no space, and its braces pair up (it is cut outside groups).
            plain = None if command else _fast(segment)
            out.append(_piece(segment) if plain is None else plain)
    except Exception:  # a piece the parser trips over: the caller does as it did with the whole value
        return None
    return "".join(out)


def _fast(text: str) -> str | None:
    """``text`` decoded without the parser, or None if it holds a command other than an escape."""
    if _unbalanced(text):
        return None  # the parser's tolerant reading decides
    if "$" not in text:
        if "\\" not in text:
            return _specials(text).replace("{", "").replace("}", "")
        return _escapes_only(text)
    parts: list[str] = []
    at = 0
    for match in _FAST_TOKEN.finditer(text):
        escape, math, special, command = match.groups()
        plain = text[at : match.start()]
        if command is not None or "$" in plain:
            return None  # a command, or a $ that opens math never closed (or closed by \$)
        parts.append(plain)
        if escape is not None:
            parts.append(_ESCAPES[escape[1]])
        elif math is not None:
            if _unbalanced(math) or _ends_in_argument_taker(math[:-1]):
                return None
            parts.append(math.translate(_PROTECT))
        else:
            parts.append(_SPECIALS[special])
        at = match.end()
    if "$" in text[at:]:
        return None
    parts.append(text[at:])
    return "".join(parts).replace("{", "").replace("}", "").translate(_UNPROTECT)


_SPECIAL_ONLY = re.compile(r"---|--|``|''|!`|\?`|~|&")


def _special(match: re.Match[str]) -> str:
    return _SPECIALS[match.group()]


def _specials(text: str) -> str:
    """``text`` with TeX's specials (ligatures, ties, ``&``) replaced; the search skipped when it has none."""
    if "`" in text:
        return _SPECIAL_ONLY.sub(_special, text)  # ``?``` is ``¿`` then ````: the search's order decides
    # Without a backquote the specials share no character (``---`` before ``--``),
    # so replacing each in turn gives what the search gives.
    # A one-character test first: a two-character search costs a microsecond on an abstract.
    if "-" in text and "--" in text:
        text = text.replace("---", _SPECIALS["---"]).replace("--", _SPECIALS["--"])
    if "'" in text and "''" in text:
        text = text.replace("''", _SPECIALS["''"])
    if "~" in text:
        text = text.replace("~", _SPECIALS["~"])
    if "&" in text:
        text = text.replace("&", _SPECIALS["&"])
    return text


def _escapes_only(text: str) -> str | None:
    r"""What the token walk of :func:`_fast` gives for ``text`` without ``$``; None if it holds a command.

    Every backslash must start an escape (``\%``, ``\{``…): the text after each
    backslash starts with an escaped character. Then the text between escapes holds only
    specials, replaced as the walk replaces them (same alternatives, same order).
    """
    first, *rest = text.split("\\")
    # Each backslash must start an escape: the text after it starts with an escaped character
    # (an empty part is a backslash at the end, or before another backslash).
    for part in rest:
        if not part or part[0] not in _ESCAPES:
            return None
    parts = [_specials(first)]
    for part in rest:
        parts += (_ESCAPES[part[0]], _specials(part[1:]))
    out = "".join(parts).replace("{", "").replace("}", "")
    # An escaped brace (``\{``) is a part that starts with one: found without searching the text.
    return out.translate(_UNPROTECT) if any(part[0] in "{}" for part in rest) else out


def _ends_in_argument_taker(text: str) -> bool:
    r"""Whether ``text`` ends in a command taking an argument (``\hat``, ``\'``): it would eat a ``$``."""
    match = _ENDS_IN_COMMAND.search(text)
    return match is not None and _takes_arguments(match.group(1))


@lru_cache(maxsize=512)
def _takes_arguments(name: str) -> bool:
    spec = latexwalker.get_default_latex_context_db().get_macro_spec(name)
    return spec is not None and bool(getattr(spec.args_parser, "argspec", None))


def _unbalanced(math: str) -> bool:
    if "{" not in math and "}" not in math:
        return False
    depth = 0
    # Without a backslash every brace counts, and the search without the look-behind is faster.
    for brace in (_BRACE if "\\" in math else _ANY_BRACE).finditer(math):
        depth += 1 if brace.group() == "{" else -1
        if depth < 0:
            return True
    return depth != 0


def _segments(text: str) -> list[tuple[str, bool]] | None:
    """``text`` as plain stretches and the pieces holding a command or math, in order; None if unpaired.

    A piece is what lies between two cuts: spaces outside groups and math,
    except one right after a command (the command may take what follows as its
    argument, and eats the space) or one before ``{`` or ``[``. Only the pieces
    with a command or ``$`` need finding: the cuts are looked for next to those
    tokens, not at every space of an abstract (a Python step a word took 0.2 ms
    an abstract). Returns ``(text, True)`` for such a piece, ``(text, False)`` for
    the plain text between.
    """
    # The stretches between tokens: (start, end, outside groups and math, end of the command before).
    gaps: list[tuple[int, int, bool, int]] = []
    tokens: list[int] = []  # the indexes in gaps order of the command and $ tokens
    depth = 0
    math = False
    at = 0
    after_command = -1
    for match in _TOKEN.finditer(text):
        gaps.append((at, match.start(), depth == 0 and not math, after_command))
        first = text[match.start()]
        if first == "\\":
            after_command = match.end()
            tokens.append(len(gaps) - 1)
        elif first == "{":
            depth += 1
        elif first == "}":
            depth -= 1
            if depth < 0:
                return None
        else:
            math = not math
            tokens.append(len(gaps) - 1)
        at = match.end()
    gaps.append((at, len(text), depth == 0 and not math, after_command))
    if depth or math:
        return None

    def cut(gap: int, last: bool) -> tuple[int, int] | None:
        start, end, open_, command_end = gaps[gap]
        if not open_ or start == end:
            return None
        if last:  # the last run of spaces: the first in the reversed stretch
            runs = ((end - m.end(), end - m.start()) for m in _SPACE_RUN.finditer(text[start:end][::-1]))
        else:
            runs = (m.span() for m in _SPACE_RUN.finditer(text, start, end))
        for run_start, run_end in runs:
            if run_start != command_end and text[run_end : run_end + 1] not in ("{", "["):
                return run_start, run_end
        return None

    out: list[tuple[str, bool]] = []
    done = 0
    for k in tokens:  # token k lies between gaps k and k + 1
        if gaps[k][1] < done:
            continue  # in the piece of the token before
        begin = next((c[1] for g in range(k, -1, -1) if (c := cut(g, True)) is not None), 0)
        finish = next((c[0] for g in range(k + 1, len(gaps)) if (c := cut(g, False)) is not None), len(text))
        out += ((text[done:begin], False), (text[begin:finish], True))
        done = finish
    out.append((text[done:], False))
    return out


@lru_cache(maxsize=4096)
def _piece(piece: str) -> str:
    fast = _fast(piece)
    if fast is not None:
        return fast
    if "$" in piece:
        # A command next to math (``\'$x$``) reads on past the piece: let the whole value go to the parser.
        raise _NotAlone
    return str(_decoder().latex_to_text(piece))


class _NotAlone(Exception):
    """A piece that cannot be decoded apart from the rest of its value."""

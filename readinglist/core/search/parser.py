"""The query language shared by the TUI and ``readinglist search``.

:func:`parse` never raises: anything it cannot use becomes plain text or a
hint, so a half-typed query always gives results (or none and a reason).

Syntax (see README "Search syntax")::

    words              every word must match somewhere; the last one as a prefix
    "exact phrase"     the words next to each other, in order
    -word  !word       leave out papers with this word (or -"phrase")
    a | b              either (binds tighter than the spaces between words)
    title: abstract: author: notes:   look in one field only
    tag:name  #name    papers with this tag (a prefix while it is being typed)
    is:starred|queued|reading|read|unread   has:notes|code|link
    year:2024  year:>=2022  year:2020..2023  added:<7d  added:>=2024-05-01
    sort:relevance|added|title|year
"""

import re
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from readinglist.core.search.words import words_of

MAX_TERMS = 24
"""Words beyond this many are dropped (with a hint): a 10 kB paste must stay fast."""

FIELDS = {
    "title": "title",
    "abstract": "abstract",
    "author": "authors",
    "authors": "authors",
    "notes": "notes",
    "note": "notes",
}
IS_VALUES = ("starred", "queued", "reading", "read", "unread")
HAS_VALUES = ("notes", "code", "link")
SORT_VALUES = ("relevance", "added", "title", "year")

_FIELD = re.compile(r"([A-Za-z]+):")
_YEAR = re.compile(r"^(<=|>=|<|>|=)?(\d{4})$")
_YEAR_RANGE = re.compile(r"^(\d{4})\.\.(\d{4})$")
_AGE = re.compile(r"^(<=|>=|<|>)?(\d{1,5})([dwmy])$")
_DATE = re.compile(r"^(<=|>=|<|>|=)?(\d{4}(?:-\d{2}(?:-\d{2})?)?)$")
# What a year or an age still being typed can look like: "year:20" waits for its last
# digits, "year:soon" can never become a year and gets its hint at once.
_YEAR_SO_FAR = re.compile(r"^(<=?|>=?|=)?\d{0,4}(\.\.?\d{0,4})?$")
_ADDED_SO_FAR = re.compile(r"^(<=?|>=?|=)?\d{0,5}([dwmy]|-\d{0,2}(-\d{0,2})?)?$")
_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}
# A lone UTF-16 surrogate: what Python makes of command-line bytes that are not UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")
_EPOCH = datetime(1, 1, 1, tzinfo=UTC)


# NamedTuples and plain classes, not dataclasses, and annotations evaluated, not
# strings: every ``readinglist search`` loads this module (see readinglist/core/models.py).
class Term(NamedTuple):
    """One thing to look for: a word (possibly a prefix) or a phrase."""

    words: tuple[str, ...]
    """Normalised words; more than one makes a phrase."""
    field: str | None = None
    """Column to look in (``title``, ``abstract``, ``authors``, ``notes``), None for all."""
    prefix: bool = False
    """The last word is still being typed: match words that start with it."""
    phrase: bool = False
    """Quoted by the user: match exactly, with no typo or prefix expansion."""

    @property
    def text(self) -> str:
        """The term as the user would write it (for hints)."""
        body = " ".join(self.words)
        return f'"{body}"' if self.phrase else body


class Clause(NamedTuple):
    """Alternatives of which at least one must match (``a | b``)."""

    terms: tuple[Term, ...]


class Query:
    """A parsed query: what to match, what to leave out, filters and order."""

    def __init__(self) -> None:
        self.clauses: list[Clause] = []
        self.excluded: list[Term] = []
        self.tags: list[tuple[str, bool]] = []
        """Tag filters as ``(name, is_prefix)``."""
        self.is_: list[str] = []
        self.has: list[str] = []
        self.year: list[tuple[str, int]] = []
        """Year conditions as ``(operator, year)`` with operator one of ``= < <= > >=``."""
        self.added: list[tuple[str, str]] = []
        """Added-date conditions as ``(operator, ISO timestamp)``."""
        self.sort = "relevance"
        self.sort_given = False
        """Whether the query chose its order with ``sort:`` (else a view may impose its own)."""
        self.hints: list[str] = []

    def __repr__(self) -> str:
        return f"Query({self.__dict__!r})"

    @property
    def has_filters(self) -> bool:
        """Whether anything besides words narrows the result."""
        return bool(self.tags or self.is_ or self.has or self.year or self.added)

    @property
    def positive_words(self) -> list[str]:
        """Every word the query looks for (for highlighting and hints)."""
        return [w for c in self.clauses for t in c.terms for w in t.words]


class _Token(NamedTuple):
    kind: str
    """``word``, ``phrase`` or ``or``."""
    text: str
    field: str | None = None
    negated: bool = False
    end_of_input: bool = False


def _tokens(text: str, hints: list[str]) -> list[_Token]:
    """Split raw input into words, quoted phrases, ``|`` and ``field:value`` items."""
    out: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        if len(out) > 4 * MAX_TERMS:
            # Filters and words past this point would be dropped anyway; stop scanning.
            hints.append(f"query too long: only the first {MAX_TERMS} words were used")
            break
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch == "|":
            out.append(_Token("or", "|"))
            i += 1
            continue
        negated = False
        if ch in "-!" and i + 1 < n and not text[i + 1].isspace():
            negated = True
            i += 1
        fld = None
        m = _FIELD.match(text, i)
        if m:
            fld = m.group(1).lower()
            i = m.end()
        elif text.startswith("#", i):
            fld, i = "tag", i + 1
        if i < n and text[i] == '"':
            close = text.find('"', i + 1)
            if close < 0:
                hints.append("unclosed quote: the phrase runs to the end of the query")
                body, i = text[i + 1 :], n
            else:
                body, i = text[i + 1 : close], close + 1
            out.append(_Token("phrase", body, fld, negated, i >= n and close < 0))
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] not in '|"':
            j += 1
        out.append(_Token("word", text[i:j], fld, negated, j >= n))
        i = j
    return out


def parse(text: str, *, now: datetime | None = None) -> Query:
    """Parse what the user typed.

    Args:
        text: The raw query; any string is accepted.
        now: The current time, for relative dates (``added:<7d``).

    Returns:
        The query, with ``hints`` for anything that was ignored or reinterpreted.
    """
    text = text.replace("\0", " ")
    query = Query()
    if not text.isascii() and _SURROGATE.search(text):
        # SQLite cannot take such a string, and no stored text holds one.
        text = _SURROGATE.sub("\ufffd", text)
        query.hints.append("the query holds bytes that are not UTF-8 text; they were read as \ufffd")
    typing = bool(text) and not text[-1].isspace()
    pending_or = False
    for tok in _tokens(text, query.hints):
        if tok.kind == "or":
            pending_or = bool(query.clauses)
            continue
        if tok.field is not None and tok.field not in FIELDS:
            if _apply_filter(query, tok, typing, now or datetime.now(UTC)):
                pending_or = False
                continue
        fld = FIELDS.get(tok.field or "")
        words = tuple(words_of(tok.text))
        if tok.field is not None and tok.field not in FIELDS and tok.field not in _FILTERS:
            query.hints.append(f"unknown field {tok.field}: searched as text")
            words = (*words_of(tok.field), *words)
        if not words:
            continue
        if tok.negated:
            # "-KNN-LM" leaves out the hyphenated word as a whole, so exclude it as a phrase.
            query.excluded.append(Term(words, fld, phrase=True))
            pending_or = False
            continue
        term_list: list[Term]
        if tok.kind == "phrase":
            term_list = [Term(words, fld, phrase=True)]
        else:
            # "KNN-LM" becomes the words knn and lm, as the index splits it; ranking
            # rewards them for standing next to each other. Only the very last word
            # of the input is still being typed.
            typed = typing and tok.end_of_input
            term_list = [Term((w,), fld, prefix=typed and k == len(words) - 1) for k, w in enumerate(words)]
        if pending_or and query.clauses:
            previous = query.clauses.pop()
            query.clauses.append(Clause(previous.terms + tuple(term_list)))
        else:
            query.clauses.extend(Clause((t,)) for t in term_list)
        pending_or = False
    _cap(query)
    return query


def _cap(query: Query) -> None:
    count = 0
    kept: list[Clause] = []
    for clause in query.clauses:
        count += sum(len(t.words) for t in clause.terms)
        if count > MAX_TERMS:
            query.hints.append(f"query too long: only the first {MAX_TERMS} words were used")
            break
        kept.append(clause)
    query.clauses = kept
    query.excluded = query.excluded[:MAX_TERMS]


_FILTERS = ("tag", "is", "has", "year", "added", "sort")


def _apply_filter(query: Query, tok: _Token, typing: bool, now: datetime) -> bool:
    """Apply a ``name:value`` filter; False if ``name`` is not a filter at all."""
    name, value = tok.field, tok.text.strip()
    if name not in _FILTERS:
        return False
    low = value.lower()
    if not value:
        if not tok.end_of_input:
            query.hints.append(f"{name}: needs a value")
        return True
    if tok.negated:
        query.hints.append(f"-{name}: is not supported; the filter was ignored")
        return True
    if name == "tag":
        query.tags.append((value.lstrip("#"), typing and tok.end_of_input))
    elif name in ("is", "has", "sort"):
        allowed = {"is": IS_VALUES, "has": HAS_VALUES, "sort": SORT_VALUES}[name]
        match = [v for v in allowed if v.startswith(low)] if typing and tok.end_of_input else []
        if low in allowed or len(match) == 1:
            chosen = low if low in allowed else match[0]
            if name == "sort":
                query.sort = chosen
                query.sort_given = True
            else:
                (query.is_ if name == "is" else query.has).append(chosen)
        elif not (typing and tok.end_of_input and match):
            query.hints.append(f"{name}:{value} is not one of {', '.join(allowed)}; ignored")
    elif name == "year":
        _year_filter(query, low, tok.end_of_input and typing)
    else:
        _added_filter(query, low, now, tok.end_of_input and typing)
    return True


def _year_filter(query: Query, value: str, typing: bool) -> None:
    if m := _YEAR_RANGE.match(value):
        query.year += [(">=", int(m.group(1))), ("<=", int(m.group(2)))]
    elif m := _YEAR.match(value):
        query.year.append((m.group(1) or "=", int(m.group(2))))
    elif not (typing and _YEAR_SO_FAR.match(value)):
        query.hints.append(f"year:{value} is not a year such as 2024, >=2022 or 2020..2023; ignored")


def _added_filter(query: Query, value: str, now: datetime, typing: bool) -> None:
    if m := _AGE.match(value):
        op, amount, unit = m.group(1) or "<", int(m.group(2)), m.group(3)
        try:
            moment = now - timedelta(days=amount * _DAYS[unit])
        except OverflowError:
            moment = _EPOCH
            query.hints.append(f"added:{value} reaches back before the year 1; counted from the year 1")
        # Formatted by hand: strftime writes the year 26 as "26", which would sort after "2024".
        since = f"{moment.year:04d}-{moment:%m-%dT%H:%M:%S}Z"
        # "added:<7d" means less than 7 days ago, i.e. added after that moment.
        flipped = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}[op]
        query.added.append((flipped, since))
    elif m := _DATE.match(value):
        op, date = m.group(1) or "=", m.group(2)
        query.added.append((op, date))
    elif not (typing and _ADDED_SO_FAR.match(value)):
        query.hints.append(
            f"added:{value} is not an age such as <7d, >2w or a date such as 2024-05-01; ignored"
        )

"""Our own JSON export: every field of every paper, the user's data included.

The file is one JSON document, written one paper a line so it can be read back
as a stream::

    {"format": "readinglist", "version": 1, "papers": [
    {"id": 1, "title": ...},
    {"id": 2, "title": ...}
    ]}

Each paper has the shape of :func:`~readinglist.core.models.paper_to_dict`.
That layout is read line by line. A file in any other layout, such as one
reformatted by ``jq`` or a bare JSON array of papers (``readinglist list
--json``), is streamed too, a paper at a time, by
:class:`~readinglist.core.formats.json_stream.JsonStream`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from readinglist.core.errors import FormatError
from readinglist.core.formats import BadEntry, Format, register, textio
from readinglist.core.formats.json_stream import JsonStream, Value, failure
from readinglist.core.formats.textio import iter_lines
from readinglist.core.models import Paper, PaperDraft, Status, paper_to_dict

MAGIC = "readinglist"
VERSION = 1
_HEADER_START = '{"format": "readinglist"'
# Our export's "format" member in any layout (pretty-printed, keys reordered).
_FORMAT_MEMBER = re.compile(r'"format"\s*:\s*"readinglist"')
_NOT_OURS = "expected a readinglist export or a JSON array of papers"


def sniff(head: str, path: Path) -> bool:
    """Whether ``head`` starts our export (in any layout), or a JSON array of paper objects."""
    text = head.lstrip()
    if text.startswith("{"):
        return _FORMAT_MEMBER.search(text) is not None
    return text.startswith("[") and text[1:].lstrip()[:1] in ("{", "]") and '"title"' in text[:4096]


def write(papers: Iterable[Paper], stream: TextIO, *, views: list[dict[str, Any]] | None = None) -> None:
    """Write ``papers`` as our JSON export, one paper a line.

    Args:
        papers: The papers.
        stream: Where to write.
        views: The library's saved searches (a whole-library export): written as a
            ``views`` member on the header line, before ``papers``, where readers
            that predate it ignore it (see :func:`read_views`).
    """
    header: dict[str, Any] = {"format": MAGIC, "version": VERSION}
    if views is not None:
        header["views"] = views
    # One line whatever the views hold: json.dumps escapes newlines inside strings.
    stream.write(json.dumps(header, ensure_ascii=False)[:-1] + ', "papers": [\n')
    for n, paper in enumerate(papers):
        if n:
            stream.write(",\n")
        stream.write(json.dumps(paper_to_dict(paper), ensure_ascii=False))
    stream.write("\n]}\n")


def read(path: Path) -> Iterator[PaperDraft | BadEntry]:
    """Yield a draft for every paper in an export (or a JSON array of papers).

    Raises:
        FormatError: if the file is not one of our exports at all.
    """
    lines = iter_lines(path)
    first = next(lines, None)
    if first is None or not first[1].startswith(_HEADER_START) or not first[1].endswith("["):
        lines.close()
        yield from _read_stream(path)
        return
    _check_header(path, first[1] + "]}")
    ended = False
    for number, raw in lines:
        text = raw.strip()
        if not text:
            continue
        if text == "]}":
            ended = True
            continue
        if ended:
            yield BadEntry(str(path), number, "text after the end of the export")
            continue
        try:
            obj = json.loads(text.removesuffix(","))
        except (ValueError, RecursionError) as exc:
            column = exc.colno if isinstance(exc, json.JSONDecodeError) else None
            yield BadEntry(str(path), number, failure(exc, column))
            continue
        yield draft_from_dict(path, number, obj)
    if not ended:
        yield BadEntry(str(path), first[0], "export is truncated (no closing ']}')")


def read_views(path: Path) -> tuple[int, Any] | None:
    """The ``views`` member of an export (its line and decoded value), or None without one.

    In our own layout it is on the header line; in any other layout (``jq``
    reformatted) the document's members are walked, the papers stepped over one
    at a time. A bare array of papers has none.

    Raises:
        FormatError: if the member is not valid JSON.
    """
    try:
        return _views_member(path)
    except (UnicodeDecodeError, OSError):
        return None  # the papers' reader reports an unreadable file, with its line


def _views_member(path: Path) -> tuple[int, Any] | None:
    lines = iter_lines(path)
    first = next(lines, None)
    lines.close()
    if first is not None and first[1].startswith(_HEADER_START) and first[1].endswith("["):
        try:
            header = json.loads(first[1] + "]}")
        except json.JSONDecodeError as exc:
            raise FormatError(str(path), 1, f"invalid export header: {exc.msg}") from None
        return (1, header["views"]) if "views" in header else None
    with path.open(encoding=textio.encoding_of(path)) as handle:
        stream = JsonStream(path, handle)
        if stream.peek() != "{":
            return None
        for key, _line in stream.members():
            if key == "papers":
                for _paper in stream.items("paper"):
                    pass
                continue
            member = stream.value()
            if key == "views":
                if member.error is not None:
                    raise FormatError(str(path), member.line, member.error)
                return member.line, member.value
    return None


def _check_header(path: Path, text: str) -> None:
    try:
        header = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(str(path), 1, f"invalid export header: {exc.msg}") from None
    if header.get("version") != VERSION:
        raise FormatError(str(path), 1, f"unsupported export version {header.get('version')!r}")


def _read_stream(path: Path) -> Iterator[PaperDraft | BadEntry]:
    """Any other layout: our export reformatted, or a bare array of papers."""
    try:
        with path.open(encoding=textio.encoding_of(path)) as handle:
            stream = JsonStream(path, handle)
            start = stream.peek()
            if start == "[":
                yield from _drafts(path, stream.items("paper"))
            elif start == "{":
                yield from _read_object(path, stream)
            else:
                raise stream.error(_NOT_OURS if start else "empty file")
            if not stream.at_end():
                line = stream.line_at(stream.pos)
                yield BadEntry(str(path), line, "text after the end of the JSON document")
    except UnicodeDecodeError:
        raise FormatError(str(path), textio.bad_utf8_line(path), "not UTF-8 text") from None
    except OSError as exc:
        raise FormatError(str(path), 0, exc.strerror or str(exc)) from None


def _read_object(path: Path, stream: JsonStream) -> Iterator[PaperDraft | BadEntry]:
    """The members of an export object; ``papers`` streamed, the others checked.

    The members may come in any order (``jq -S`` puts ``version`` after
    ``papers``), so a wrong ``version``, or no ``format``, may only be found
    after the papers; the error then still stops the import before it commits.
    """
    seen: dict[str, int] = {}
    for key, line in stream.members():
        seen[key] = line
        if key == "papers":
            yield from _drafts(path, stream.items("paper"))
            continue
        member = stream.value()
        if member.error is not None:
            raise FormatError(str(path), member.line, member.error)
        if key == "format" and member.value != MAGIC:
            raise FormatError(str(path), member.line, _NOT_OURS)
        if key == "version" and member.value != VERSION:
            raise FormatError(str(path), member.line, f"unsupported export version {member.value!r}")
    if "format" not in seen or "papers" not in seen:
        raise FormatError(str(path), 1, _NOT_OURS)
    if "version" not in seen:
        raise FormatError(str(path), 1, "unsupported export version None")


def _drafts(path: Path, values: Iterator[Value]) -> Iterator[PaperDraft | BadEntry]:
    for item in values:
        if item.error is not None:
            yield BadEntry(str(path), item.line, item.error)
        else:
            yield draft_from_dict(path, item.line, item.value)


def draft_from_dict(path: Path, number: int, obj: Any) -> PaperDraft | BadEntry:
    """Turn one exported paper object into a draft, or a :class:`BadEntry` saying what is wrong.

    Args:
        path: The file, for messages.
        number: The line the object starts on.
        obj: The decoded JSON value.
    """
    if not isinstance(obj, dict):
        return BadEntry(str(path), number, f"expected a JSON object, found {type(obj).__name__}")
    title = obj.get("title")
    if not isinstance(title, str) or not title.strip():
        return BadEntry(str(path), number, "paper has no title")
    try:
        status_text = _optional_str(obj, "status")
        if status_text is not None and status_text not in {s.value for s in Status}:
            raise ValueError(f"{_short(status_text)} is not a valid Status")
        status = Status(status_text) if status_text is not None else None
        year = _whole(obj, "year")
        queue = _whole(obj, "queue_position")
        paper_id = _whole(obj, "id")
        return PaperDraft(
            title=title,
            abstract=_str(obj, "abstract"),
            authors=tuple(_str_list(obj, "authors")),
            year=year,
            date=_optional_str(obj, "date"),
            arxiv_id=_optional_str(obj, "arxiv_id"),
            doi=_optional_str(obj, "doi"),
            url=_optional_str(obj, "url"),
            source=_optional_str(obj, "source") or "",
            tags=tuple(_str_list(obj, "tags")),
            starred=bool(obj.get("starred", False)),
            status=status,
            queue_position=queue,
            notes=_str(obj, "notes"),
            added_at=_optional_str(obj, "added_at"),
            notes_updated_at=_optional_str(obj, "notes_updated_at"),
            line=number,
            id=paper_id,
            venue=_optional_str(obj, "venue"),
            key=_str(obj, "key"),
        )
    except (ValueError, TypeError) as exc:
        return BadEntry(str(path), number, str(exc))


MAX_WHOLE = 2**62
"""Ids, years and queue places must stay below this in size: SQLite's integers end at 2**63,
and an import adds to ids and queue places (the next id, the end of the queue)."""


def _whole(obj: dict[str, Any], key: str) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{key} must be a whole number, not {_short(value)}")
    if not -MAX_WHOLE < value < MAX_WHOLE:
        raise ValueError(f"{key} {_short(value)} is out of range")
    return value


def _short(value: Any) -> str:
    """``value`` for a one-line message, cut short (an integer may have thousands of digits)."""
    text = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__
    return text if len(text) <= 40 else f"{text[:30]}… ({len(text)} characters)"


def _optional_str(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{key} must be text, not {type(value).__name__}")
    return value


def _str(obj: dict[str, Any], key: str) -> str:
    value = obj.get(key) or ""
    if not isinstance(value, str):
        raise TypeError(f"{key} must be text, not {type(value).__name__}")
    return value


def _str_list(obj: dict[str, Any], key: str) -> list[str]:
    value = obj.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"{key} must be a list of strings")
    return value


FORMAT = register(
    Format(
        name="json",
        description="readinglist JSON export: everything, including tags, notes and the queue",
        sniff=sniff,
        read=read,
        write=write,
        extensions=(".json",),
    )
)

"""Our own JSON export: every field of every paper, the user's data included.

The file is one JSON document, written one paper a line so it can be read back
as a stream::

    {"format": "readinglist", "version": 1, "papers": [
    {"id": 1, "title": ...},
    {"id": 2, "title": ...}
    ]}

Each paper has the shape of :func:`~readinglist.core.models.paper_to_dict`.
A file that was reformatted (say by ``jq``) and a bare JSON array of papers
(``readinglist list --json``) are read too, but whole rather than streamed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from readinglist.core.errors import FormatError
from readinglist.core.formats import BadEntry, Format, register
from readinglist.core.formats.textio import iter_lines
from readinglist.core.models import Paper, PaperDraft, Status, paper_to_dict

MAGIC = "readinglist"
VERSION = 1
_HEADER_START = '{"format": "readinglist"'


def sniff(head: str, path: Path) -> bool:
    """Whether ``head`` starts our export, or a JSON array of paper objects."""
    text = head.lstrip()
    if text.startswith(_HEADER_START):
        return True
    return text.startswith("[") and text[1:].lstrip()[:1] in ("{", "]") and '"title"' in text[:4096]


def write(papers: Iterable[Paper], stream: TextIO) -> None:
    """Write ``papers`` as our JSON export, one paper a line."""
    stream.write(json.dumps({"format": MAGIC, "version": VERSION})[:-1] + ', "papers": [\n')
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
        yield from _read_whole(path)
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
        except json.JSONDecodeError as exc:
            yield BadEntry(str(path), number, f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        yield draft_from_dict(path, number, obj)
    if not ended:
        yield BadEntry(str(path), first[0], "export is truncated (no closing ']}')")


def _check_header(path: Path, text: str) -> None:
    try:
        header = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(str(path), 1, f"invalid export header: {exc.msg}") from None
    if header.get("version") != VERSION:
        raise FormatError(str(path), 1, f"unsupported export version {header.get('version')!r}")


def _read_whole(path: Path) -> Iterator[PaperDraft | BadEntry]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise FormatError(str(path), exc.lineno, f"invalid JSON: {exc.msg}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FormatError(str(path), 0, f"cannot read: {exc}") from None
    if isinstance(data, dict) and data.get("format") == MAGIC:
        if data.get("version") != VERSION:
            raise FormatError(str(path), 1, f"unsupported export version {data.get('version')!r}")
        data = data.get("papers")
    if not isinstance(data, list):
        raise FormatError(str(path), 1, "expected a readinglist export or a JSON array of papers")
    for n, obj in enumerate(data, start=1):
        # No line numbers survive a whole-document parse: count papers instead.
        yield draft_from_dict(path, n, obj, unit="paper")


def draft_from_dict(path: Path, number: int, obj: Any, unit: str = "line") -> PaperDraft | BadEntry:
    """Turn one exported paper object into a draft, or a :class:`BadEntry` saying what is wrong."""
    where = number if unit == "line" else 0
    prefix = "" if unit == "line" else f"paper {number}: "
    if not isinstance(obj, dict):
        return BadEntry(str(path), where, f"{prefix}expected a JSON object, found {type(obj).__name__}")
    title = obj.get("title")
    if not isinstance(title, str) or not title.strip():
        return BadEntry(str(path), where, f"{prefix}paper has no title")
    try:
        status = Status(obj["status"]) if obj.get("status") is not None else None
        year = obj.get("year")
        queue = obj.get("queue_position")
        paper_id = obj.get("id")
        for name, value in (("year", year), ("queue_position", queue), ("id", paper_id)):
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                raise ValueError(f"{name} must be a whole number, not {value!r}")
        return PaperDraft(
            title=title,
            abstract=_str(obj, "abstract"),
            authors=tuple(_str_list(obj, "authors")),
            year=year,
            date=obj.get("date"),
            arxiv_id=obj.get("arxiv_id"),
            doi=obj.get("doi"),
            url=obj.get("url"),
            source=obj.get("source") or "",
            tags=tuple(_str_list(obj, "tags")),
            starred=bool(obj.get("starred", False)),
            status=status,
            queue_position=queue,
            notes=_str(obj, "notes"),
            added_at=obj.get("added_at"),
            notes_updated_at=obj.get("notes_updated_at"),
            line=number,
            id=paper_id,
        )
    except (ValueError, TypeError) as exc:
        return BadEntry(str(path), where, f"{prefix}{exc}")


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

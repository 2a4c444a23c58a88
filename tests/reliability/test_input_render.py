"""Hostile field values through the real app: the list, the details, the copy menu and its toasts.

Papers go into a real library file the way an import puts them there, then the
app starts on it and every paper is highlighted, copied from and tagged. Nothing
may crash the app (a URL with a space in it used to, at every start, leaving the
user locked out), no field may act as Rich markup, and no control character from
a field may reach the terminal (an ESC in a title could retitle the window,
recolour the screen or worse).
"""

from __future__ import annotations

import asyncio
import io
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rich.console import Console, RenderableType
from rich.style import Style
from textual._compositor import CompositorUpdate

from readinglist.config import Settings
from readinglist.core.models import Paper, PaperDraft, Status
from readinglist.core.safe_text import pictured
from readinglist.core.sample import SEEDED_KEY
from readinglist.core.store import Library
from readinglist.ui.app import ReadingListApp, make_app
from readinglist.ui.screens.copy_menu import CHOICES, CopyMenu, choice_text
from readinglist.ui.screens.main import MainScreen
from readinglist.ui.screens.tag_dialog import TagDialog
from readinglist.ui.screens.text_dialog import TextDialog
from readinglist.ui.widgets.detail_pane import DetailPane, detail_text
from readinglist.ui.widgets.paper_list import PaperList
from readinglist.ui.widgets.paper_rows import row_segments
from tests.helpers import add_paper
from tests.reliability.input_cli import titles
from tests.ui.conftest import FakeClipboard, notices, settle

PIECES = [
    "[bold]",
    "[/]",
    "[/bold]",
    "[link=https://evil.example]",
    "[@click=app.quit]",
    "[",
    "]",
    "\\",
    "[b",
    " ",
    "\x1b[31m",
    "\x1b]0;owned\x07",
    "\x1b]8;;https://evil.example\x1b\\",
    "\x1b]52;c;b3duZWQ=\x07",
    "\x07",
    "\x08",
    "\r",
    "\n",
    "\t",
    "\x00",
    "\x7f",
    "\x9b",
    "\x85",
    "\u202e",
    "\u2066",
    "\u200f",
    "%s",
    "{0}",
    "😀",
    "語",
    "e\u0301",
]
# Text SQLite can hold: anything but lone surrogates (an import refuses those).
_CHARS = st.characters(exclude_categories=["Cs"])
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text(_CHARS, max_size=4)), max_size=6).map("".join)
DRAFT = st.builds(
    PaperDraft,
    title=TEXT.map(lambda t: "T " + t),  # a title with no word is not a paper
    abstract=TEXT,
    authors=st.lists(TEXT, max_size=2).map(tuple),
    url=st.one_of(TEXT.map(lambda t: "https://example.org/" + t), TEXT),
    tags=st.lists(TEXT, max_size=2).map(tuple),
    notes=TEXT,
    date=st.one_of(st.none(), TEXT),
    doi=st.one_of(st.none(), TEXT.map(lambda t: "10.1/" + t)),
    # builds() fills a NamedTuple's defaulted fields too: keep those a reader could produce.
    year=st.none() | st.integers(-(2**62), 2**62),
    arxiv_id=st.none() | TEXT,
    source=st.just(""),
    starred=st.none() | st.booleans(),
    status=st.none() | st.sampled_from(Status),
    queue_position=st.none(),
    added_at=st.none(),
    notes_updated_at=st.none(),
    line=st.just(0),
    id=st.none(),
)

# What the app writes that is Textual's own: SGR and cursor sequences, the hyperlink
# sequence around a linked URL, and the clipboard sequence of a copy.
_OWN_SEQUENCES = re.compile(
    r"\x1b\[[0-9;:?<>=]*[@-~]|\x1b\]8;[^\x1b\x07]*\x1b\\|\x1b\][0-9]+;[^\x1b\x07]*\x07"
)
# Newlines are left out: Textual ends the lines of a full redraw with them; a field's
# own newline cannot end a line early (a list row that did would show it).
_RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_output(app: ReadingListApp) -> str:
    """What the app would write to the terminal to draw the whole screen now.

    The headless driver writes nothing, so this asks the screen's compositor for
    the update Textual would send, the same call the real driver's path makes.
    """
    update = app.screen._compositor.render_update(full=True)
    assert isinstance(update, CompositorUpdate)
    return update.render_segments(app.console)


def assert_nothing_raw(app: ReadingListApp) -> None:
    rest = _OWN_SEQUENCES.sub("", terminal_output(app))
    found = sorted({ascii(c) for c in _RAW.findall(rest)})
    assert not found, f"control characters from a field reached the terminal: {found}"


def library_with(folder: Path, drafts: Sequence[PaperDraft]) -> Path:
    db = folder / "library.db"
    with Library(db) as library:
        library.set_meta(SEEDED_KEY, "no sample")  # a first launch would import the sample
        for draft in drafts:
            add_paper(library, draft)  # the import's own preparation, dedup and insert
    return db


async def drive(db: Path, works: bool, *, dialogs: bool = True) -> None:
    """Start the app on ``db``, highlight every paper; with ``dialogs``, copy from and tag the first."""
    app = make_app(db, Settings(), system_copy=FakeClipboard(works=works))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        papers = app.screen.query_one(PaperList)
        for n in range(app.library.count()):
            if n:
                await pilot.press("down")
            assert isinstance(app.screen, MainScreen)
            paper = app.library.get(papers.current_id or 0)
            assert_nothing_raw(app)  # every row on screen, this paper's details and note
            # The details follow the cursor after a short delay: under load, allow it up to 3 s.
            for _ in range(30):
                details = str(app.screen.query_one(DetailPane).query_one("#detail-body").render())
                if pictured(paper.title) in details:
                    break
                await pilot.pause(0.1)
            assert pictured(paper.title) in details
            assert_nothing_raw(app)
        if not dialogs:
            return
        # Copy the title: with no working clipboard, a dialog shows it for selecting.
        await pilot.press("Y")
        assert isinstance(app.screen, CopyMenu)
        await pilot.press("t")
        await settle(pilot)
        assert_nothing_raw(app)  # the toast, and the dialog when there is one
        assert notices(app)
        if isinstance(app.screen, TextDialog):
            await pilot.press("escape")
        await pilot.press("t")  # the tag dialog names the paper and its tags
        assert isinstance(app.screen, TagDialog)
        assert_nothing_raw(app)


@pytest.mark.slow
@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    # No shrinking: each example runs the app (about a second), and shrinking one took
    # minutes. A failure still prints the example that failed, and the database replays it.
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
)
@given(drafts=st.lists(DRAFT, min_size=1, max_size=4), works=st.booleans())
def test_hostile_fields_render_in_the_real_app(drafts: list[PaperDraft], works: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = library_with(Path(folder), drafts)
        asyncio.run(drive(db, works))


def test_url_with_a_space_and_markup_starts_the_app(tmp_path: Path) -> None:
    """The URL that locked its owner out: every start crashed on the details pane's style string."""
    drafts = [
        PaperDraft(title="Spaced link", url="https://example.org/a paper zz"),
        PaperDraft(title="Markup link", url="https://example.org/[bold]x[/] [link=javascript:alert(1)]y"),
        PaperDraft(title="Escape link", url="https://example.org/\x1b]8;;https://evil.example\x07"),
    ]
    db = library_with(tmp_path, drafts)
    asyncio.run(drive(db, works=True, dialogs=False))


# -- the same render code without the app: many more examples in the same time ----------

PAPER = st.builds(
    Paper,
    id=st.integers(1, 10**6),
    title=TEXT.map(lambda t: "T " + t),
    abstract=TEXT,
    authors=st.lists(TEXT, max_size=3).map(tuple),
    year=st.none() | st.integers(-(2**62), 2**62),
    date=st.none() | TEXT,
    arxiv_id=st.none() | TEXT,
    doi=st.none() | TEXT,
    url=st.none() | TEXT,
    links=st.lists(TEXT, max_size=3).map(tuple),
    source=TEXT,
    added_at=st.just("2026-01-01T00:00:00Z"),
    starred=st.booleans(),
    status=st.sampled_from(Status),
    queue_position=st.none() | st.integers(1, 10**6),
    tags=st.lists(TEXT, max_size=3).map(tuple),
    notes=TEXT,
    notes_updated_at=st.none(),
    primary_link=TEXT,
)


def _printed(renderable: RenderableType, width: int) -> str:
    console = Console(file=io.StringIO(), force_terminal=True, color_system="truecolor", width=width)
    console.print(renderable)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(out, str)
    return out


@settings(max_examples=100, deadline=None)
@given(paper=PAPER, width=st.integers(20, 140), query=TEXT)
def test_row_details_and_copy_texts_never_carry_raw_controls(paper: Paper, width: int, query: str) -> None:
    styles = {name: Style() for name in ("star", "mark", "match", "tags")}
    spans = [(0, 3), (2, 7), (len(paper.title) - 2, len(paper.title) + 5)]
    row = "".join(s.text for s in row_segments(paper, "1", spans, width, Style(), styles))
    assert not _RAW.search(row) and "\n" not in row, ascii(row)  # one row, one line
    details = _OWN_SEQUENCES.sub("", _printed(detail_text(paper, {"title": spans, "abstract": spans}), width))
    assert not _RAW.search(details), ascii(details)
    for choice in CHOICES:
        picked = choice_text(choice, paper)  # what the copy menu copies: made without raising
        assert picked is None or isinstance(picked[0], str)


# -- what the user types, and messages that quote a file ----------------------------------


async def test_search_box_hints_instead_of_failing(tmp_path: Path) -> None:
    from textual.widgets import Static

    from tests.ui.conftest import search, status_line

    db = library_with(tmp_path, [PaperDraft(title="Only paper [bold]")])
    app = make_app(db, Settings(), system_copy=FakeClipboard())
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        # An age reaching before the year 1 raised OverflowError in the search worker.
        await search(pilot, "added:<2100y ")
        # The hint has its own line under the search box (#16).
        hint = str(app.screen.query_one("#search-hint", Static).render())
        assert "added:<2100y reaches back before the year 1" in hint
        assert "1 match" in status_line(app)
        # The status line quotes the query as typed: markup in it is text.
        await search(pilot, "paper [/] [@click=app.quit] ")
        assert 'matches "paper [/] [@click=app.quit]"' in status_line(app)
        assert isinstance(app.screen, MainScreen)


async def test_import_notes_quoting_markup_are_shown_as_text(tmp_path: Path) -> None:
    from textual.widgets import Checkbox, Input

    db = library_with(tmp_path, [PaperDraft(title="Already here")])
    source = tmp_path / "odd.json"
    source.write_text(
        '{"format": "readinglist", "version": 1, "papers": [\n'
        '{"title": "Good"},\n{"title": "Odd", "status": "[/][@click=app.quit]x"}\n]}\n',
        encoding="utf-8",
    )
    app = make_app(db, Settings(), system_copy=FakeClipboard())
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        app.screen.query_one("#import-paths", Input).value = str(source)
        app.screen.query_one("#import-skip-bad", Checkbox).value = True
        await pilot.press("enter")
        await settle(pilot)
        await pilot.pause(0.3)  # the toasts' first frame
        expected = f"{source}:3: '[/][@click=app.quit]x' is not a valid Status"
        assert expected in notices(app)
        # Shown as written: as markup "[/]" closed a style and "[@click=...]" made
        # the text a button that runs an action. (Textual keeps notifications privately.)
        (note,) = [n for n in app._notifications if n.message == expected]
        assert not note.markup
        assert isinstance(app.screen, MainScreen)
        assert_nothing_raw(app)
    assert sorted(titles(db)) == ["Already here", "Good"]

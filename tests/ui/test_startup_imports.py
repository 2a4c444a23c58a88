"""Start-up loads what the first frame needs, not what only later screens do."""

from __future__ import annotations

import subprocess
import sys

LATER_ONLY = (
    "bibtexparser",
    "pylatexenc",
    "readinglist.core.cite",
    "readinglist.core.exporter",
    "readinglist.core.formats",
    "readinglist.core.importing",
    "readinglist.core.sample",
    "readinglist.core.search.engine",
    "sqlite_utils",
)
"""The copy menu's BibTeX writer, the export and import dialogs' formats, the import pipeline
(and the sample that seeds a new library through it), and the search
engine (the first search runs in a worker after the first frame)."""


def test_the_app_and_its_key_bindings_load_without_the_formats_or_the_search_engine() -> None:
    # A process of its own: this test process has loaded them all already.
    code = (
        "import sys\n"
        "import readinglist.ui\n"
        "from readinglist.ui.app import ReadingListApp\n"
        "from readinglist.ui.keys import key_rows\n"
        "assert key_rows(ReadingListApp.binding_sources())  # what the app's on_mount reads\n"
        f"later = {LATER_ONLY!r}\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(later))\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_the_loaded_modules_are_still_there_when_asked_for() -> None:
    """What start-up leaves out still loads on first use (the package's names are lazy)."""
    code = (
        "import readinglist.core.search as search\n"
        "from readinglist.ui.screens.copy_menu import choice_text\n"
        "assert search.SearchEngine.__name__ == 'SearchEngine' and search.refresh_vocab\n"
        "from readinglist.core.models import Paper, Status\n"
        "paper = Paper(id=1, title='A {T}itle', abstract='', authors=('Ada Lovelace',), year=2024,"
        " date=None, arxiv_id='2401.00001', doi=None, url=None, links=(), source='test',"
        " added_at='2024-01-01T00:00:00Z', starred=False, status=Status.UNREAD, queue_position=None,"
        " tags=(), notes='', notes_updated_at=None, primary_link='https://arxiv.org/abs/2401.00001')\n"
        "text, what = choice_text('bibtex', paper)\n"
        "assert what == 'BibTeX entry' and text.startswith('@'), text\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr

"""The import pipeline's package: one entry point, loaded lazily; tag cleaning is the model's."""

from __future__ import annotations

import subprocess
import sys

from readinglist.core import importing
from readinglist.core.models import clean_tags


def test_the_package_exposes_one_entry_point_and_its_progress_type() -> None:
    assert importing.__all__ == ["ImportProgress", "import_files"]
    assert importing.import_files.__module__ == "readinglist.core.importing.files"


def test_running_the_reader_as_a_module_loads_it_once() -> None:
    # The helper process runs ``python -m readinglist.core.importing.reader``: importing the
    # package first must not load the reader under its own name too (runpy warns then).
    code = (
        "import runpy, sys, warnings\n"
        "warnings.simplefilter('error')\n"
        "sys.argv = ['x']\n"
        "import readinglist.core.importing\n"
        "assert 'readinglist.core.importing.reader' not in sys.modules\n"
        "assert 'readinglist.core.importing.files' not in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_clean_tags_trims_drops_hashes_and_case_repeats_keeping_the_first_spelling() -> None:
    assert clean_tags(["  #NLP ", "nlp", "deep   learning", "", "#", "Deep Learning", "rl"]) == [
        "NLP",
        "deep learning",
        "rl",
    ]

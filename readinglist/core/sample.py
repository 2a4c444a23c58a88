"""The bundled sample library: where it is, and seeding a new library with it once."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from readinglist.core.importing import import_files
from readinglist.core.models import ImportReport
from readinglist.core.store import Library, now

SAMPLE_NAME = "hf-papers-seed.txt"
SEEDED_KEY = "sample_seeded_at"


def sample_path() -> Path:
    """The bundled sample library file (inside the installed package)."""
    return Path(str(resources.files("readinglist") / "data" / SAMPLE_NAME))


def import_sample(library: Library) -> ImportReport:
    """Import the bundled sample of 220 language-model papers."""
    return import_files(library, [sample_path()], format_name="hf-text")


def seed_if_new(library: Library) -> ImportReport | None:
    """Fill a library that has never held a paper with the sample, once.

    The fact is recorded, so a user who later deletes papers never gets the
    sample back unasked. A library that cannot be changed is left alone.

    Returns:
        The import report if the sample was imported, else None.
    """
    if library.read_only is not None or library.get_meta(SEEDED_KEY) is not None:
        return None
    report = None
    if library.count() == 0:
        report = import_sample(library)
    library.set_meta(SEEDED_KEY, now())
    return report

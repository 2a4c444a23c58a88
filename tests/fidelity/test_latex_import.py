# ruff: noqa: RUF001 - expected titles hold Greek letters and math symbols on purpose
r"""LaTeX becomes text through the real CLI, and nothing without math changes (issue #18, part 2).

Real-shaped files (DBLP's ``5\({}^{\mbox{th}}\)``, ADS's ``"{High-$\beta$ ...}"``,
an arXiv snapshot line and an Atom feed) are imported by a separate
``python -m readinglist`` process into a real library file and read back with
``show --json`` and ``export --format json``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from bibtexparser.entrypoint import parse_file
from hypothesis import given, settings
from hypothesis import strategies as st

from readinglist.core.formats import bibtex, bibtex_fields, bibtex_latex

DATA = Path(__file__).parent / "data"
CORE_DATA = Path(__file__).parent.parent / "data"


def cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "readinglist", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def imported(tmp_path: Path, name: str) -> dict[str, dict[str, Any]]:
    """Import ``name`` through the CLI; every paper as ``show --json`` gives it, by title."""
    db = tmp_path / "library.db"
    result = cli(db, "import", str(DATA / name))
    assert result.returncode == 0, result.stderr
    exported = cli(db, "export", "--format", "json")
    assert exported.returncode == 0, exported.stderr
    papers: dict[str, dict[str, Any]] = {}
    for item in json.loads(exported.stdout)["papers"]:
        shown = cli(db, "show", str(item["id"]), "--json")
        assert shown.returncode == 0, shown.stderr
        paper = json.loads(shown.stdout)
        papers[paper["title"]] = paper
    return papers


@pytest.mark.slow
def test_bibtex_titles_and_abstracts_read_as_text(tmp_path: Path) -> None:
    papers = imported(tmp_path, "latex-dblp.bib")
    assert set(papers) == {
        "Proceedings of the 5ᵗʰ Workshop on Graph Learning",
        "High-β Nanowire Lasers on Si⟨111⟩",
        "An O(n log n) algorithm for k-means with ℓ₁ loss",
        "Attention in plain words",
    }
    lasers = papers["High-β Nanowire Lasers on Si⟨111⟩"]
    # Math became text; the bare %, its "comment" and the escaped dollars survive.
    assert lasers["abstract"] == (
        "We report lasing at λ ≈ 1.3 μm with β > 0.5 in Pb₁₋ₓSnₓTe wires, a 40% gain over prior "
        "work; the device costs $5 and $10 to make. % not a comment"
    )
    assert lasers["authors"] == ["Li Xu", "Anna Müller"]
    assert papers["Attention in plain words"]["abstract"] == "Nothing to decode here, 50% of the time."


@pytest.mark.slow
def test_arxiv_snapshot_line_reads_as_text(tmp_path: Path) -> None:
    papers = imported(tmp_path, "latex-arxiv.jsonl")
    decay = papers["α-decay half-lives and the ¹³C reaction at √s=13 TeV"]
    assert decay["arxiv_id"] == "1905.00001"
    assert decay["abstract"] == (
        "We measure H₂O ice at T_c with an O(10⁻³) precision, roughly 10% better; "
        "Schrödinger's equation holds. It costs $5 and $10."
    )
    assert "GPT-4 Technical Report" in papers


@pytest.mark.slow
def test_arxiv_atom_entry_reads_as_text(tmp_path: Path) -> None:
    papers = imported(tmp_path, "latex-arxiv.xml")
    assert list(papers) == ["ℓ₁-Regularised k-means on ℝⁿ in Õ(√n) Time"]
    (paper,) = papers.values()
    assert paper["abstract"] == (
        "We show a (1+ε)-approximation with n log n queries when x ≤ y; the ab initio bound "
        "is 3×10⁵ and ~10% of runs fail."
    )


def _old_text(value: object) -> str:
    """``bibtex_fields.text`` as it was before math became text: pylatexenc alone."""
    raw = str(value)
    if bibtex_latex.LATEX_HINT.search(raw):
        try:
            raw = bibtex_latex._decoder().latex_to_text(bibtex_latex.BARE_PERCENT.sub(r"\\%", raw))
        except Exception:
            raw = raw.replace("{", "").replace("}", "")
        raw = raw.replace(bibtex_latex.DOLLAR, "$").replace(bibtex_latex.BACKSLASH, "\\")
    return " ".join(raw.split())


def test_bibtex_without_math_decodes_as_before() -> None:
    """A differential check over every BibTeX fixture: values holding no math are unchanged."""
    compared = changed = 0
    for path in sorted([*CORE_DATA.glob("*.bib"), *DATA.glob("*.bib")]):
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue  # the encoding fixtures (cp1252, UTF-16): the differential reads UTF-8 only
        library = parse_file(str(path))
        for entry in library.entries:
            for key in ("title", "abstract", "journal", "booktitle", "note"):
                if key not in entry:
                    continue
                value = entry[key]
                old, new = _old_text(value), bibtex_fields.text(value)
                if "$" in old or "\\(" in old:
                    changed += old != new
                    continue
                compared += 1
                assert new == old, (path.name, key, value)
    assert compared > 20 and changed >= 3


@pytest.mark.parametrize(
    "title",
    [
        "Proceedings of the 5ᵗʰ Workshop",
        r"√s_{NN}=5.02 TeV and \binom{n}{k} bounds",
        "T_c and x^{⊤} with {braces} and {}",
        r"costs $5 and $10, a \( and a \emph{literal}",
        "50% of O(n log n)",
    ],
)
def test_converted_titles_survive_a_bibtex_round_trip(title: str) -> None:
    """What conversion left (or literal $ and \\ in text) is written escaped and read back the same."""
    assert bibtex_fields.text("{" + bibtex.escape(title) + "}") == title


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab $\\{}^_%&#~()[]12αx\n", min_size=1, max_size=40))
def test_any_title_survives_a_bibtex_round_trip(title: str) -> None:
    """Literal $, \\, braces and carets in a title are escaped on export and never read as math."""
    assert bibtex_fields.text("{" + bibtex.escape(title) + "}") == " ".join(title.split())

"""RIS as Zotero, Scopus, Web of Science, PubMed and IEEE Xplore export it, read field by field."""

from __future__ import annotations

from pathlib import Path

import pytest

from readinglist.core.errors import FormatError
from readinglist.core.formats import BadEntry, detect, get_format
from readinglist.core.models import PaperDraft

DATA = Path(__file__).parent / "data"


def read_all(path: Path) -> list[PaperDraft | BadEntry]:
    reader = get_format("ris").read
    assert reader is not None
    return list(reader(path))


def drafts(path: Path) -> list[PaperDraft]:
    items = read_all(path)
    assert all(isinstance(d, PaperDraft) for d in items), items
    return [d for d in items if isinstance(d, PaperDraft)]


def test_zotero_export_reads_every_field() -> None:
    survey, attention, book = drafts(DATA / "ris_zotero.ris")
    assert survey.title == "A Survey of Augmented Reality"
    assert survey.authors == ("Mark Billinghurst", "Adrian Clark", "Gun Lee")
    assert (survey.year, survey.date) == (2015, "2015-03-31")
    assert survey.doi == "10.1561/1100000049"
    assert survey.url == "https://www.nowpublishers.com/article/Details/HCI-049"
    assert survey.tags == ("augmented reality", "HCI")
    assert survey.abstract.startswith("This survey summarizes almost 50 years")
    assert survey.arxiv_id is None
    assert survey.line == 1
    # Zotero's preprint: the arXiv id from the arXiv DOI, the URL kept as written.
    assert attention.arxiv_id == "1706.03762"
    assert attention.doi == "10.48550/arxiv.1706.03762"
    assert attention.url == "http://arxiv.org/abs/1706.03762"
    assert attention.notes == "arXiv:1706.03762 [cs]"
    assert attention.tags == (
        "Computer Science - Computation and Language",
        "Computer Science - Machine Learning",
    )
    assert (book.title, book.authors, book.year, book.date) == (
        "Counterfactuals",
        ("David Lewis",),
        1973,
        None,
    )


def test_scopus_export_with_bom_and_crlf() -> None:
    raw = (DATA / "ris_scopus.ris").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # the fixture is what it claims
    deep, go = drafts(DATA / "ris_scopus.ris")
    assert deep.title == "Deep learning"
    assert deep.authors == ("Y. LeCun", "Y. Bengio", "G. Hinton")
    assert (deep.year, deep.date, deep.doi) == (2015, None, "10.1038/nature14539")
    assert deep.url is not None and deep.url.startswith("https://www.scopus.com/inward/record.uri?eid=")
    assert deep.notes == "Cited By :35247\nExport Date: 10 January 2024"
    assert deep.abstract.endswith("All rights reserved.")
    assert not any("\r" in text for text in (deep.title, deep.abstract, deep.notes or ""))
    assert (go.date, go.tags) == ("2016-01-28", ("Go", "Monte Carlo tree search", "reinforcement learning"))


def test_web_of_science_continuation_lines_and_name_suffixes() -> None:
    (paper,) = drafts(DATA / "ris_wos.ris")
    assert paper.title == (
        "Measuring the effects of sleep deprivation on working memory: a randomized controlled trial"
    )
    assert paper.abstract == (
        "Sleep deprivation impairs cognition. We measured working memory in 120 adults "
        "after 24 h of total sleep deprivation. Performance declined by 18%."
    )
    assert paper.authors == ("John A. Smith", "Gabriel García-Márquez", "John Smith Jr.")
    # ``DA  - DEC`` beside ``PY  - 2016``.
    assert (paper.year, paper.date, paper.doi) == (2016, "2016-12", "10.1111/jsr.12434")


def test_pubmed_export_old_tags_and_doi_as_url() -> None:
    (paper,) = drafts(DATA / "ris_pubmed.ris")
    assert paper.title == "Remdesivir for the Treatment of Covid-19 - Final Report"
    assert paper.authors == ("John H Beigel", "Kay M Tomashek", "Lori E Dodd")
    assert (paper.year, paper.date) == (2020, "2020-11-05")
    assert paper.abstract.startswith("BACKGROUND: Although several")
    assert paper.doi == "10.1056/nejmoa2007764"
    assert paper.url == "https://pubmed.ncbi.nlm.nih.gov/32445440"
    assert paper.tags == (
        "Adenosine Monophosphate/analogs & derivatives",
        "Antiviral Agents/*therapeutic use",
        "Humans",
    )


def test_ieee_export_blank_tags_and_natural_names() -> None:
    (paper,) = drafts(DATA / "ris_ieee.ris")
    assert paper.title == "Deep Residual Learning for Image Recognition"
    assert paper.authors == ("K. He", "X. Zhang", "S. Ren", "J. Sun")
    assert (paper.year, paper.date) == (2016, "2016-06")
    assert paper.doi == "10.1109/cvpr.2016.90"
    assert paper.tags == ("Training", "Degradation", "Neural networks")
    assert paper.url is None


def test_endnote_single_space_tags_and_a_last_record_without_er() -> None:
    ada, turing = drafts(DATA / "ris_endnote.ris")
    assert ada.title == "Notes on the Analytical Engine"
    assert ada.authors == ("Ada Lovelace", "Luigi Federico Menabrea Jr.")
    assert (ada.year, ada.date, ada.url) == (1843, "1843-10-01", None)
    assert (ada.tags, ada.notes) == (("computing history",), "Translated with notes.")
    assert (turing.title, turing.authors, turing.year, turing.line) == (
        "An unfinished record",
        ("A. M. Turing",),
        1950,
        12,
    )


def test_sciencedirect_download_with_provider_header() -> None:
    (paper,) = drafts(DATA / "ris_sciencedirect.ris")
    assert paper.title == "Energy-efficient buildings: a review"
    assert paper.authors == ("Carlos E. Ochoa", "Isaac Guedi Capeluto")
    assert (paper.year, paper.date) == (2016, "2016-09-15")
    assert paper.doi == "10.1016/j.enbuild.2016.06.083"
    assert paper.url == "https://www.sciencedirect.com/science/article/pii/S0378778816305709"
    assert paper.line == 5


@pytest.mark.parametrize(
    "name",
    [
        "ris_zotero.ris",
        "ris_scopus.ris",
        "ris_wos.ris",
        "ris_pubmed.ris",
        "ris_ieee.ris",
        "ris_sciencedirect.ris",
    ],
)
def test_detected_by_extension_and_by_content(name: str, tmp_path: Path) -> None:
    assert detect(DATA / name) == (get_format("ris"), None)
    bare = tmp_path / "export"
    bare.write_bytes((DATA / name).read_bytes())
    assert detect(bare)[0].name == "ris"
    # A .txt name (what some sites download) is overruled by the content, without a notice.
    txt = tmp_path / "export.txt"
    txt.write_bytes((DATA / name).read_bytes())
    assert detect(txt)[0].name == "ris"


def test_dates_in_every_shape(tmp_path: Path) -> None:
    shapes = {
        "PY  - 2016": (2016, None),
        "PY  - 2016///": (2016, None),
        "DA  - 2016/12//": (2016, "2016-12"),
        "DA  - 2016/12/05/": (2016, "2016-12-05"),
        "Y1  - 2016/12/05/Winter": (2016, "2016-12-05"),
        "DA  - 2016-12-05": (2016, "2016-12-05"),
        "PY  - 2016\nDA  - 2016/13/40/": (2016, None),
        "PY  - forthcoming": (None, None),
    }
    for line, expected in shapes.items():
        path = tmp_path / "d.ris"
        path.write_text(f"TY  - JOUR\nTI  - T\n{line}\nER  - \n", encoding="utf-8")
        (draft,) = drafts(path)
        assert (draft.year, draft.date) == expected, line


def test_arxiv_ids_from_url_accession_and_journal(tmp_path: Path) -> None:
    path = tmp_path / "a.ris"
    path.write_text(
        "TY  - GEN\nTI  - One\nUR  - https://arxiv.org/pdf/2310.06825v2\nER  - \n"
        "TY  - GEN\nTI  - Two\nAN  - arXiv:hep-th/9901001\nER  - \n"
        "TY  - JOUR\nTI  - Three\nJO  - arXiv preprint arXiv:2106.09685\nER  - \n"
        "TY  - JOUR\nTI  - Four\nUR  - https://example.org/a https://example.org/b\nER  - \n",
        encoding="utf-8",
    )
    one, two, three, four = drafts(path)
    assert (one.arxiv_id, two.arxiv_id, three.arxiv_id, four.arxiv_id) == (
        "2310.06825",
        "hep-th/9901001",
        "2106.09685",
        None,
    )
    assert four.url == "https://example.org/a"


def test_record_without_title_is_a_bad_entry_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "b.ris"
    path.write_text(
        "TY  - JOUR\nTI  - Good\nER  - \n\nTY  - JOUR\nAU  - Doe, Jane\nTI  -\nER  - \n"
        "AU  - Orphan, A\nTI  - No type\nER  - \n",
        encoding="utf-8",
    )
    good, untitled, orphan = read_all(path)
    assert isinstance(good, PaperDraft) and good.title == "Good"
    assert untitled == BadEntry(str(path), 5, "RIS record (TY  - JOUR) has no title (TI or T1)")
    assert orphan == BadEntry(str(path), 9, "RIS record has no 'TY  -' line before its first tag")


def test_record_without_er_ends_at_the_next_ty_or_the_end(tmp_path: Path) -> None:
    path = tmp_path / "c.ris"
    path.write_text("TY  - JOUR\nTI  - One\nTY  - JOUR\nTI  - Two\n", encoding="utf-8")
    assert [d.title for d in drafts(path)] == ["One", "Two"]


def test_a_file_without_a_ty_record_is_not_ris(tmp_path: Path) -> None:
    path = tmp_path / "x.ris"
    path.write_text("AU  - Doe, Jane\nTI  - Lost\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"x\.ris:1: no RIS records found"):
        read_all(path)
    plain = tmp_path / "notes.txt"
    plain.write_text("just some text\nTY  - JOUR\n", encoding="utf-8")
    with pytest.raises(FormatError, match="unrecognised format"):
        detect(plain)

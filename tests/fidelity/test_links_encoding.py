"""Files in UTF-16, Windows-1252 and Latin-1 import, with a note or with ``--encoding`` (issue #18, §3)."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from readinglist.core.errors import FormatError
from readinglist.core.formats import textio
from readinglist.core.importing import import_files
from readinglist.core.store import Library
from tests.fidelity.test_links_import import DATA, cli, import_and_list

UTF16_TITLES = {
    "Über die Stabilität von Gleichgewichten",
    "Réseaux de neurones pour la traduction — une étude",
}


def test_the_fixtures_are_in_the_encodings_they_claim() -> None:
    # So that a fixture re-saved as UTF-8 by an editor cannot make these tests pass vacuously.
    assert (DATA / "links_utf16le_bom.bib").read_bytes().startswith(codecs.BOM_UTF16_LE + b"%\0")
    assert (DATA / "links_utf16be_bom.csv").read_bytes().startswith(codecs.BOM_UTF16_BE + b"\0t")
    cp1252 = (DATA / "links_cp1252.bib").read_bytes()
    assert b"Caf\xe9 culture and the \x93third place\x94 \x96 a survey" in cp1252
    latin1 = (DATA / "links_latin1.csv").read_bytes()
    assert b"Stra\xdfenbahn" in latin1
    for raw in (cp1252, latin1):
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")


def test_utf16_le_bibtex_with_a_bom_imports(tmp_path: Path) -> None:
    result, papers = import_and_list(tmp_path / "lib.db", str(DATA / "links_utf16le_bom.bib"))
    assert (result.returncode, result.stderr) == (0, "")
    assert set(papers) == UTF16_TITLES
    muller = papers["Über die Stabilität von Gleichgewichten"]
    assert muller["authors"] == ["Jürgen Müller", "Ayşe Çelik"]
    assert muller["doi"] == "10.1007/s00033-019-1234-5"
    # A DOI only in the url field, in a UTF-16 file.
    assert papers["Réseaux de neurones pour la traduction — une étude"]["doi"] == "10.1145/3366423.3380000"


def test_utf16_be_csv_with_a_bom_imports(tmp_path: Path) -> None:
    result, papers = import_and_list(tmp_path / "lib.db", str(DATA / "links_utf16be_bom.csv"))
    assert (result.returncode, result.stderr) == (0, "")
    got = {t: (p["authors"], p["year"], p["doi"]) for t, p in papers.items()}
    assert got == {
        "Über die Stabilität von Gleichgewichten": (["Jürgen Müller"], 2019, "10.1007/s00033-019-1234-5"),
        "Réseaux de neurones — une étude": (["Hélène Dupont"], 2020, "10.1145/3366423.3380000"),
    }


def test_a_windows_1252_bibtex_file_is_read_as_such_with_a_one_line_note(tmp_path: Path) -> None:
    path = DATA / "links_cp1252.bib"
    result, papers = import_and_list(tmp_path / "lib.db", str(path))
    assert result.returncode == 0
    assert result.stderr == (
        f"readinglist: {path}: not UTF-8; read as Windows-1252 (--encoding NAME to read it as another)\n"
    )
    (paper,) = papers.values()
    assert paper["title"] == "Café culture and the “third place” \N{EN DASH} a survey"
    assert paper["authors"] == ["Amélie Leclerc", "Søren Nørby"]


def test_a_latin1_csv_file_reads_right_by_fallback_and_with_encoding(tmp_path: Path) -> None:
    path = DATA / "links_latin1.csv"
    want = {"Straßenbahn und Öffentlichkeit": ["Günter Weiß"], "Niño-Phänomene ± Messfehler": ["José Peña"]}
    result, papers = import_and_list(tmp_path / "guessed.db", str(path))
    assert result.returncode == 0
    # Latin-1 letters sit at the same bytes in Windows-1252: the guess reads them right.
    assert "not UTF-8; read as Windows-1252" in result.stderr
    assert {t: p["authors"] for t, p in papers.items()} == want
    result, papers = import_and_list(tmp_path / "named.db", "--encoding", "latin-1", str(path))
    assert (result.returncode, result.stderr) == (0, "")  # named: no note
    assert {t: p["authors"] for t, p in papers.items()} == want


def test_encoding_overrides_the_guess(tmp_path: Path) -> None:
    # Read as Latin-1, cp1252's curly quotes are C1 control codes, not quotes: the option is obeyed.
    result, papers = import_and_list(
        tmp_path / "lib.db", "--encoding", "latin1", str(DATA / "links_cp1252.bib")
    )
    assert (result.returncode, result.stderr) == (0, "")
    (title,) = papers
    assert "“" not in title and title.startswith("Café culture")


def test_an_unknown_encoding_is_a_usage_error_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    assert cli(db, "import", str(DATA / "links_dois.bib")).returncode == 0
    result = cli(db, "import", "--encoding", "klingon-8", str(DATA / "links_cp1252.bib"))
    assert result.returncode == 2
    assert "argument --encoding: unknown encoding 'klingon-8'" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(json.loads(cli(db, "list", "--json").stdout)) == 10


def test_a_utf8_file_with_one_broken_byte_is_still_an_error_naming_its_line(
    library: Library, tmp_path: Path
) -> None:
    # Real UTF-8 around the bad byte: a damaged file, not an 8-bit one; guessing would garble it.
    path = tmp_path / "refs.bib"
    text = "@article{a,\n  title = {Café},\n}\n\n@article{b,\n  title = {Caf\udce9 two},\n}\n"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    with pytest.raises(FormatError, match=r"refs\.bib:6: not UTF-8 text$"):
        import_files(library, [path])
    assert library.count() == 0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"title\nPlain ASCII\n", None),
        ("title\nCafé\n".encode(), None),
        (codecs.BOM_UTF8 + "title\nCafé\n".encode(), None),
        (codecs.BOM_UTF16_LE + "title\nCafé\n".encode("utf-16-le"), None),
        ("title\nCafé “x”\n".encode("cp1252"), "cp1252"),
        # 0x81 has no character in Windows-1252: only Latin-1 (where it is a control code) reads it.
        (b"title\nCaf\xe9 \x81\n", "latin-1"),
    ],
)
def test_choose_encoding(tmp_path: Path, raw: bytes, expected: str | None) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(raw)
    notice = textio.choose_encoding(path)
    assert (notice is not None) == (expected is not None)
    if expected is not None:
        assert textio.encoding_of(path) == expected
        assert (
            notice
            == f"{path}: not UTF-8; read as {textio._NAMES[expected]} (--encoding NAME to read it as another)"
        )
        assert [line for _, line in textio.iter_lines(path)][1].startswith("Café")


def test_forced_utf16_le_leaves_no_bom_in_the_first_cell(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "refs.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + "title,year\nÜber,2001\n".encode("utf-16-le"))
    report = import_files(library, [path], encoding="utf-16-le")
    assert (report.added, report.notices) == (1, [])
    (paper,) = library.papers()
    assert (paper.title, paper.year) == ("Über", 2001)


def test_the_reading_process_of_a_big_import_gets_the_chosen_encoding(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    from readinglist.core.importing import reader as import_read

    # Any size counts as big: the file is parsed in the helper process, which must decode it the same way.
    monkeypatch.setattr(import_read, "PARALLEL_MIN_BYTES", 0)
    report = import_files(library, [DATA / "links_cp1252.bib"])
    assert report.added == 1 and len(report.notices) == 1
    (paper,) = library.papers()
    assert paper.title == "Café culture and the “third place” \N{EN DASH} a survey"


@pytest.mark.parametrize(
    ("name", "codec"),
    [("Windows-1252", "cp1252"), ("latin1", "iso8859-1"), ("UTF-8", "utf-8-sig"), ("utf_16", "utf-16")],
)
def test_check_encoding_names_the_codec(name: str, codec: str) -> None:
    assert textio.check_encoding(name) == codec


@pytest.mark.parametrize("name", ["klingon-8", "rot13", "hex", "base64"])
def test_check_encoding_refuses_what_is_not_a_text_encoding(name: str) -> None:
    with pytest.raises(LookupError):
        textio.check_encoding(name)

"""``readinglist add`` against a real HTTP server: arXiv, DOIs, web pages, stdin, by hand."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tests.capture.conftest import run
from tests.capture.fakeweb import FakeWeb, Misbehave
from tests.capture.helpers import rows, snapshot, tags_of


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "library.db"


def history(capsys: pytest.CaptureFixture[str], db: Path) -> list[str]:
    """The history's descriptions, newest first."""
    code, out, _ = run(capsys, db, "history", "--json")
    assert code == 0
    return [entry["description"] for entry in json.loads(out)]


def test_arxiv_ids_in_every_spelling_are_asked_for_in_one_request(
    web: FakeWeb, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, db, "add", "arXiv:2310.06825", "https://arxiv.org/abs/1706.03762v5", "hep-th/9901001"
    )
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "added 1: Mistral 7B",
        "added 2: Attention Is All You Need",
        "added 3: Quantum Corrections to the β Function",
    ]
    assert len(web.paths("/api/query")) == 1
    assert "id_list=2310.06825,1706.03762,hep-th/9901001" in web.paths()[0]
    assert web.hits[0].headers["User-Agent"].startswith("readinglist/")
    stored = rows(db)
    assert [r["arxiv_id"] for r in stored] == ["2310.06825", "1706.03762", "hep-th/9901001"]
    attention = stored[1]
    assert json.loads(attention["authors"])[2] == "Łukasz Kaiser"
    assert attention["doi"] == "10.5555/3295222.3295349"  # the published version's, from arXiv
    assert (attention["year"], attention["date"]) == (2017, "2017-06-12")
    assert attention["abstract"].startswith("The dominant sequence transduction models")
    assert all(r["pending"] is None for r in stored)


def test_dois_from_crossref_and_datacite(web: FakeWeb, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        db,
        "add",
        "doi:10.1038/s41586-021-03819-2",
        "https://doi.org/10.5281/zenodo.7700000",
        "https://doi.org/10.48550/arXiv.1706.03762",
    )
    assert code == 0
    assert out.splitlines() == [
        "added 1: Highly accurate protein structure prediction with AlphaFold",
        "added 2: RetrievalQA: a graded benchmark",
        "added 3: Attention Is All You Need",
    ]
    # An arXiv DOI is an arXiv id: arXiv's API has the better record.
    assert web.paths("/api/query") == ["/api/query?id_list=1706.03762&max_results=1"]
    zenodo = rows(db)[1]
    assert json.loads(zenodo["authors"]) == ["Chidi Okafor", "The Open Benchmarks Consortium"]
    assert (zenodo["doi"], zenodo["date"]) == ("10.5281/zenodo.7700000", "2023-03-06")
    assert tags_of(db, 2) == []  # the publisher's keywords are not the user's tags
    negotiated = [h for h in web.hits if h.path.startswith("/doi/")]
    assert negotiated[0].headers["Accept"] == "application/vnd.citationstyles.csl+json"
    alphafold = rows(db)[0]
    assert alphafold["doi"] == "10.1038/s41586-021-03819-2"
    assert alphafold["year"] == 2021
    assert "<jats" not in alphafold["abstract"] and alphafold["abstract"].startswith("Proteins are essential")
    assert not alphafold["abstract"].startswith("Abstract")


@pytest.mark.parametrize(
    ("path", "title", "authors", "date"),
    [
        (
            "/papers/dpo",
            "Direct Preference Optimization: Your Language Model is Secretly a Reward Model",
            ["Rafael Rafailov", "Archit Sharma", "Eric Mitchell"],
            "2023-11-02",
        ),
        (
            "/papers/sparse",
            "Sparse Attention in Long Documents",
            ["Ana Souza", "Kenji Watanabe"],
            "2021-03-04",
        ),
        ("/blog/how-we-trained", "How We Trained a Small Model & What Broke", [], "2024-05-17"),
        ("/notes/retrieval", "Notes on Retrieval Evaluation", [], None),
    ],
)
def test_web_pages_citation_then_dublin_core_then_open_graph_then_title(
    web: FakeWeb,
    db: Path,
    capsys: pytest.CaptureFixture[str],
    path: str,
    title: str,
    authors: list[str],
    date: str | None,
) -> None:
    url = web.base + path
    code, out, _ = run(capsys, db, "add", url)
    assert (code, out) == (0, f"added 1: {title}\n")
    (paper,) = rows(db)
    assert (paper["title"], json.loads(paper["authors"]), paper["date"], paper["url"]) == (
        title,
        authors,
        date,
        url,
    )


def test_a_page_naming_its_arxiv_id_or_doi_is_followed_to_the_source(
    web: FakeWeb, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, db, "add", f"{web.base}/anthology/attention", f"{web.base}/nature/alphafold")
    assert code == 0
    assert out.splitlines() == [
        "added 1: Attention Is All You Need",
        "added 2: Highly accurate protein structure prediction with AlphaFold",
    ]
    first, second = rows(db)
    assert first["arxiv_id"] == "1706.03762" and first["url"] == f"{web.base}/anthology/attention"
    assert second["doi"] == "10.1038/s41586-021-03819-2" and second["year"] == 2021
    assert any(p.startswith("/api/query?id_list=1706.03762") for p in web.paths())


def test_a_pdf_is_stored_pending_with_its_file_name_and_titled_by_hand_later(
    web: FakeWeb, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"{web.base}/files/Scaling_Laws%20Talk.pdf"
    code, out, _ = run(capsys, db, "add", url, "--star")
    assert code == 0
    assert out.startswith(f"pending 1: {url} (a PDF carries no metadata")
    (paper,) = rows(db)
    assert (paper["title"], paper["url"], paper["pending"], paper["starred"]) == (
        "Scaling Laws Talk",
        url,
        url,
        1,
    )
    code, out, _ = run(
        capsys, db, "add", "--title", "Scaling Laws, the talk", "--author", "A. Speaker", "--url", url
    )
    assert (code, out) == (0, "filled in 1: Scaling Laws, the talk\n")
    (paper,) = rows(db)
    assert (paper["title"], paper["pending"], paper["starred"]) == ("Scaling Laws, the talk", None, 1)
    assert json.loads(paper["authors"]) == ["A. Speaker"]
    # Each is an action undo names, and takes back.
    assert history(capsys, db) == ['filled in "Scaling Laws, the talk"', 'added "Scaling Laws Talk"']
    assert run(capsys, db, "undo")[1] == 'undid: filled in "Scaling Laws, the talk"\n'
    assert [(r["title"], r["pending"]) for r in rows(db)] == [("Scaling Laws Talk", url)]
    assert run(capsys, db, "undo")[1] == 'undid: added "Scaling Laws Talk"\n'
    assert rows(db) == []


def test_unknown_and_malformed_references_fail_while_the_others_are_stored(
    web: FakeWeb, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, db, "add", "2310.06825", "2399.99999", "not a reference", "10.1234/nothing")
    assert code == 1
    assert out == "added 1: Mistral 7B\n"
    assert err.splitlines() == [
        "readinglist: no arXiv paper 2399.99999",
        "readinglist: not an arXiv id, DOI or URL: 'not a reference'",
        "readinglist: no DOI 10.1234/nothing",
    ]
    assert [r["title"] for r in rows(db)] == ["Mistral 7B"]


def test_a_paper_already_stored_is_not_looked_up_again_but_takes_the_options(
    web: FakeWeb, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, db, "add", "2310.06825")[0] == 0
    asked = len(web.hits)
    code, out, _ = run(
        capsys,
        db,
        "add",
        "https://arxiv.org/pdf/2310.06825v1",
        "--tag",
        "llm",
        "--queue",
        "--star",
        "--note",
        "read §3",
    )
    assert (code, out) == (0, "already in the library: 1 Mistral 7B\n")
    assert len(web.hits) == asked  # no request at all
    (paper,) = rows(db)
    assert (paper["starred"], paper["queue_position"], paper["notes"]) == (1, 1, "read §3")
    assert tags_of(db, 1) == ["llm"]


def test_refresh_looks_a_stored_paper_up_and_only_enriches_it(
    web: FakeWeb, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bib = (
        "@article{v, title={Attention Is All You Need}, author={Vaswani, Ashish},\n"
        "  year={2017}, eprint={1706.03762}}\n"
    )
    (db.parent / "v.bib").write_text(bib, encoding="utf-8")
    assert run(capsys, db, "import", str(db.parent / "v.bib"))[0] == 0
    assert run(capsys, db, "note", "1", "--set", "mine")[0] == 0
    code, out, _ = run(capsys, db, "add", "1706.03762", "--refresh")
    assert (code, out) == (0, "already in the library: 1 Attention Is All You Need\n")
    assert len(web.paths("/api/query")) == 1
    (paper,) = rows(db)
    assert json.loads(paper["authors"]) == ["Ashish Vaswani"]  # kept, not replaced by arXiv's three
    assert paper["abstract"].startswith("The dominant")  # filled in
    assert paper["notes"] == "mine"


def test_json_output_carries_pending(web: FakeWeb, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    web.plan("/doi/", *[_unavailable()] * 3)
    code, out, _ = run(capsys, db, "add", "2310.06825", "10.1038/s41586-021-03819-2", "--json")
    assert code == 0
    papers = json.loads(out)
    assert [(p["title"], p["pending"]) for p in papers] == [
        ("Mistral 7B", False),
        ("doi:10.1038/s41586-021-03819-2", True),
    ]
    assert papers[1]["primary_link"] == "https://doi.org/10.1038/s41586-021-03819-2"


def _unavailable() -> Misbehave:
    return Misbehave("status", 503)


def test_references_and_bibtex_on_standard_input(
    web: FakeWeb, db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("2310.06825\n\n# a comment\nhep-th/9901001\n"))
    code, out, _ = run(capsys, db, "add", "-", "--tag", "inbox")
    assert (code, out.splitlines()) == (
        0,
        ["added 1: Mistral 7B", "added 2: Quantum Corrections to the β Function"],
    )
    bib = (
        "@inproceedings{k,\n  title={Mistral 7B},\n  author={Jiang, Albert Q.},\n  year={2023}\n}\n"
        "@misc{b, title={A Blog Post}}\n"
    )
    monkeypatch.setattr("sys.stdin", io.StringIO(bib))
    asked = len(web.hits)
    code, out, _ = run(capsys, db, "add", "-", "--queue")
    assert (code, out.splitlines()) == (0, ["already in the library: 1 Mistral 7B", "added 3: A Blog Post"])
    assert len(web.hits) == asked
    assert [r["queue_position"] for r in rows(db)] == [1, None, 2]
    assert history(capsys, db) == [
        "added 2 papers from standard input",
        'added "Quantum Corrections to the β Function"',
        'added "Mistral 7B"',
    ]


def test_bad_bibtex_on_standard_input_adds_nothing(
    web: FakeWeb, db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(capsys, db, "add", "2310.06825")[0] == 0
    before = snapshot(db)
    monkeypatch.setattr("sys.stdin", io.StringIO("@misc{a, title={Fine}}\n@misc{b, author={No Title}}\n"))
    code, out, err = run(capsys, db, "add", "-")
    assert (code, out) == (1, "")
    assert err.startswith("readinglist: standard input:") and "nothing added" in err
    assert snapshot(db) == before


def test_a_paper_typed_by_hand(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        db,
        "add",
        "--title",
        "A Talk on Agents",
        "--author",
        "Ada Lovelace",
        "--year",
        "2024",
        "--url",
        "https://example.org/talk",
        "--abstract",
        "Slides.",
        "--tag",
        "talks",
    )
    assert (code, out) == (0, "added 1: A Talk on Agents\n")
    (paper,) = rows(db)
    assert (paper["year"], paper["url"], paper["abstract"], paper["pending"]) == (
        2024,
        "https://example.org/talk",
        "Slides.",
        None,
    )
    code, _, err = run(capsys, db, "add", "--author", "X")
    assert code == 2 and "go with --title" in err
    code, _, err = run(capsys, db, "add")
    assert code == 2 and "add needs a REF" in err


def test_matching_by_folded_title_as_import_does(
    web: FakeWeb, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, db, "add", "--title", "MISTRAL 7b")[0] == 0
    code, out, _ = run(capsys, db, "add", "2310.06825")
    assert (code, out) == (0, "already in the library: 1 MISTRAL 7b\n")
    (paper,) = rows(db)
    assert paper["arxiv_id"] == "2310.06825" and paper["abstract"].startswith("We introduce Mistral")


def test_a_page_whose_source_is_unreachable_keeps_its_own_metadata(
    web: FakeWeb, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    web.plan("/doi/", *[Misbehave("status", 503)] * 3)
    code, out, _ = run(capsys, db, "add", f"{web.base}/nature/alphafold")
    assert (code, out) == (0, "added 1: Highly accurate protein structure prediction with AlphaFold\n")
    (paper,) = rows(db)
    assert (paper["doi"], paper["url"], paper["pending"]) == (
        "10.1038/s41586-021-03819-2",
        f"{web.base}/nature/alphafold",
        None,
    )

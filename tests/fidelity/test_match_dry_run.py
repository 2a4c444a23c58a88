"""``import --dry-run`` lists every match it would make (#18 §1), one line each, and changes nothing."""

from __future__ import annotations

from pathlib import Path

from tests.reliability.input_cli import cli, dump, err, out

DATA = Path(__file__).parent / "data"


def test_dry_run_lists_each_match_and_how(tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    assert cli(db, "import", DATA / "match_shared_eprint.bib").returncode == 0
    incoming = tmp_path / "scholar.bib"
    incoming.write_text(
        "@article{a,\n"
        "  title = {BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding},\n"
        "  journal = {arXiv preprint arXiv:1810.04805},\n  year = {2018}\n}\n"
        "@inproceedings{b,\n  title = {Sentence embeddings (renamed)},\n  doi = {10.18653/V1/D19-1410}\n}\n"
        "@misc{c,\n  title = {Sentence-BERT: Sentence Embeddings using Siamese BERT-Networks}\n}\n"
        "@misc{d,\n  title = {A paper not in the library}\n}\n",
        encoding="utf-8",
    )
    before = dump(db)
    result = cli(db, "import", "--dry-run", incoming)
    assert result.returncode == 0, err(result)
    bert = "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"
    sbert = "Sentence-BERT: Sentence Embeddings using Siamese BERT-Networks"
    assert out(result).splitlines() == [
        f'would match {incoming}:1 "{bert}" with 1 "{bert}" (by arxiv id)',
        f'would match {incoming}:6 "Sentence embeddings (renamed)" with 2 "{sbert}" (by doi)',
        f'would match {incoming}:10 "{sbert}" with 2 "{sbert}" (by title)',
        "dry run, nothing changed: would be 1 added, 3 already in the library",
    ]
    assert dump(db) == before


def test_a_real_import_does_not_list_matches(tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    path = DATA / "match_twins.bib"
    result = cli(db, "import", path)
    assert out(result) == "3 added, 3 already in the library, 2 enriched\n", err(result)

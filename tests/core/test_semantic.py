"""Finding papers by meaning: embedding, the vectors table, meaning search, related and fusion.

Everything runs the real model (wordllama's bundled weights) on the real sample library.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from readinglist.core.models import Status, View
from readinglist.core.search.engine import SearchEngine
from readinglist.core.semantic import fusion, matrix, model
from readinglist.core.semantic.discovery import Discovery
from readinglist.core.semantic.index import embed_pending, embedded_count, pending_count
from readinglist.core.semantic.model import Embedder
from readinglist.core.store import Library

SAMPLE = 220


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


@pytest.fixture
def indexed(sample_library: Library, embedder: Embedder) -> Library:
    assert embed_pending(sample_library, embedder) == SAMPLE
    return sample_library


def title_id(library: Library, title: str) -> int:
    row = library.conn.execute("SELECT id FROM papers WHERE title = ?", [title]).fetchone()
    assert row is not None, title
    return int(row[0])


def test_vectors_are_unit_length_and_texts_without_words_are_zero(embedder: Embedder) -> None:
    vectors = embedder.embed(["speculative decoding with a draft model", "", "   "])
    assert vectors.shape == (3, 256)
    assert abs(float(np.linalg.norm(vectors[0])) - 1.0) < 1e-5
    assert not vectors[1].any() and not vectors[2].any()


def test_close_descriptions_are_closer_than_unrelated_ones(embedder: Embedder) -> None:
    a, b, c = embedder.embed(
        [
            "forecasting stock prices from financial news",
            "predicting the stock market with news headlines",
            "recognising text in photographs of street signs",
        ]
    )
    assert float(a @ b) > float(a @ c) + 0.1


def test_index_embeds_every_paper_once(sample_library: Library, embedder: Embedder) -> None:
    assert pending_count(sample_library, embedder.model_id) == SAMPLE
    assert embed_pending(sample_library, embedder, batch=64) == SAMPLE
    assert pending_count(sample_library, embedder.model_id) == 0
    assert embed_pending(sample_library, embedder) == 0
    assert embedded_count(sample_library, embedder.model_id) == SAMPLE


def test_stop_keeps_finished_batches_and_the_next_run_resumes(
    sample_library: Library, embedder: Embedder
) -> None:
    batches: list[int] = []
    done = embed_pending(
        sample_library,
        embedder,
        progress=lambda p: batches.append(p.done),
        stop=lambda: len(batches) > 2,
        batch=50,
    )
    assert done == 100  # two batches committed before stop() turned true
    assert embedded_count(sample_library, embedder.model_id) == 100
    assert embed_pending(sample_library, embedder, batch=50) == SAMPLE - 100


@pytest.mark.slow
def test_a_killed_run_keeps_its_committed_batches(sample_library: Library, embedder: Embedder) -> None:
    # A real SIGKILL in the middle of a run: what was committed stays, the rest is embedded next time.
    script = textwrap.dedent(
        f"""
        import os, signal
        from readinglist.core.store import Library
        from readinglist.core.semantic.index import embed_pending
        seen = []
        def progress(p):
            seen.append(p.done)
            if len(seen) == 4:  # the start report and three batches
                os.kill(os.getpid(), signal.SIGKILL)
        with Library({str(sample_library.path)!r}) as lib:
            embed_pending(lib, progress=progress, batch=40)
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert embedded_count(sample_library, embedder.model_id) == 120
    assert embed_pending(sample_library, embedder) == SAMPLE - 120


def test_a_changed_title_or_abstract_is_embedded_again(indexed: Library, embedder: Embedder) -> None:
    pid = title_id(indexed, "Online Speculative Decoding")
    before = indexed.conn.execute("SELECT vec FROM paper_vectors WHERE paper_id = ?", [pid]).fetchone()[0]
    with indexed.write() as db:
        db.execute(
            "UPDATE papers SET abstract = 'Recognising text in photos of street signs.' WHERE id = ?", [pid]
        )
    assert pending_count(indexed, embedder.model_id) == 1
    assert embed_pending(indexed, embedder) == 1
    after = indexed.conn.execute("SELECT vec FROM paper_vectors WHERE paper_id = ?", [pid]).fetchone()[0]
    assert after != before
    # Touching other fields, or writing the same text again, embeds nothing.
    indexed.set_starred(pid, True)
    with indexed.write() as db:
        db.execute("UPDATE papers SET title = title WHERE id = ?", [pid])
    assert pending_count(indexed, embedder.model_id) == 1
    assert embed_pending(indexed, embedder) == 0
    assert pending_count(indexed, embedder.model_id) == 0


def test_a_model_change_embeds_everything_again(indexed: Library, embedder: Embedder) -> None:
    other = Embedder()
    other.model_id = "wordllama-9.9/another-256"
    assert pending_count(indexed, other.model_id) == SAMPLE
    assert embed_pending(indexed, other) == SAMPLE
    assert embedded_count(indexed, embedder.model_id) == 0


def test_deleting_a_paper_deletes_its_vector(indexed: Library, embedder: Embedder) -> None:
    discovery = Discovery(indexed, embedder)
    assert len(discovery.matrix) == SAMPLE
    pid = title_id(indexed, "Online Speculative Decoding")
    indexed.delete(pid)
    assert embedded_count(indexed, embedder.model_id) == SAMPLE - 1
    assert len(discovery.matrix) == SAMPLE - 1
    assert pid not in {i for i, _ in discovery.by_meaning("speculative decoding", 50)}


def test_meaning_search_finds_a_description_no_word_search_finds(
    indexed: Library, embedder: Embedder
) -> None:
    text = "making big models answer faster by letting a small model guess ahead"
    assert SearchEngine(indexed).search(text).hits == []
    found = Discovery(indexed, embedder).by_meaning(text, 5)
    titles = {p.title for p in indexed.get_many([i for i, _ in found])}
    assert titles & {
        "Judge Decoding: Faster Speculative Sampling Requires Going Beyond Model Alignment",
        "Adaptive Draft-Verification for Efficient Large Language Model Decoding",
    }
    scores = [s for _, s in found]
    assert scores == sorted(scores, reverse=True)


def test_related_never_returns_the_paper_itself(indexed: Library, embedder: Embedder) -> None:
    pid = title_id(indexed, "Scene Text Recognition with Permuted Autoregressive Sequence Models")
    found = Discovery(indexed, embedder).related(pid, 3)
    assert pid not in {i for i, _ in found}
    titles = [p.title for p in indexed.get_many([i for i, _ in found])]
    assert "Multi-Granularity Prediction for Scene Text Recognition" in titles


def test_read_next_skips_the_set_and_read_papers(indexed: Library, embedder: Embedder) -> None:
    seeds = [
        title_id(indexed, "Online Speculative Decoding"),
        title_id(
            indexed, "Judge Decoding: Faster Speculative Sampling Requires Going Beyond Model Alignment"
        ),
    ]
    discovery = Discovery(indexed, embedder)
    first = discovery.read_next(seeds, 5)
    assert not set(seeds) & {i for i, _ in first}
    indexed.set_status(first[0][0], Status.READ)
    again = discovery.read_next(seeds, 5)
    assert first[0][0] not in {i for i, _ in again}
    assert [i for i, _ in again][:4] == [i for i, _ in first][1:5]


def test_shortlist_by_sign_bits_agrees_with_exact_scoring(
    indexed: Library, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    discovery = Discovery(indexed, embedder)
    query = discovery.embed_query("language models for time series forecasting")
    exact = discovery.matrix.nearest(query, 10)
    monkeypatch.setattr(matrix, "EXACT_BELOW", 10)
    monkeypatch.setattr(matrix, "SHORTLIST_MIN", 100)
    approx = discovery.matrix.nearest(query, 10)
    assert len({i for i, _ in exact} & {i for i, _ in approx}) >= 8


# -- fusion ---------------------------------------------------------------------


def test_rrf_puts_papers_high_in_both_lists_first() -> None:
    ranked = [(1, 0.9), (2, 0.8), (3, 0.7), (4, 0.6)]
    assert [i for i, _ in fusion.rrf(ranked, [3, 4])] == [3, 4, 1, 2]
    assert [i for i, _ in fusion.rrf(ranked, [])] == [1, 2, 3, 4]
    assert fusion.rrf(ranked, [2])[0] == (2, 0.8)  # scores stay as given


def test_meaning_only_prefix_and_description() -> None:
    assert fusion.meaning_only("~ guessing ahead") == " guessing ahead"
    assert fusion.meaning_only("  LIKE:guessing") == "guessing"
    assert fusion.meaning_only("guessing ~") is None
    assert fusion.description(
        'title:faster "small model" tag:ml #x is:read year:>=2020 sort:year -slow a | b'
    ) == ("faster small model a b")


def test_word_matches_are_never_pushed_out(indexed: Library, embedder: Embedder) -> None:
    words = SearchEngine(indexed).search("speculative", limit=200).hits
    assert 0 < len(words) < fusion.PAGE
    fused = fusion.search(indexed, "speculative", limit=200, discovery=Discovery(indexed, embedder))
    assert fused.words == len(words)
    assert fused.result.hits[: fused.words] == words
    meaning = [h.paper_id for h in fused.result.hits[fused.words :]]
    assert meaning and not set(meaning) & {h.paper_id for h in words}
    assert len(meaning) <= fusion.FILL


def test_a_page_of_word_matches_gets_no_meaning_results(indexed: Library, embedder: Embedder) -> None:
    fused = fusion.search(indexed, "language", limit=20, discovery=Discovery(indexed, embedder))
    assert fused.words == len(fused.result.hits) == 20


def test_a_description_is_answered_by_meaning(indexed: Library, embedder: Embedder) -> None:
    text = "predicting stock prices from financial news"
    fused = fusion.search(indexed, text, limit=10, discovery=Discovery(indexed, embedder))
    assert fused.words == 0
    titles = [p.title for p in indexed.get_many([h.paper_id for h in fused.result.hits[:5]])]
    assert "Harnessing Earnings Reports for Stock Predictions: A QLoRA-Enhanced LLM Approach" in titles


def test_filters_view_and_sort_apply_to_meaning_results(indexed: Library, embedder: Embedder) -> None:
    discovery = Discovery(indexed, embedder)
    pids = [
        title_id(indexed, t)
        for t in ("Online Speculative Decoding", "Time Machine GPT", "Densing Law of LLMs")
    ]
    for pid in pids:
        indexed.tag(pid, add=["picked"])
    fused = fusion.search(indexed, "~faster decoding tag:picked", limit=10, discovery=discovery)
    assert fused.result.hits[0].paper_id == pids[0]
    assert {h.paper_id for h in fused.result.hits} == set(pids)
    fused = fusion.search(indexed, "~faster decoding", limit=10, view=View.STARRED, discovery=discovery)
    assert fused.result.hits == []
    by_title = fusion.search(indexed, "~faster decoding tag:picked sort:title", limit=10, discovery=discovery)
    titles = [p.title for p in indexed.get_many([h.paper_id for h in by_title.result.hits])]
    assert titles == sorted(titles, key=str.lower)


def test_without_the_model_word_search_is_unchanged(
    indexed: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(model, "package_dir", lambda: None)
    assert not model.available()
    words = SearchEngine(indexed).search("speculative", limit=200)
    fused = fusion.search(indexed, "speculative", limit=200)
    assert fused.result == words and fused.words == len(words.hits)
    only = fusion.search(indexed, "~speculative", limit=20)
    assert only.result.hits == [] and only.result.hint == model.MISSING_HINT
    with pytest.raises(model.ModelMissing, match="pip install wordllama"):
        Embedder()


def test_without_vectors_a_meaning_query_says_to_index(sample_library: Library) -> None:
    only = fusion.search(sample_library, "~speculative", limit=20)
    assert only.result.hits == [] and "readinglist index" in (only.result.hint or "")


# -- no network, no numpy where it is not needed --------------------------------------


def test_loading_and_embedding_open_no_socket(sample_library: Library) -> None:
    # An audit hook (in a fresh interpreter: hooks cannot be removed) fails on any socket use.
    script = textwrap.dedent(
        f"""
        import sys
        def hook(event, args):
            if event.startswith("socket."):
                raise RuntimeError("network used: " + event)
        sys.addaudithook(hook)
        import socket
        def refuse(*args, **kwargs):
            raise RuntimeError("network used: connect")
        socket.socket.connect = refuse
        from readinglist.core.store import Library
        from readinglist.core.semantic.index import embed_pending
        from readinglist.core.semantic.discovery import Discovery
        from readinglist.core.semantic import fusion
        with Library({str(sample_library.path)!r}) as lib:
            n = embed_pending(lib)
            hits = fusion.search(lib, "guess ahead with a small draft model").result.hits
            related = Discovery(lib).related(hits[0].paper_id, 3)
        print(n, len(hits), len(related))
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == [str(SAMPLE), "50", "3"]


@pytest.mark.parametrize("query", ["language", "zzzz nothing matches this"])
def test_word_search_loads_no_numpy_and_no_model(indexed: Library, query: str) -> None:
    # With a page of word matches (or no vectors at all), `readinglist search` costs what it did.
    if "zzzz" in query:
        with indexed.write() as db:
            db.execute("DELETE FROM paper_vectors")
    script = textwrap.dedent(
        f"""
        import sys, json, io, contextlib
        from readinglist.cli import main
        with contextlib.redirect_stdout(io.StringIO()):
            main(["--db", {str(indexed.path)!r}, "search", {query!r}])
        heavy = ("numpy", "tokenizers", "safetensors", "wordllama")
        print(json.dumps(sorted(m for m in heavy if m in sys.modules)))
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == []


def test_the_app_module_path_does_not_import_numpy() -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    code = "import sys, readinglist.cli, readinglist.core.semantic.fusion; print('numpy' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert proc.stdout.strip() == "False", proc.stderr


def test_lexical_rank_scores_only_the_given_papers_by_their_words(sample_library: Library) -> None:
    ids = [
        title_id(sample_library, t)
        for t in (
            "Multi-Granularity Prediction for Scene Text Recognition",
            "Time Machine GPT",
            "Large Language Models Are Zero-Shot Time Series Forecasters",
        )
    ]
    ranked = fusion.lexical_rank(sample_library, "forecasting the series", ids)
    assert ranked[0] == ids[2]  # "forecasters" matches "forecasting" by its stem, "series" too
    assert ids[0] not in ranked  # no word of the query: left out
    assert fusion.lexical_rank(sample_library, "the of and", ids) == []
    assert fusion.lexical_rank(sample_library, "time", []) == []

"""Held-out queries on the bundled sample: the paper the user meant must come first.

Each query is what a reader might type for a paper they remember: a typo, a
half-typed word, a topic in their own words, British spelling. The queries
were written from the titles without tuning the ranker against them.
"""

from __future__ import annotations

import pytest

from readinglist.core.search import SearchEngine
from readinglist.core.store import Library

# (query, start of the intended title)
HELD_OUT = [
    # typos
    ("chinchila scaling", "Beyond Chinchilla-Optimal"),
    ("infinigram", "Infini-gram"),
    ("infini gram", "Infini-gram"),
    ("knn lm", "KNN-LM Does Not Improve"),
    ("replgu", "REPLUG"),
    ("condensr dense retrieval", "Condenser"),
    ("linkbert pretraning", "LinkBERT"),
    ("conformal langauge modeling", "Conformal Language Modeling"),
    ("speculative decodng multimodal", "On Speculative Decoding for Multimodal"),
    ("hallucinaton linear correlation", "Linear Correlation in LM's Compositional"),
    ("forcasting human level", "Approaching Human-Level Forecasting"),
    ("tabluar prediction", "Making Pre-trained Language Models Great on Tabular"),
    ("biomedical tokenisation", "Biomedical Language Models are Robust"),
    ("machine unlearnng", "The Frontier of Data Erasure"),
    ("hyperparamter optimisation", "Using Large Language Models for Hyperparameter"),
    ("molecule predicton benchmark", "Benchmarking Large Language Models for Molecule"),
    ("roofline", "LLM Inference Unveiled"),
    ("theorem provng lean", "InternLM2.5-StepProver"),
    # prefixes, as typed
    ("chinchil", "Beyond Chinchilla-Optimal"),
    ("forecastben", "ForecastBench"),
    ("time machine g", "Time Machine GPT"),
    ("nifty fin", "NIFTY Financial News"),
    ("alice in wonder", "Alice in Wonderland"),
    ("llm2ll", "LLM2LLM"),
    ("geoll", "GeoLLM"),
    ("embedll", "EmbedLLM"),
    ("patch-level tra", "Patch-Level Training"),
    ("sloth scaling", "Sloth: scaling laws"),
    # topics in the reader's words
    ("confidence estimation cloud incident", "PACE-LM"),
    ("stock market lstm", "Analysis of Sectoral Profitability"),
    ("fake news detection", "Analysis of Disinformation and Fake News"),
    ("early exit", "EE-LLM"),
    ("binarized llm distillation", "FBI-LLM"),
    ("vietnamese", "Crossing Linguistic Horizons"),
    ("european languages survey", "A Survey of Large Language Models for European"),
    ("draft verification decoding", "Adaptive Draft-Verification"),
    ("model routing", "Large Language Model Routing"),
    ("mathematicians", "Large Language Models for Mathematicians"),
    ("occupational representations", "LABOR-LLM"),
    ("equilibrium game decoding", "The Consensus Game"),
]


# A second, harder set written later (topic words in the reader's own terms).
# It scored 18/20 when written; splitting known compounds ("pretraining" ->
# "pre training") and retrying other word forms when nothing matches
# ("synthesis" -> "Synthesizers") were added because of it: now 20/20.
HARDER = [
    ("unlearning erasure", "The Frontier of Data Erasure"),
    ("llm routing benchmark datasets", "Large Language Model Routing"),
    ("rlhf dpo alignment survey", "A Comprehensive Survey of LLM Alignment Techniques"),
    ("mathematical derivations", "Generating Mathematical Derivations"),
    ("geospatial knowledge", "GeoLLM"),
    ("acceptability classification topological", "Can BERT eat RuCoLA"),
    ("stock predictions earnings qlora", "Harnessing Earnings Reports"),
    ("next token prediction law", "A Law of Next-Token Prediction"),
    ("speech text streaming synthesis", "Interleaved Speech-Text Language Models"),
    ("dense retrieval pretraining architecture", "Condenser"),
    ("billions of parameters generative", "Do Generative Large Language Models need billions"),
    ("binary question answering calibrated", "Calibrated Large Language Models for Binary"),
    ("chinese multimodal math", "CMM-Math"),
    ("time series reasoning", "Towards Time Series Reasoning"),
    ("truthfulness intrinsic dimension", "Characterizing Truthfulness"),
    ("spurious correlations selection bias", "Selection Bias Induced Spurious"),
    ("mixed precision delta compression", "Delta-CoMe"),
    ("contextual sparsity predictor", "ShadowLLM"),
    ("vocabulary key representation", "Correlation and Navigation in the Vocabulary Key"),
    ("decoding equlibrium", "The Consensus Game"),
]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Library:
    from readinglist.core.sample import import_sample

    lib = Library(tmp_path_factory.mktemp("quality") / "sample.db")
    import_sample(lib)
    return lib


def first_title(lib: Library, query: str) -> str:
    hits = SearchEngine(lib).search(query, limit=10).hits
    return lib.get(hits[0].paper_id).title if hits else ""


@pytest.mark.parametrize(("query", "intended"), HELD_OUT, ids=[q for q, _ in HELD_OUT])
def test_intended_paper_ranks_first(sample: Library, query: str, intended: str) -> None:
    assert first_title(sample, query).startswith(intended)


def test_first_page_is_on_topic(sample: Library) -> None:
    # A topic query's first page should be about the topic: every title or
    # abstract on it mentions forecasting.
    result = SearchEngine(sample).search("time series forecasting", limit=8)
    papers = sample.get_many([h.paper_id for h in result.hits])
    assert len(papers) == 8
    assert all("forecast" in (p.title + p.abstract).lower() for p in papers)
    assert all("time series" in p.title.lower() or "time-series" in p.title.lower() for p in papers[:4])


def test_harder_set_precision_at_one(sample: Library) -> None:
    hits = [first_title(sample, q).startswith(want) for q, want in HARDER]
    assert sum(hits) >= 19, [q for (q, _), ok in zip(HARDER, hits, strict=True) if not ok]

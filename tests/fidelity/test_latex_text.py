# ruff: noqa: RUF001 - expected values are Greek letters and math symbols on purpose
r"""LaTeX in titles and abstracts as readable text (issue #18, part 2): the pure converter.

The cases are titles as arXiv and DBLP write them (``$\alpha$-decay``,
``5\({}^{\mbox{th}}\)``), and text that only looks like math (prices).
"""

from __future__ import annotations

import timeit
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readinglist.core.latex_text import math_to_text

CASES = [
    # Greek letters and symbols
    (r"High-$\beta$ Nanowire Lasers", "High-β Nanowire Lasers"),
    (r"Measurement of the $\mu$ anomaly", "Measurement of the μ anomaly"),
    (r"$\alpha$-decay of heavy nuclei", "α-decay of heavy nuclei"),
    (r"$\alpha$-$\beta$ pruning", "α-β pruning"),
    (r"The $\Lambda$CDM model", "The ΛCDM model"),
    (r"Growth on Si$\langle 111 \rangle$ surfaces", "Growth on Si⟨111⟩ surfaces"),
    (r"$\ell_1$ regularisation", "ℓ₁ regularisation"),
    (r"$\mathcal{O}(n\log n)$ sorting", "O(n log n) sorting"),
    (r"An $O(n \log n)$ algorithm", "An O(n log n) algorithm"),
    (r"$O(\log^2 n)$ rounds", "O(log² n) rounds"),
    (r"$\widetilde{O}(\sqrt{n})$ regret", "Õ(√n) regret"),
    (r"$x \leq y$ and $x\geq z$", "x ≤ y and x ≥ z"),
    (r"$SU(2)\times U(1)$ gauge theory", "SU(2) × U(1) gauge theory"),
    (r"$e^+e^-\to\mu^+\mu^-$ at LEP", "e⁺e⁻→μ⁺μ⁻ at LEP"),
    (r"$\pm 1$ spins", "± 1 spins"),
    (r"Scaling as $N^{-1/2}$", "Scaling as N^{-1/2}"),
    (r"$\infty$-categories", "∞-categories"),
    (r"$\partial$-operators and $\nabla$", "∂-operators and ∇"),
    (r"reduced by $\sim$10% in $\approx 3$ s", "reduced by ~10% in ≈ 3 s"),
    (r"$A \cdot B$", "A · B"),
    (r"$\mathbb{R}^n$ embeddings", "ℝⁿ embeddings"),
    (r"The $\mathcal{N}=4$ SYM theory", "The N=4 SYM theory"),
    (r"$\hat{x}$ estimates", "x̂ estimates"),
    (r"a $\frac{1}{2}$-approximation", "a 1/2-approximation"),
    (r"$\frac{n+1}{2}$ votes", "(n+1)/2 votes"),
    (r"$\{0,1\}^n$ cubes", "{0,1}ⁿ cubes"),
    # Super- and subscripts
    (r"$x^2$ test", "x² test"),
    (r"$H_2O$ ice", "H₂O ice"),
    (r"$^{13}$C NMR", "¹³C NMR"),
    (r"Pb$_{1-x}$Sn$_x$Te", "Pb₁₋ₓSnₓTe"),
    (r"$L^2$-norm", "L²-norm"),
    (r"$10^{-3}$ precision", "10⁻³ precision"),
    (r"3$\times$10$^5$ cells", "3×10⁵ cells"),
    (r"a $90^\circ$ turn", "a 90° turn"),
    (r"$T_c$ and $T_{\mathrm{eff}}$", "T_c and T_{eff}"),
    (r"$x_{\rm eff}$", "x_{eff}"),
    (r"$\sqrt{s}=13$ TeV", "√s=13 TeV"),
    (r"$\sqrt{s_{NN}}=5.02$ TeV", "√s_{NN}=5.02 TeV"),
    (r"$\sqrt{x+1}$", "√(x+1)"),
    # DBLP's inline math and font commands
    (r"Proceedings of the 5\({}^{\mbox{th}}\) Workshop", "Proceedings of the 5ᵗʰ Workshop"),
    (r"The 2\({}^{\mbox{nd}}\) edition", "The 2ⁿᵈ edition"),
    (r"\(\epsilon\)-nets", "ε-nets"),
    (r"\emph{Ab initio} study", "Ab initio study"),
    (r"\textit{In vivo} and \textbf{in vitro}", "In vivo and in vitro"),
    (r"{\em Foo} bar", "Foo bar"),
    (r"$\text{BR}(B\to K^*\gamma)$", "BR(B → K*γ)"),
    (r"GPT-$4$ technical report", "GPT-4 technical report"),
    (r"$k$-means clustering", "k-means clustering"),
    (r"Edge-{}based $k$-NN", "Edge-based k-NN"),
    # Accents arXiv keeps as LaTeX
    (r"Schr\"odinger equation", "Schrödinger equation"),
    (r"Erd\H{o}s problems", "Erdős problems"),
    (r"Poincar\'{e} duality and G\"{o}del", "Poincaré duality and Gödel"),
    # No text form: the source stays, without the $
    (r"$\binom{n}{k}$ bounds", r"\binom{n}{k} bounds"),
    (r"$\mathbf{x}^{\top}$", "x^⊤"),
    # Not math: dollars as money, a percent sign, a lone backslash
    ("costs $5 and $10", "costs $5 and $10"),
    ("$20,000 and $30,000", "$20,000 and $30,000"),
    ("between $5-$10 a day", "between $5-$10 a day"),
    ("a $ sign", "a $ sign"),
    ("costs $5 and $10 for $x$ units", "costs $5 and $10 for x units"),
    ("from $5 to $x$", "from $5 to x"),
    (r"a \$5 fee", "a $5 fee"),
    ("50% of $x$ lost", "50% of x lost"),
    ("plain title", "plain title"),
    # Display math and the other delimiters
    (r"the bound $$\sum_i x_i \leq 1$$ holds", "the bound ∑ᵢ xᵢ ≤ 1 holds"),
    (r"the bound \[x^2\] holds", "the bound x² holds"),
    (r"$a \\ b$ and $\overline{AB}$", r"a \\ b and \overline{AB}"),
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_math_becomes_text(source: str, expected: str) -> None:
    assert math_to_text(source) == expected


def test_the_table_is_real_sized() -> None:
    assert len(CASES) >= 40


def test_text_without_latex_is_the_same_object() -> None:
    title = "Attention Is All You Need"
    assert math_to_text(title) is title


@pytest.mark.parametrize(
    "broken",
    [
        r"$\frac{1}{",
        r"$x^{$",
        r"\emph{unclosed",
        r"$\sqrt[3",
        "{" * 200 + "$x$",
        r"$" + "{" * 100 + "$",
        "\\",
    ],
)
def test_broken_latex_never_raises(broken: str) -> None:
    out = math_to_text(broken)
    assert isinstance(out, str)
    assert out  # nothing vanishes entirely


def test_plain_titles_are_fast() -> None:
    """100k titles without LaTeX: the fast path is two substring tests."""
    titles = [f"Learning representations number {i} for graphs" for i in range(1000)]
    seconds = timeit.timeit(lambda: [math_to_text(t) for t in titles], number=100)
    assert seconds / 100_000 < 5e-6, f"{seconds / 100_000 * 1e6:.2f} µs a title"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab $\\{}^_()[]1αx~'\"", max_size=40))
def test_any_text_converts_without_raising(source: str) -> None:
    out = math_to_text(source)
    # A digit is never lost, though it may be raised or lowered (1, ¹ or ₁).
    ones = sum(1 for ch in out if unicodedata.digit(ch, None) == 1)
    assert ones >= source.count("1")

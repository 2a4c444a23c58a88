# ruff: noqa: RUF001 - the tables map LaTeX to the look-alike characters on purpose
"""The tables :mod:`~readinglist.core.latex_text` reads LaTeX with: commands to Unicode characters.

Kept apart from the reader so that each module stays short; nothing here runs code.
"""

from __future__ import annotations

GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "omicron": "ο", "pi": "π", "varpi": "ϖ",
    "rho": "ρ", "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ", "upsilon": "υ",
    "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
    "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}  # fmt: skip
SYMBOLS = {
    "times": "×", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠",
    "leqslant": "⩽", "geqslant": "⩾", "lesssim": "≲", "gtrsim": "≳", "ll": "≪", "gg": "≫",
    "pm": "±", "mp": "∓", "infty": "∞", "rightarrow": "→", "to": "→", "leftarrow": "←",
    "gets": "←", "Rightarrow": "⇒", "Leftarrow": "⇐", "leftrightarrow": "↔",
    "Leftrightarrow": "⇔", "longrightarrow": "⟶", "Longrightarrow": "⟹", "mapsto": "↦",
    "uparrow": "↑", "downarrow": "↓", "hookrightarrow": "↪", "implies": "⟹", "iff": "⟺",
    # ``~`` rather than U+223C: it is what a reader types when searching for "~10%".
    "sim": "~", "approx": "≈", "simeq": "≃", "cong": "≅", "equiv": "≡", "propto": "∝",
    "cdot": "·", "cdots": "⋯", "ldots": "…", "dots": "…", "ell": "ℓ", "partial": "∂",
    "nabla": "∇", "langle": "⟨", "rangle": "⟩", "in": "∈", "notin": "∉", "ni": "∋",
    "subset": "⊂", "subseteq": "⊆", "supset": "⊃", "supseteq": "⊇", "cup": "∪", "cap": "∩",
    "forall": "∀", "exists": "∃", "neg": "¬", "lnot": "¬", "wedge": "∧", "land": "∧",
    "vee": "∨", "lor": "∨", "oplus": "⊕", "otimes": "⊗", "odot": "⊙", "sum": "∑",
    "prod": "∏", "int": "∫", "oint": "∮", "emptyset": "∅", "varnothing": "∅", "hbar": "ℏ",
    "circ": "∘", "bullet": "•", "star": "⋆", "ast": "*", "dagger": "†", "ddagger": "‡",
    "prime": "′", "degree": "°", "perp": "⊥", "parallel": "∥", "mid": "|", "vert": "|",
    "lvert": "|", "rvert": "|", "Vert": "‖", "lVert": "‖", "rVert": "‖", "|": "‖",
    "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉", "aleph": "ℵ", "Re": "ℜ",
    "Im": "ℑ", "wp": "℘", "top": "⊤", "bot": "⊥", "vdash": "⊢", "models": "⊨",
    "setminus": "∖", "backslash": "\\", "colon": ":", "lbrace": "{", "rbrace": "}",
    "lbrack": "[", "rbrack": "]", "div": "÷", "angle": "∠", "triangle": "△",
    "square": "□", "Box": "□", "diamond": "⋄", "checkmark": "✓", "prec": "≺", "succ": "≻",
    "preceq": "⪯", "succeq": "⪰", "sharp": "♯", "flat": "♭", "natural": "♮",
    "textdegree": "°", "AA": "Å", "S": "§", "P": "¶", "i": "ı", "ss": "ß", "o": "ø", "O": "Ø",
    "aa": "å", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "l": "ł", "L": "Ł",
    "LaTeX": "LaTeX", "TeX": "TeX", "textasciitilde": "~", "textbackslash": "\\",
    "{": "{", "}": "}", "%": "%", "$": "$", "&": "&", "#": "#", "_": "_",
    ",": " ", ";": " ", ":": " ", " ": " ", "quad": " ", "qquad": " ", "!": "",
}  # fmt: skip
# Operator names TeX sets upright with space around them: ``n\log n`` reads "n log n".
OPERATORS = frozenset(
    "log ln lg exp sin cos tan cot sec csc sinh cosh tanh arcsin arccos arctan max min sup inf "
    "lim liminf limsup det dim ker deg arg gcd hom Pr mod bmod pmod argmax argmin".split()
)
# Commands whose argument is text to keep as it is (fonts, boxes, emphasis).
KEEP_ARGUMENT = frozenset(
    "mathrm mathit mathbf mathsf mathtt mathcal mathscr mathfrak mathnormal boldsymbol bm "
    "text textrm textit textbf textsf texttt textsc textup textnormal textmd textsl mbox hbox "
    "emph underline operatorname mathop ensuremath".split()
)
# Commands that only change the look of what follows, or the size of a delimiter.
DROP = frozenset(
    "left right big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr middle displaystyle textstyle "
    "scriptstyle limits nolimits rm it bf sf tt sl sc em cal normalfont upshape itshape bfseries "
    "mathversion nonumber".split()
)
FRACTIONS = frozenset(("frac", "tfrac", "dfrac", "cfrac"))
# Accents, in math (``\hat{x}``) and in text (``\"o``), as combining characters.
ACCENTS = {
    "hat": "\u0302", "widehat": "\u0302", "tilde": "\u0303", "widetilde": "\u0303",
    "bar": "\u0304", "overline": "\u0305", "vec": "\u20d7", "dot": "\u0307", "ddot": "\u0308",
    "check": "\u030c", "breve": "\u0306", "acute": "\u0301", "grave": "\u0300",
    '"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "c": "\u0327", "v": "\u030c", "u": "\u0306", "H": "\u030b", "r": "\u030a",
    "k": "\u0328",
}  # fmt: skip
# Of those, the ones text mode has (``\hat`` and the like are math only).
TEXT_ACCENTS = frozenset("\"'`^~=.cvuHrk")
# Control words that are text commands too; ``\alpha`` outside math stays as written.
TEXT_WORDS = frozenset(
    "LaTeX TeX ss aa AA ae AE oe OE o O l L i S P ldots dots textdegree textasciitilde "
    "textbackslash quad qquad".split()
)
DOUBLE_STRUCK = {"C": "ℂ", "H": "ℍ", "N": "ℕ", "P": "ℙ", "Q": "ℚ", "R": "ℝ", "Z": "ℤ"}
SUPERSCRIPT = dict(
    zip(
        "0123456789+-=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWαβγδεθιφχ",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵅᵝᵞᵟᵋᶿᶥᵠᵡ",
        strict=True,
    )
)
# A raised circle, prime, star or dagger reads as the plain symbol: 90^\circ is 90°.
SUPERSCRIPT.update({"∘": "°", "°": "°", "′": "′", "″": "″", "*": "*", "†": "†", "‡": "‡", "'": "′"})
SUBSCRIPT = dict(
    zip("0123456789+-=()aehijklmnoprstuvxəβγρφχ", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓₔᵦᵧᵨᵩᵪ", strict=True)
)

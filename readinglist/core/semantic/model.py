"""The embedding model: wordllama's bundled weights and tokenizer, read from its package folder.

wordllama's own ``WordLlama.load`` looks in its package folder first and only
downloads what is missing (unless ``disable_download``). We read the same two
files directly instead: importing ``wordllama`` itself loads ``requests`` and
``pydantic`` and sets up the root logger (``logging.basicConfig``), and going
around it leaves no code path that could reach the network at all. The
vectors are the ones ``WordLlamaInference.embed(norm=True)`` computes (the
average of the token vectors), except that text is split at whitespace first
and each word tokenised once and cached: the tokenizer has no pre-tokenizer,
so BPE over a whole abstract costs several times more than over its words.
"""

from __future__ import annotations

import functools
import importlib.util
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

from readinglist.core.errors import ReadingListError
from readinglist.core.sqlite_import import load_sqlite_utils, numpy_lock

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

PACKAGE = "wordllama"
CONFIG = "l2_supercat"
DIM = 256
WEIGHTS = f"weights/{CONFIG}_{DIM}.safetensors"
TOKENIZER = f"tokenizers/{CONFIG}_tokenizer_config.json"
TENSOR = "embedding.weight"
MISSING_HINT = (
    "finding papers by meaning needs the wordllama package (pip install wordllama), then `readinglist index`"
)
WORD_CACHE = 200_000
"""Distinct words whose token ids are kept (about 20 MB); the cache is emptied beyond."""
CHUNK = 256
"""Texts summed in one matrix product (the counts matrix stays under ~20 MB)."""
TITLE_REPEAT = 2
"""How many times a title counts in a paper's text: it says more about the paper per word."""


class ModelMissing(ReadingListError):
    """The model's package is not installed (or its files are missing)."""


def package_dir() -> Path | None:
    """The installed wordllama package folder, without importing it; None if not installed."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def available() -> bool:
    """Whether the model can be loaded (its package and files are installed)."""
    folder = package_dir()
    return folder is not None and (folder / WEIGHTS).is_file() and (folder / TOKENIZER).is_file()


@functools.cache
def model_id() -> str:
    """What identifies the vectors this model computes; stored with each vector (read once).

    Raises:
        ModelMissing: if the package is not installed.
    """
    from importlib import metadata  # loads email, zipfile ...: not on every search's path

    try:
        version = metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        raise ModelMissing(MISSING_HINT) from None
    return f"{PACKAGE}-{version}/{CONFIG}-{DIM}"


STOP_WORDS = frozenset(
    "a an and are as at be by for from has have how in into is it its of on or that the this to was "
    "were what when which while who why will with about than then them they their there these those "
    "can could does do did not no our we you your i me my".split()
)
"""Words left out of every text: averaged in, they pull all vectors towards one another."""


def content_words(text: str) -> str:
    """``text`` without its stop words (what is embedded: 30 of 35 quality queries, against 28 with)."""
    return " ".join(w for w in text.split() if w.lower() not in STOP_WORDS)


def paper_text(title: str, abstract: str) -> str:
    """The text a paper is embedded from (the title weighs more)."""
    return content_words(" ".join([title] * TITLE_REPEAT + [abstract]))


class Embedder:
    """Turns texts into normalised float32 vectors with the bundled model.

    Raises:
        ModelMissing: if the package or its files are missing.
    """

    def __init__(self) -> None:
        """Load the tokenizer and the weights from the package folder (about 0.2 s)."""
        folder = package_dir()
        if folder is None or not available():
            raise ModelMissing(MISSING_HINT)
        self.model_id = model_id()
        # Imported here: numpy and the tokenizer must not load with readinglist. sqlite-utils
        # first, so that it never sees numpy (see readinglist.core.sqlite_import).
        load_sqlite_utils()
        with numpy_lock():
            import numpy  # noqa: F401
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(folder / TOKENIZER))
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()
        weights = load_file(str(folder / WEIGHTS))[TENSOR]
        self._half = weights
        self._full: NDArray[np.float32] | None = None
        self._words: dict[str, tuple[int, ...]] = {}

    @property
    def dim(self) -> int:
        """The vectors' length."""
        return int(self._half.shape[1])

    def _table(self, bulk: bool) -> NDArray[np.float32] | NDArray[np.float16]:
        # The weights are stored as float16; numpy converts float16 slowly, so bulk
        # embedding converts the table once (32 MB) and a query converts its few rows.
        import numpy as np

        if not bulk:
            return self._half
        if self._full is None:
            self._full = self._half.astype(np.float32)
        return self._full

    def _ids(self, words: list[str]) -> list[tuple[int, ...]]:
        cache = self._words
        new = [w for w in dict.fromkeys(words) if w not in cache]
        if new:
            if len(cache) + len(new) > WORD_CACHE:
                cache.clear()
            for word, enc in zip(
                new, self._tokenizer.encode_batch(new, add_special_tokens=False), strict=True
            ):
                cache[word] = tuple(enc.ids)
        return [cache[w] for w in words]

    def embed(self, texts: list[str]) -> NDArray[np.float32]:
        """One unit-length row per text (a text without words gets a zero row)."""
        import numpy as np

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), CHUNK):
            out[start : start + CHUNK] = self._sums(texts[start : start + CHUNK])
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out

    def _sums(self, texts: list[str]) -> NDArray[np.float32]:
        """The sum of the token vectors of each text.

        A gather and a sum per text: one matrix product over a (texts x
        distinct tokens) count matrix cost 20 times more, ``np.add.reduceat``
        over all the gathered rows 8 times more (benchmarks/bench_semantic.py).
        """
        import numpy as np

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        split = [t.split() for t in texts]
        tuples = self._ids(list(chain.from_iterable(split)))
        flat = np.fromiter(chain.from_iterable(tuples), dtype=np.int64)
        word_lengths = np.fromiter(map(len, tuples), dtype=np.int64, count=len(tuples))
        word_ends = np.cumsum([len(words) for words in split])
        token_ends = np.concatenate(([0], np.cumsum(word_lengths)))[word_ends].tolist()
        table = self._table(bulk=len(flat) > 20_000)
        start = 0
        for row, end in enumerate(token_ends):
            if end > start:
                out[row] = table[flat[start:end]].sum(axis=0, dtype=np.float32)
            start = end
        return out

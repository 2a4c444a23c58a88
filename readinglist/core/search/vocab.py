"""The library's word list, for typo and prefix expansion of query words.

Kept in SQLite (see migration ``m003_search_vocab``) so a process never reads
the whole vocabulary: a prefix is a range scan on the word's primary key, and
typo candidates come from an index of one-letter deletions (SymSpell), checked
with an edit distance that counts a swap of two letters as one edit.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from readinglist.core.search.cache import TAGS_TEXT_SQL
from readinglist.core.search.words import ASCII_WORD_BYTES, WORD, normalize
from readinglist.core.store import Library

MIN_TYPO_LEN = 5
"""Words shorter than this are never typo-expanded (too many near neighbours)."""
MAX_WORD_LEN = 40
FULL_SCAN_MAX = 20_000
"""Batches of up to this many papers have every abstract read into the word list."""
ABSTRACT_SAMPLE = 8
"""Bigger batches read one abstract in this many (see :func:`refresh_vocab`)."""
_CHUNK = 500
# Stray suffix tokens ("Prompt-ing") must not split real words: "reason ing".
_SUFFIXES = frozenset(
    "ing ings ed er ers es ly ion ions tion tions ness ment ments able ible al ive ity ize ise ized ised "
    "ful less ous ism ist ists".split()
)


def max_edits(word: str) -> int:
    """How many edits a query word may be off by: 0 below 5 letters, 1 to 8, 2 from 9."""
    if len(word) < MIN_TYPO_LEN:
        return 0
    return 1 if len(word) < 9 else 2


def deletes(word: str, depth: int) -> set[str]:
    """``word`` and every string made by deleting up to ``depth`` letters from it."""
    out = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


def _indexable(word: str) -> bool:
    # Typos are only corrected towards real words: numbers and ids are left out.
    return len(word) >= MIN_TYPO_LEN - 1 and word.isalpha()


def _fold(counts: Counter[bytes]) -> Counter[str]:
    """Re-key raw byte tokens as index words (letters and digits, lower case, accents stripped)."""
    # bytes.isalnum is ASCII-only: the common, already clean case, taken in one comprehension
    # (distinct tokens decode to distinct words). The rest may fold onto those words.
    out: Counter[str] = Counter(
        {raw.decode(): n for raw, n in counts.items() if raw.isalnum() and len(raw) <= MAX_WORD_LEN}
    )
    for raw, n in counts.items():
        if raw.isalnum():
            continue
        for part in WORD.findall(raw.decode("utf-8", "replace").lower()):
            word = normalize(part)
            if 0 < len(word) <= MAX_WORD_LEN:
                out[word] += n
    return out


def count_words(texts: Iterable[str]) -> Counter[str]:
    """How often each index word occurs in ``texts``.

    A 256-byte ``bytes.translate`` table lower-cases ASCII and turns ASCII
    punctuation into spaces at C speed; only the distinct leftovers holding
    other characters go through the regex.
    """
    # One join: per-text calls cost as much again as the counting (texts never
    # merge into one word: the space between them splits).
    joined = " ".join(texts).encode("utf-8", "replace")
    return _fold(Counter(joined.translate(ASCII_WORD_BYTES).split()))


# NamedTuples, not dataclasses, and annotations evaluated, not strings: every
# ``readinglist search`` loads this module (see readinglist/core/models.py).
class CountedRun(NamedTuple):
    """Words of an import run's new papers, counted where the file was read (see :func:`count_papers`).

    The papers with ids from ``first_id`` up are the run's new ones; their
    words are in ``freq`` already (abstracts sampled), except for the papers
    in ``recount``, changed after they were counted, which are read as usual.
    """

    freq: Counter[str]
    first_id: int
    recount: set[int]


def sampled(title: str, sample: int) -> bool:
    """Whether a paper's abstract is read into the word list when one in ``sample`` is.

    Decided by the title's length, so that the process that reads a file can
    decide it (and count) before the paper has an id.
    """
    return sample == 1 or len(title) % sample == 0


def count_papers(papers: Iterable[tuple[str, str, str, str]], sample: int) -> Counter[str]:
    """The word counts :func:`refresh_vocab` adds for new papers, without their tags.

    Args:
        papers: ``(title, authors, notes, abstract)`` of each paper, as stored.
        sample: Read one abstract in this many (see :func:`sampled`) and scale its counts up.
    """
    texts: list[str] = []
    abstracts: list[str] = []
    for title, authors, notes, abstract in papers:
        texts.append(f"{title} {authors} {notes}")
        if abstract and sampled(title, sample):
            abstracts.append(abstract)
    freq = count_words(texts)
    for word, n in count_words(abstracts).items():
        freq[word] += n * sample
    return freq


def refresh_vocab(library: Library, counted: CountedRun | None = None) -> int:
    """Add the words of new and changed papers to the word list.

    Triggers queue every inserted or edited paper; this drains the queue in
    the caller's transaction (or its own). The search engine calls it before a
    query whenever the queue is not empty, so nothing else has to; a bulk
    import should call it once at the end of its run, inside its transaction,
    so that the first search after a big import does not pay for it.
    Frequencies count a paper's words when it is added; words that disappear
    from the library stay listed, which only costs an expansion that finds
    nothing.

    Tokenising in Python costs about 60 µs per abstract, so a big batch (more
    than ``FULL_SCAN_MAX`` papers, i.e. a bulk import) reads every title,
    author list, tag and note but only one abstract in ``ABSTRACT_SAMPLE``
    (see :func:`sampled`) and scales those counts up: common abstract words
    are listed with about the right frequency, while a word found in only a
    few abstracts may be missed (it is still found when typed exactly).

    Args:
        library: The library whose queue to drain.
        counted: The words of an import run's new papers, counted while its
            file was read (a run read in a helper process); those papers are
            not read again, and abstracts are sampled whatever the batch size.

    Returns:
        The number of papers processed.
    """
    db = library.db
    with library.write():
        queued = db.execute("SELECT paper_id, fresh FROM search_dirty").fetchall()
        # New and renamed tags (m010): their words are listed once, as words of a changed paper.
        tag_names = [
            r[0]
            for r in db.execute(
                "SELECT t.name FROM search_dirty_tags d JOIN tags t ON t.id = d.tag_id"
            ).fetchall()
        ]
        if tag_names:
            db.execute("DELETE FROM search_dirty_tags")
        if not queued:
            if tag_names:
                _store(library, Counter(), set(count_words(tag_names)))
            return 0
        sample = ABSTRACT_SAMPLE if counted is not None or len(queued) > FULL_SCAN_MAX else 1
        todo = queued
        if counted is not None:
            todo = [(p, f) for p, f in queued if p < counted.first_id or p in counted.recount]
        # Counted a chunk at a time: holding every new paper's text for one call was most of
        # a small import's memory (60 of 141 MiB at 5,000 papers); the counts are the same.
        freq: Counter[str] = Counter()
        seen_words: set[str] = set(count_words(tag_names))
        for start in range(0, len(todo), _CHUNK):
            chunk = todo[start : start + _CHUNK]
            fresh = {pid for pid, is_new in chunk if is_new}
            marks = ",".join("?" * len(chunk))
            rows = db.execute(
                f"""SELECT id, title, authors || ' ' || coalesce({TAGS_TEXT_SQL}, ''), notes,
                           CASE WHEN ? = 1 OR length(title) % ? = 0 THEN abstract ELSE '' END
                    FROM papers WHERE id IN ({marks})""",
                [sample, sample, *(pid for pid, _ in chunk)],
            )
            fresh_texts: list[tuple[str, str, str, str]] = []
            seen_texts: list[str] = []
            for pid, title, authors_tags, notes, abstract in rows:
                if pid in fresh:
                    fresh_texts.append((title, authors_tags, notes, abstract))
                else:
                    seen_texts += (title, authors_tags, notes, abstract)
            freq.update(count_papers(fresh_texts, sample))
            seen_words.update(count_words(seen_texts))
        if counted is not None:
            freq.update(counted.freq)
            freq = +freq  # what a run counted and took back again leaves zeros
        seen = seen_words - set(freq)
        _store(library, freq, seen)
        db.execute("DELETE FROM search_dirty")
    return len(queued)


def _store(library: Library, freq: Counter[str], seen_only: set[str]) -> None:
    db = library.db
    candidates = sorted(set(freq) | seen_only)
    known: set[str] = set()
    for start in range(0, len(candidates), _CHUNK):
        chunk = candidates[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        rows = db.execute(f"SELECT word FROM search_vocab WHERE word IN ({marks})", chunk)
        known.update(r[0] for r in rows)
    db.conn.executemany(
        "INSERT INTO search_vocab (word, freq) VALUES (?, ?) "
        "ON CONFLICT (word) DO UPDATE SET freq = freq + excluded.freq",
        [(w, freq.get(w, 0) or (0 if w in known else 1)) for w in candidates],
    )
    new = [w for w in candidates if w not in known and _indexable(w)]
    db.conn.executemany(
        "INSERT OR IGNORE INTO search_vocab_del (del, word) VALUES (?, ?)",
        ((d, w) for w in new for d in deletes(w, 1) if d != w),
    )


class Expansion(NamedTuple):
    """What a query word may stand for in the library."""

    word: str
    known: bool
    """The word itself is in the library."""
    freq: int
    """How often the word itself occurs in the library (0 if unknown)."""
    completions: tuple[tuple[str, int], ...] = ()
    """Longer words it is a prefix of, most frequent first, with their frequencies."""
    typos: tuple[tuple[str, int], ...] = ()
    """Words within the allowed edit distance, nearest and most frequent first."""
    splits: tuple[tuple[str, str], ...] = ()
    """Two known words it is glued from ("infinigram" -> infini gram)."""

    def all_words(self) -> list[str]:
        """The word and every expansion, for the full-text query (a split is a two-word phrase)."""
        return [
            self.word,
            *(w for w, _ in self.completions),
            *(w for w, _ in self.typos),
            *(f"{a} {b}" for a, b in self.splits),
        ]


def expand(
    library: Library, word: str, *, prefix: bool, max_completions: int = 12, max_typos: int = 4
) -> Expansion:
    """Look ``word`` up: is it known, what does it complete to, which words is it a typo of.

    Typo candidates are only sought when the word itself is rare (a word found
    often is not a typo). Both lookups use indexes, never a scan of
    the whole word list.
    """
    db = library.conn
    if len(word) > MAX_WORD_LEN:
        # Nothing that long is listed, and its deletions would number in the millions.
        return Expansion(word, False, 0)
    row = db.execute("SELECT freq FROM search_vocab WHERE word = ?", [word]).fetchone()
    freq = int(row[0]) if row else 0
    completions: list[tuple[str, int]] = []
    if prefix:
        completions = [
            (w, int(n))
            for w, n in db.execute(
                "SELECT word, freq FROM search_vocab WHERE word > ? AND word < ? ORDER BY freq DESC LIMIT ?",
                [word, word + "\U0010ffff", max_completions],
            )
        ]
    typos: list[tuple[str, int]] = []
    edits = max_edits(word)
    if edits and word.isalpha():
        typos = _typos(library, word, edits, {w for w, _ in completions}, max_typos)
        # A frequent word is meant as typed; keep only much more common neighbours.
        typos = [(w, n) for w, n in typos if n >= freq]
    # "pretraining" also stands for "pre-training"; a known word only splits into
    # parts of 3+ letters, so "another" does not become "an other".
    splits = _splits(library, word, 3 if freq else 2) if len(word) >= 6 and word.isalpha() else []
    return Expansion(word, freq > 0, freq, tuple(completions), tuple(typos), tuple(splits))


def _splits(library: Library, word: str, shortest: int, limit: int = 2) -> list[tuple[str, str]]:
    """Ways to cut ``word`` into two known words of ``shortest``+ letters, most balanced first."""
    cut_at = range(shortest, len(word) - shortest + 1)
    parts = {word[:i] for i in cut_at} | {word[i:] for i in cut_at}
    marks = ",".join("?" * len(parts))
    known = {
        r[0]
        for r in library.conn.execute(f"SELECT word FROM search_vocab WHERE word IN ({marks})", list(parts))
    }
    cuts = [
        (word[:i], word[i:])
        for i in cut_at
        if word[:i] in known and word[i:] in known and word[i:] not in _SUFFIXES
    ]
    cuts.sort(key=lambda ab: -min(len(ab[0]), len(ab[1])))
    return cuts[:limit]


def _typos(library: Library, word: str, edits: int, skip: set[str], limit: int) -> list[tuple[str, int]]:
    probes = sorted(deletes(word, edits))
    found: dict[str, int] = {}
    for start in range(0, len(probes), _CHUNK):
        chunk: Sequence[str] = probes[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        sql = f"""SELECT word, freq FROM search_vocab WHERE word IN ({marks})
                  OR word IN (SELECT word FROM search_vocab_del WHERE del IN ({marks}))"""
        for w, n in library.conn.execute(sql, [*chunk, *chunk]):
            found[w] = int(n)
    scored = []
    for w, n in found.items():
        if w == word or w in skip:
            continue
        dist = osa_distance(word, w, edits)
        if dist <= edits:
            scored.append((dist, -n, w))
    scored.sort()
    return [(w, -negn) for _, negn, w in scored[:limit]]


def osa_distance(a: str, b: str, cutoff: int) -> int:
    """The optimal string alignment distance of ``a`` and ``b``, or ``cutoff + 1`` if beyond ``cutoff``.

    Edits are insertions, deletions, substitutions and swaps of two adjacent
    letters, none edited twice: the same figure as rapidfuzz's
    ``OSA.distance(a, b, score_cutoff=cutoff)``. A query compares only a few
    candidates (the deletion index finds them), so plain Python costs
    microseconds where importing rapidfuzz cost ``readinglist search`` about
    20 ms of its start-up.
    """
    if a == b:
        return 0
    if abs(len(a) - len(b)) > cutoff:
        return cutoff + 1
    before: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        row = [i]
        for j, cb in enumerate(b, start=1):
            best = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, before[j - 2] + 1)
            row.append(best)
        # A row never goes below the smallest value of the one above it: stop once past the cutoff.
        if min(row) > cutoff:
            return cutoff + 1
        before, prev = prev, row
    return prev[-1] if prev[-1] <= cutoff else cutoff + 1

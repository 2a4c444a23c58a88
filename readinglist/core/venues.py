"""What a venue's name says: a conference's or a journal's, or only an arXiv preprint's.

One home for the rules every format's reader and writer shares, kept free of
heavy imports (the RIS and CSL writers use it without loading bibtexparser).
"""

from __future__ import annotations

import re

# What makes a venue a conference's (a paper in it is an @inproceedings with a
# booktitle, a RIS CONF, a CSL paper-conference) rather than a journal's.
_PROCEEDINGS = re.compile(
    r"\b(?:proc\.?|proceedings|conference|conf\.|workshops?|symposium|colloquium|congress|meeting"
    r"|advances in neural information processing|neurips|nips|icml|iclr|acl|emnlp|naacl|eacl|coling"
    r"|cvpr|iccv|eccv|aaai|ijcai|kdd|sigir|sigmod|vldb|chi|uai|aistats|colt|corl|icra|iros"
    r"|interspeech|icassp)\b",
    re.IGNORECASE,
)
# Google Scholar's journal for a preprint (``arXiv preprint arXiv:2005.11401``),
# or a bare ``arXiv``: the arXiv id is read from it; as a venue it says nothing more.
_PREPRINT = re.compile(r"^\s*arxiv(?:\s+preprint)?(?:\s+arxiv)?\s*[:\s]?\s*[\w./-]*\s*$", re.IGNORECASE)


def is_proceedings(venue: str) -> bool:
    """Whether ``venue`` names a conference, workshop or symposium (by its words or a known name)."""
    return bool(_PROCEEDINGS.search(venue))


def clean(value: str | None) -> str | None:
    """A venue as stored: white space squashed; nothing for an empty one or an arXiv preprint mention."""
    if not value:
        return None
    text = " ".join(value.split())
    return text if text and not _PREPRINT.match(text) else None

"""Hostile papers and user data for the export and round-trip tests (#12)."""

from __future__ import annotations

from readinglist.core.models import PaperDraft, Status
from readinglist.core.store import Library
from tests.helpers import add_paper

BIBTEX_NOTE = "Cite as:\n@article{evil2024,\n  title = {Injected},\n}\n@misc{second, title={x}\\"
CSV_NOTE = 'a,"b",c\n"unclosed quote\n=HYPERLINK("http://evil","click")\n;;;\n'
MARKDOWN_NOTE = (
    "# Heading\n[click](javascript:alert(1)) and ![img](http://evil/x.png)\n"
    "[ref]: file:///etc/passwd\n<img src=x onerror=alert(1)> <https://example.org/ok>\n"
    "```\ncode `with` ticks\n```\n| a | b |\n> quoted\n- [ ] task"
)
NOTES = (BIBTEX_NOTE, CSV_NOTE, MARKDOWN_NOTE)

HOSTILE = (
    PaperDraft(
        title="=1+1 [click](javascript:alert(1)) ![img](http://evil/x.png) `tick` {unbalanced \\",
        abstract="An abstract with } and {\n@misc{evil, title={Injected}}\nand a trailing backslash \\",
        authors=("Alice and Bob", "Doe, John", "Trailing\\", "@Mention", "-Dash"),
        year=2024,
        url="https://example.org/a b\n@misc{evil,\n title={Injected}}\n",
        doi="10.1000/x}\n@misc{evil2, title={Injected}}",
        # No stored tag holds a comma (#15): "a b" has the space instead.
        tags=("x;y", "a b", "`code`", "[link](javascript:x)", "@home", "=SUM(A1)", "back\\slash"),
    ),
    PaperDraft(
        title="URL ending in a backslash",
        abstract="-starts with a dash",
        url="https://example.org/path\\",
        year=2023,
        tags=("+plus",),
    ),
    PaperDraft(
        title="+Formula title with a 'quote",
        abstract="'=already quoted once",
        authors=("'=Quoted",),
        url="javascript:alert(document.cookie)",
        tags=("'@tag",),
    ),
    PaperDraft(title="@Mention title", abstract="\tTabbed abstract", url="file:///etc/passwd"),
    PaperDraft(title="-Negative (title) with ] and [", arxiv_id="2401.00001", abstract="Plain."),
)


def add_hostile(library: Library) -> list[int]:
    """Add :data:`HOSTILE`, star, queue, tag and annotate papers (hostile and sample ones)."""
    ids = [add_paper(library, draft, stamp=f"2024-0{n + 1}-01T00:00:00Z") for n, draft in enumerate(HOSTILE)]
    everyone = library.ids()
    for paper_id, note in zip([*ids[:3], *everyone[:3]], NOTES * 2, strict=True):
        library.set_note(paper_id, note)
    library.set_note(ids[3], "\t=starts with a tab and a formula\rafter a lone CR")
    library.set_note(ids[4], "-1 is negative\r\nwith a CRLF line")
    library.set_starred(ids[0], True)
    library.set_starred(everyone[5], True)
    library.set_status(ids[1], Status.READING)
    library.set_status(everyone[6], Status.READ)
    library.queue_add(ids[2])
    library.queue_add(everyone[7])
    library.tag(everyone[8], add=["deep learning", "x;y"])
    return ids

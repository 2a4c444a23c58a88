"""The documentation's links lead somewhere: files exist, anchors name headings, cited sections exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"(?<!\\)\]\(([^)\s]+)\)")  # not an escaped \](
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
CODE = re.compile(r"`[^`\n]*`")


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = heading.strip().lower().replace("`", "")
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    return {slug(h) for h in re.findall(r"^#+ (.+)$", text, re.MULTILINE)}


def test_slug_matches_github() -> None:
    assert (
        slug("### `readinglist star`, `readinglist unstar`".lstrip("# "))
        == "readinglist-star-readinglist-unstar"
    )
    assert slug("2. A list of 100k rows") == "2-a-list-of-100k-rows"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(page: Path) -> None:
    # Code is not a link: `[title](url)` in a code span shows the syntax.
    text = CODE.sub("", FENCE.sub("", page.read_text(encoding="utf-8")))
    broken = []
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target):
            continue  # http(s), mailto: not checked (no network in tests)
        path, _, anchor = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        if not dest.exists():
            broken.append(
                f"{target}: no file {dest.relative_to(ROOT) if dest.is_relative_to(ROOT) else dest}"
            )
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            broken.append(f"{target}: no heading with anchor #{anchor} in {dest.name}")
    assert not broken, f"{page.name}: " + "; ".join(broken)


def test_tech_notes_citations_name_existing_sections() -> None:
    notes = (ROOT / "docs" / "tech-notes.md").read_text(encoding="utf-8")
    sections = set(re.findall(r"^## (\d+)\. ", notes, re.MULTILINE))
    cited: list[tuple[str, str]] = []
    for folder in ("readinglist", "benchmarks", "tests"):
        for source in (ROOT / folder).rglob("*.py"):
            for number in re.findall(r"docs/tech-notes\.md §(\d+)", source.read_text(encoding="utf-8")):
                cited.append((str(source.relative_to(ROOT)), number))
    assert cited, "no code cites docs/tech-notes.md"
    missing = [(where, n) for where, n in cited if n not in sections]
    assert not missing, f"cited sections missing from docs/tech-notes.md: {missing}"


def test_no_code_cites_the_shared_notes_outside_the_repository() -> None:
    citing = [
        str(source.relative_to(ROOT))
        for folder in ("readinglist", "benchmarks")
        for source in (ROOT / folder).rglob("*.py")
        if "TECH-NOTES" in source.read_text(encoding="utf-8")
    ]
    assert not citing, f"cite docs/tech-notes.md instead of TECH-NOTES in {citing}"

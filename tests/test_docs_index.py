"""The README's Documentation list leads to every page of docs/, so no page is left unfound."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def documentation_links(readme: str) -> set[str]:
    """The docs/ pages linked from the README's `## Documentation` section."""
    section = readme[readme.index("## Documentation") :]
    following = re.search(r"^## ", section[3:], re.MULTILINE)
    if following:
        section = section[: following.start() + 3]
    return set(re.findall(r"\]\((docs/[\w.-]+\.md)", section))


def test_the_list_is_read() -> None:
    """The reader sees links, and only those in the section (so the test below can fail)."""
    text = "## Documentation\n\n- [A](docs/a.md), [B](docs/b.md#x)\n\n## Next\n\n[C](docs/c.md)\n"
    assert documentation_links(text) == {"docs/a.md", "docs/b.md"}


def test_the_readme_lists_every_docs_page() -> None:
    pages = {f"docs/{page.name}" for page in (ROOT / "docs").glob("*.md")}
    missing = sorted(pages - documentation_links(README))
    assert not missing, f"README.md's Documentation list does not link {missing}"

"""The project's documents stay true to its tree: the README lists every app, and every
document the code cites is in the project."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE_FOLDERS = ("config", "marketplace", "storefront", "integrations", "bench")
CITED_DOCUMENT = re.compile(r"[\w./-]*\b\w+\.md\b")


def packages(folder: str) -> list[str]:
    return sorted(p.parent.name for p in (ROOT / folder).glob("*/__init__.py"))


def what_is_where() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("## What is where", 1)[1].split("\n## ", 1)[0]


def test_readme_lists_every_app_with_a_line_of_its_own():
    section = what_is_where()
    listed = set(re.findall(r"^ {2}(\w+)/ +\S", section, flags=re.MULTILINE))
    apps = packages("marketplace") + packages("integrations")
    assert apps
    assert sorted(set(apps) - listed) == []


def cited_documents() -> dict[str, set[str]]:
    citations: dict[str, set[str]] = {}
    for folder in CODE_FOLDERS:
        for path in (ROOT / folder).rglob("*.py"):
            for name in CITED_DOCUMENT.findall(path.read_text(encoding="utf-8")):
                citations.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return citations


def test_documents_the_code_cites_are_in_the_project():
    citations = cited_documents()
    assert "docs/PERFORMANCE.md" in citations
    # A bare name means the project's document of that name, at the top or under docs/.
    missing = {
        name: sorted(where)
        for name, where in citations.items()
        if not any(
            (base / name).resolve().is_relative_to(ROOT) and (base / name).is_file()
            for base in (ROOT, ROOT / "docs")
        )
    }
    assert missing == {}

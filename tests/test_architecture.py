"""Layering rules: the domain never imports the API; the storefront never imports the domain."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def python_files(folder: str):
    return [p for p in (ROOT / folder).rglob("*.py") if "migrations" not in p.parts]


def test_domain_never_imports_the_api():
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            m for m in imported_modules(path) if m.startswith("marketplace.api")
        )
        for path in python_files("marketplace")
        if "api" not in path.relative_to(ROOT / "marketplace").parts[:1]
    }
    assert {k: v for k, v in offenders.items() if v} == {}


# The storefront reaches the marketplace only through its GraphQL API, in process or HTTP.
PUBLIC_API = {"marketplace.api.inprocess"}


def test_storefront_uses_only_the_public_api():
    offenders = {}
    for path in python_files("storefront"):
        bad = sorted(
            m for m in imported_modules(path) if m.startswith("marketplace") and m not in PUBLIC_API
        )
        if bad:
            offenders[str(path.relative_to(ROOT))] = bad
    assert offenders == {}


def test_modules_stay_small():
    long_modules = {
        str(path.relative_to(ROOT)): n
        for folder in ("config", "marketplace", "storefront", "integrations")
        for path in python_files(folder)
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 600
    }
    assert long_modules == {}

"""Layering rules: the domain never imports the API; the storefront never imports the domain."""

import ast
import re
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


# Domain errors name their fields in the domain's terms (snake_case); the API layer alone
# turns them into its camelCase (marketplace.api.core.errors.api_field).
LOWER_CAMEL_CASE = re.compile(r"[a-z0-9][A-Z]")
# Calls whose argument at this position is an error's field.
FIELD_POSITIONS = {"of": 1, "add": 1, "permission_denied": 0, "FieldError": 0}
FIELD_PARAMETERS = {"field", "field_prefix"}


def _strings(node: ast.AST) -> list[str]:
    return [
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def _field_parameters(tree: ast.AST) -> dict[str, list[str]]:
    """The module's functions → their positional parameter names."""
    return {
        node.name: [a.arg for a in node.args.posonlyargs + node.args.args]
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def error_fields(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string that names an error's field: in a `field=` argument or
    default, in the field position of DomainError.of, ErrorCollector.add,
    permission_denied and FieldError, and in the `field` parameter of the module's own
    functions passed by position."""
    tree = ast.parse(source)
    functions = _field_parameters(tree)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.arguments):
            named = node.posonlyargs + node.args + node.kwonlyargs
            defaults = [None] * (len(node.posonlyargs + node.args) - len(node.defaults))
            for arg, default in zip(
                named, defaults + node.defaults + node.kw_defaults, strict=True
            ):
                if default is not None and arg.arg in FIELD_PARAMETERS:
                    found += [(default.lineno, s) for s in _strings(default)]
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        values = [k.value for k in node.keywords if k.arg in FIELD_PARAMETERS]
        positions = {FIELD_POSITIONS[name]} if name in FIELD_POSITIONS else set()
        if isinstance(func, ast.Name) and name in functions:
            params = functions[name]
            positions |= {i for i, p in enumerate(params) if p in FIELD_PARAMETERS}
        values += [arg for i, arg in enumerate(node.args) if i in positions]
        found += [(value.lineno, s) for value in values for s in _strings(value)]
    return found


def test_domain_errors_name_fields_in_snake_case():
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in python_files("marketplace")
        if "api" not in path.relative_to(ROOT / "marketplace").parts[:1]
        for line, text in error_fields(path.read_text(encoding="utf-8"))
        if LOWER_CAMEL_CASE.search(text)
    ]
    assert offenders == []


def test_the_field_scan_finds_camel_case_fields():
    source = """
def _clean_days(errors, value, field):
    errors.add(ErrorCode.INVALID, field)

def check(errors, index, field="minSpend"):
    raise DomainError.of(ErrorCode.INVALID, "deliveryMethodId")
    errors.add(ErrorCode.REQUIRED, f"lines.{index}.variantId", _("Not this message."))
    clean_text(value, field=name("postalCode"), max_length=10)
    _clean_days(errors, value, "maxDays")
    permission_denied("payoutIban")
"""
    texts = {text for _line, text in error_fields(source)}
    assert {
        "minSpend",
        "deliveryMethodId",
        ".variantId",
        "postalCode",
        "maxDays",
        "payoutIban",
    } <= texts
    assert "Not this message." not in texts

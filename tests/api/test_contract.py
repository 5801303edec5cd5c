"""The served schema must contain the contract, docs/api/core.graphql, less what later work
adds; the contract is the project's copy of ../shared/api/core.graphql and must not drift
from it."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import (
    BreakingChangeType,
    GraphQLEnumType,
    build_ast_schema,
    find_breaking_changes,
    get_named_type,
    is_scalar_type,
    parse,
)
from graphql.language import (
    DocumentNode,
    NamedTypeNode,
    ObjectTypeDefinitionNode,
    TypeDefinitionNode,
    Visitor,
    visit,
)

from marketplace.api.schema import schema

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "docs" / "api" / "core.graphql"
# Where the contract is kept for every program that relies on it, when it is checked out
# beside the project.
SHARED = ROOT.parent / "shared" / "api"

# Operations and fields of the contract that later work adds. This list only shrinks:
# the test fails when something listed here is served, so it is removed the same day.
NOT_YET_SERVED: set[str] = set()


def _without_unserved(document: DocumentNode) -> DocumentNode:
    """The contract minus NOT_YET_SERVED fields and the types only they reach."""

    class DropFields(Visitor):
        def enter_object_type_definition(self, node: ObjectTypeDefinitionNode, *_):
            kept = tuple(
                f for f in node.fields if f"{node.name.value}.{f.name.value}" not in NOT_YET_SERVED
            )
            return ObjectTypeDefinitionNode(
                name=node.name,
                interfaces=node.interfaces,
                directives=node.directives,
                fields=kept,
                description=node.description,
            )

    pruned: DocumentNode = visit(document, DropFields())
    definitions = {d.name.value: d for d in pruned.definitions if isinstance(d, TypeDefinitionNode)}
    reachable: set[str] = set()
    pending = ["Query", "Mutation"]
    while pending:
        name = pending.pop()
        if name in reachable or name not in definitions:
            continue
        reachable.add(name)

        class Collect(Visitor):
            def enter_named_type(self, node: NamedTypeNode, *_):
                pending.append(node.name.value)

        visit(definitions[name], Collect())
        # Interfaces reach the types that implement them (Node → every node type).
        for other in definitions.values():
            interfaces = getattr(other, "interfaces", None) or ()
            if any(i.name.value == name for i in interfaces) and name != "Node":
                pending.append(other.name.value)
    return DocumentNode(
        definitions=tuple(
            d
            for d in pruned.definitions
            if not isinstance(d, TypeDefinitionNode) or d.name.value in reachable
        )
    )


def _leaf_string_to_enum(change, contract, served) -> bool:
    """The contract allows a String leaf to be served as an enum (same JSON)."""
    if change.type != BreakingChangeType.FIELD_CHANGED_KIND:
        return False
    coordinate = change.description.split(" ", 1)[0]
    type_name, _, field_name = coordinate.partition(".")
    old = contract.type_map[type_name].fields[field_name].type
    new = served.type_map[type_name].fields[field_name].type
    return (
        get_named_type(old).name == "String"
        and isinstance(get_named_type(new), GraphQLEnumType)
        and str(old).replace("String", get_named_type(new).name) == str(new)
    )


def _same_scalar(change, contract, served) -> bool:
    """Custom scalars (DateTime, Upload) compare as a kind change; the JSON is the same."""
    if change.type != BreakingChangeType.TYPE_CHANGED_KIND:
        return False
    name = change.description.split(" ", 1)[0]
    return is_scalar_type(contract.type_map.get(name)) and is_scalar_type(served.type_map.get(name))


@pytest.fixture(scope="module")
def contract_document() -> DocumentNode:
    return parse(CONTRACT.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["core.graphql", "README.md"])
def test_the_copy_is_the_shared_contract(name):
    shared = SHARED / name
    if not shared.exists():
        pytest.skip(f"no shared contract beside the project ({shared})")
    assert (CONTRACT.parent / name).read_bytes() == shared.read_bytes(), (
        f"docs/api/{name} differs from {shared}: copy the shared file over the project's"
    )


def test_served_schema_contains_the_contract(contract_document):
    contract = build_ast_schema(_without_unserved(contract_document), assume_valid_sdl=True)
    served = schema.graphql_schema
    problems = [
        change.description
        for change in find_breaking_changes(contract, served)
        if not _leaf_string_to_enum(change, contract, served)
        and not _same_scalar(change, contract, served)
    ]
    assert problems == []


def test_not_yet_served_list_only_names_what_is_missing(contract_document):
    served = schema.graphql_schema
    contract = build_ast_schema(contract_document, assume_valid_sdl=True)
    for coordinate in NOT_YET_SERVED:
        type_name, field_name = coordinate.split(".")
        assert field_name in contract.type_map[type_name].fields, (
            f"{coordinate} is not in the contract"
        )
        served_type = served.type_map.get(type_name)
        assert served_type is None or field_name not in served_type.fields, (
            f"{coordinate} is served now: remove it from NOT_YET_SERVED"
        )


def test_the_check_catches_a_rename(contract_document):
    """Guard against a comparison that cannot fail: renaming a served field is reported."""
    contract = build_ast_schema(_without_unserved(contract_document), assume_valid_sdl=True)
    sdl = str(schema).replace("  sellerApprove(", "  sellerApproval(")
    from graphql import build_schema

    renamed = build_schema(sdl)
    problems = [c.description for c in find_breaking_changes(contract, renamed)]
    assert any("sellerApprove" in p for p in problems)

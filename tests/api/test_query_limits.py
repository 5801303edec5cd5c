"""Limits on one request's document, checked before it runs (api/core/limits.py), and the
response size limit."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql import FragmentDefinitionNode, GraphQLSyntaxError, OperationDefinitionNode, parse

import storefront
from marketplace.api.core.limits import measure
from marketplace.api.core.view import documents
from marketplace.api.inprocess import execute
from marketplace.api.schema import schema

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_documents():
    # Validation is cached by query text; limits changed by a test must be seen.
    documents.items.clear()
    yield
    documents.items.clear()


ATTACK = """{ products(first: 100) { edges { node { name seller { name
  products(first: 100) { edges { node { name seller { name
    products(first: 100) { edges { node { name seller { name } } } } } } } } } } } } }"""


def the_limit(body: dict) -> str:
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "INVALID"
    return error["extensions"]["limit"]


def test_nesting_products_through_sellers_is_refused_before_running(api):
    with CaptureQueriesContext(connection) as queries:
        body = api(ATTACK, status=400)
    assert the_limit(body) == "cost"
    assert "data" not in body
    assert str(settings.GRAPHQL_MAX_COST) in body["errors"][0]["message"]
    assert len(queries.captured_queries) == 0


def test_variables_count_as_the_largest_page_unless_they_have_a_default(api):
    query = ATTACK.replace("first: 100", "first: $n")
    body = api("query($n: Int) " + query, {"n": 1}, status=400)
    assert the_limit(body) == "cost"
    body = api("query($n: Int = 2) " + query, {"n": 2})
    assert body["data"] == {"products": {"edges": []}}


def test_a_thousand_aliases_are_refused(api):
    query = "{ " + " ".join(f"a{i}: __typename" for i in range(1000)) + " }"
    body = api(query, status=400)
    assert the_limit(body) == "aliases"
    assert str(settings.GRAPHQL_MAX_ALIASES) in body["errors"][0]["message"]


def test_a_thousand_aliases_inside_a_page_are_refused(api):
    fields = " ".join(f"a{i}: name" for i in range(1000))
    body = api("{ products(first: 100) { edges { node { " + fields + " } } } }", status=400)
    assert {error["extensions"]["limit"] for error in body["errors"]} <= {"aliases", "cost"}


def test_depth_is_limited(api, settings):
    deep = "{ __schema { types { fields { type { " + "ofType { " * 20 + "name" + " }" * 24 + " }"
    body = api(deep, status=400)
    assert "depth" in {error["extensions"]["limit"] for error in body["errors"]}
    message = next(e for e in body["errors"] if e["extensions"]["limit"] == "depth")["message"]
    assert f"limit is {settings.GRAPHQL_MAX_DEPTH}" in message


def test_graphiqls_introspection_passes(api):
    from graphql import get_introspection_query

    body = api(get_introspection_query(descriptions=True))
    assert "errors" not in body
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


def test_fragments_spreading_fragments_stop_at_the_cost_limit(api):
    # 2**40 fields once spread: measuring must stop at the limit, not expand them all.
    fragments = ["fragment Q0 on Query { __typename }"]
    for level in range(1, 41):
        fragments.append(
            f"fragment Q{level} on Query {{ ...Q{level - 1} ... on Query {{ ...Q{level - 1} }} }}"
        )
    body = api("{ ...Q40 } " + " ".join(fragments), status=400)
    assert the_limit(body) == "cost"


def test_fragments_under_an_empty_page_stop_at_the_cost_limit(api, settings):
    # Under `first: 0` the page multiplies by 0; each field walked must count anyway,
    # or 2**levels spreads would all be walked (at 30 levels, for most of an hour).
    settings.GRAPHQL_MAX_COST = 1000
    fragments = ["fragment P0 on Product { name }"]
    for level in range(1, 13):
        fragments.append(f"fragment P{level} on Product {{ name ...P{level - 1} ...P{level - 1} }}")
    query = "{ products(first: 0) { edges { node { ...P12 } } } } " + " ".join(fragments)
    body = api(query, status=400)
    assert the_limit(body) == "cost"


def test_the_same_mutation_is_limited_per_request(api, settings):
    settings.GRAPHQL_MAX_SAME_MUTATION = 2
    three = " ".join(
        f'c{i}: checkoutCreate(input: {{channel: "x", lines: []}}) {{ errors {{ code }} }}'
        for i in range(3)
    )
    body = api("mutation { " + three + " }", status=400)
    assert the_limit(body) == "sameMutation"
    assert "checkoutCreate" in body["errors"][0]["message"]


def test_the_in_process_api_applies_the_same_limits():
    body = execute(ATTACK)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["limit"] == "cost"


def test_a_parse_past_the_token_limit_is_refused(api, settings):
    settings.GRAPHQL_MAX_TOKENS = 100
    body = api("{ " + "__typename " * 200 + "}", status=400)
    assert body["errors"][0]["message"]


def test_an_answer_over_the_size_limit_is_refused_cleanly(api, settings):
    settings.GRAPHQL_MAX_RESPONSE_BYTES = 200
    body = api("{ " + " ".join(f"a{i}: __typename" for i in range(25)) + " }", status=400)
    assert the_limit(body) == "responseSize"
    assert "data" not in body
    settings.GRAPHQL_MAX_RESPONSE_BYTES = 4096
    assert api("{ a: __typename b: __typename }")["data"] == {"a": "Query", "b": "Query"}


def storefront_documents() -> list[tuple[str, str]]:
    """Every GraphQL document the storefront (and so every browser journey) sends: the
    module-level strings of its modules that parse as one."""
    found = []
    for module_info in pkgutil.walk_packages(storefront.__path__, "storefront."):
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if not isinstance(value, str) or "{" not in value:
                continue
            try:
                document = parse(value)
            except GraphQLSyntaxError:
                continue
            found.append((f"{module_info.name}.{name}", document))
    return found


def test_every_storefront_document_stays_well_under_the_limits():
    found = storefront_documents()
    assert len(found) > 60
    graphql_schema = schema.graphql_schema
    for name, document in found:
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        for operation in document.definitions:
            if not isinstance(operation, OperationDefinitionNode):
                continue
            measured = measure(graphql_schema, operation, fragments, cost_limit=10**9)
            assert measured.cost <= settings.GRAPHQL_MAX_COST // 2, name
            # Pages are never charged to a client's cost budget (api/core/budget.py).
            assert measured.cost <= settings.GRAPHQL_COST_FREE, name
            assert measured.depth <= settings.GRAPHQL_MAX_DEPTH - 4, name
            assert measured.aliases <= settings.GRAPHQL_MAX_ALIASES // 2, name
            assert max(measured.mutations.values(), default=0) == min(1, len(measured.mutations)), (
                name
            )

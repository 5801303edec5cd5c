"""Where the settings turn them off (production's default), GraphiQL, introspection and
"Did you mean" suggestions do not map the API for a visitor."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(settings):
    settings.GRAPHIQL = False
    settings.GRAPHQL_INTROSPECTION = False
    settings.GRAPHQL_SUGGESTIONS = False


def test_no_graphiql(client, closed):
    response = client.get("/graphql/", HTTP_ACCEPT="text/html")
    assert b"graphiql" not in response.content.lower()
    assert response["Content-Type"].startswith("application/json")


def test_graphiql_where_turned_on(client, settings):
    settings.GRAPHIQL = True
    response = client.get("/graphql/", HTTP_ACCEPT="text/html")
    assert b"graphiql" in response.content.lower()


def test_no_introspection(api, closed):
    for query in ("{ __schema { types { name } } }", '{ __type(name: "Product") { name } }'):
        body = api(query, status=400)
        assert [e["extensions"]["code"] for e in body["errors"]] == ["PERMISSION_DENIED"]
    assert api("{ __typename }") == {"data": {"__typename": "Query"}}


def test_no_suggestions(api, closed):
    body = api("{ prodcts(first: 1) { totalCount } }", status=400)
    message = body["errors"][0]["message"]
    assert "prodcts" in message and "Did you mean" not in message and "products" not in message
    body = api(
        "query($s: ProductOrder) { products(first: 1, sortBy: $s) { totalCount } }",
        {"s": {"field": "PRCE", "direction": "ASC"}},
        status=400,
    )
    assert "Did you mean" not in body["errors"][0]["message"]


def test_suggestions_where_turned_on(api, settings):
    settings.GRAPHQL_SUGGESTIONS = True
    body = api("{ prodcts(first: 1) { totalCount } }", status=400)
    assert "Did you mean" in body["errors"][0]["message"]

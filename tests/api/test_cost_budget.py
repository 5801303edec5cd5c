"""Each client's budget of costly documents (api/core/budget.py): counted at their cost
per client address in the shared throttle store, refused with 429 once spent, while the
cheap documents of pages are never counted."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from marketplace.api.core.budget import LIMIT
from marketplace.api.core.view import documents

pytestmark = pytest.mark.django_db

# 1 + 100 × (edges, node, name): 301.
COSTLY = "{ products(first: 100) { edges { node { name } } } }"
CHEAP = "{ products(first: 10) { edges { node { name } } } }"
# 1 + 30 × 3: 91.
MEDIUM = "{ products(first: 30) { edges { node { name } } } }"


@pytest.fixture(autouse=True)
def _small_budget(settings):
    settings.GRAPHQL_COST_FREE = 100
    settings.GRAPHQL_COST_BUDGET = 1000
    settings.GRAPHQL_COST_BUDGET_SECONDS = 60
    documents.items.clear()
    yield
    documents.items.clear()


def post(client: Client, query: str, address: str, lang: str = "en"):
    return client.post(
        "/graphql/",
        json.dumps({"query": query}),
        content_type="application/json",
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE=lang,
    )


def test_costly_documents_are_refused_once_the_clients_budget_is_spent(client, seeded):
    for _ in range(3):  # 3 × 301 of 1000
        assert post(client, COSTLY, "10.0.0.1").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        refused = post(client, COSTLY, "10.0.0.1")
    assert refused.status_code == 429
    (error,) = refused.json()["errors"]
    assert error["extensions"]["code"] == "THROTTLED"
    assert error["extensions"]["limit"] == LIMIT
    assert error["extensions"]["cost"] == 301
    assert "1000" in error["message"]
    assert "data" not in refused.json()
    # Nothing ran: no catalogue query, at most the throttle's own count.
    assert not [q for q in queries.captured_queries if "catalog_" in q["sql"]]
    persian = post(client, COSTLY, "10.0.0.1", lang="fa").json()["errors"][0]["message"]
    assert "بودجهٔ هزینه" in persian

    assert post(client, COSTLY, "10.0.0.2").status_code == 200, "another client's budget"
    assert post(client, CHEAP, "10.0.0.1").status_code == 200, "cheap documents are free"


def test_a_refused_document_spends_none_of_the_budget(client, seeded, settings):
    settings.GRAPHQL_COST_FREE = 50
    for _ in range(3):  # 903 of 1000
        assert post(client, COSTLY, "10.0.0.4").status_code == 200
    for _ in range(3):  # each would take it past 1000: refused, and not counted
        assert post(client, COSTLY, "10.0.0.4").status_code == 429
    # 903 + 91 fits: what was refused did not use the budget.
    assert post(client, MEDIUM, "10.0.0.4").status_code == 200
    assert post(client, MEDIUM, "10.0.0.4").status_code == 429


def test_cheap_documents_are_never_counted(client, seeded):
    for _ in range(20):  # 20 × 21 would pass the budget if they were counted
        assert post(client, CHEAP, "10.0.0.3").status_code == 200
    assert post(client, COSTLY, "10.0.0.3").status_code == 200

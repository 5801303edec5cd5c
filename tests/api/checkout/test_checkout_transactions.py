"""Which transaction a checkout mutation runs in, with real commits as in production: a
mutation sent alone runs in its service's own transaction (retried after a deadlock);
several mutations in one request share one transaction, all or nothing."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from marketplace.checkout import services
from marketplace.checkout.models import Checkout, CheckoutLine
from marketplace.inventory.models import Reservation
from tests.api.checkout.documents import CREATE, LINES_ADD, line
from tests.builders.catalog import make_variant
from tests.builders.seed import ensure_seeded
from tests.support import gid

pytestmark = pytest.mark.django_db(transaction=True)

CREATE_THEN_EMAIL = """mutation($input: CheckoutCreateInput!, $id: ID!, $email: String!) {
  created: checkoutCreate(input: $input) { checkout { id } errors { code } }
  emailed: checkoutEmailUpdate(id: $id, email: $email) { checkout { id } errors { code } }
}"""


@pytest.fixture
def seeded(transactional_db):
    ensure_seeded()


def post(query: str, variables: dict) -> dict:
    response = Client().post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables}),
        content_type="application/json",
    )
    assert response.status_code == 200
    return response.json()


def create(variant, quantity: int) -> Checkout:
    answer = post(CREATE, {"input": {"email": "a@example.com", "lines": [line(variant, quantity)]}})
    assert answer["data"]["checkoutCreate"]["errors"] == []
    return Checkout.objects.get(email="a@example.com")


def test_a_lone_mutation_commits_in_its_service_transaction_alone(seeded, seller_a):
    variant = make_variant(seller_a, quantity=5)
    with CaptureQueriesContext(connection) as ctx:
        checkout = create(variant, 2)
    statements = [q["sql"] for q in ctx.captured_queries]
    # No request-wide transaction around the service's, so no savepoint inside it.
    assert not [s for s in statements if s.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    assert CheckoutLine.objects.get(checkout=checkout).quantity == 2
    assert Reservation.objects.get(checkout_line__checkout=checkout).quantity == 2


def test_a_lone_mutation_failing_midway_leaves_nothing_behind(seeded, seller_a, monkeypatch):
    first, second = make_variant(seller_a, quantity=5), make_variant(seller_a, quantity=5)
    checkout = create(first, 1)

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    # The new line is inserted before its hold is written: the failure comes after a write.
    monkeypatch.setattr(services, "_write_reservations", broken)
    answer = post(LINES_ADD, {"id": gid("Checkout", checkout.pk), "lines": [line(second, 1)]})
    assert answer["data"] is None or answer["data"]["checkoutLinesAdd"] is None
    assert answer["errors"]
    assert list(
        CheckoutLine.objects.filter(checkout=checkout).values_list("variant", "quantity")
    ) == [(first.pk, 1)]
    assert Reservation.objects.filter(checkout_line__checkout=checkout).count() == 1


def test_several_mutations_in_one_request_are_all_or_nothing(seeded, seller_a, monkeypatch):
    variant = make_variant(seller_a, quantity=5)
    existing = create(variant, 1)

    def broken(**kwargs):
        raise RuntimeError("the mail server is down")

    monkeypatch.setattr(services, "set_email", broken)
    variables = {
        "input": {"email": "b@example.com", "lines": [line(variant, 3)]},
        "id": gid("Checkout", existing.pk),
        "email": "new@example.com",
    }
    with CaptureQueriesContext(connection) as ctx:
        answer = post(CREATE_THEN_EMAIL, variables)
    assert answer["errors"]
    # The first mutation had succeeded; the request's transaction took it back.
    assert list(Checkout.objects.values_list("email", flat=True)) == ["a@example.com"]
    assert Reservation.objects.count() == 1
    assert any(q["sql"].startswith("SAVEPOINT") for q in ctx.captured_queries)

"""Reservations under concurrency, through the API on real PostgreSQL: each buyer is a
thread with its own connection, and every request commits, as in production."""

from __future__ import annotations

import json
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from marketplace.inventory.models import Reservation, Stock
from tests.api.checkout.documents import CREATE, line
from tests.builders.catalog import make_variant
from tests.builders.seed import ensure_seeded

pytestmark = pytest.mark.django_db(transaction=True)

BUYERS = 30
UNITS = 10


def race(count: int, lines_of) -> list[tuple[str, object]]:
    """`count` anonymous buyers send checkoutCreate at the same moment; each answer is
    ("ok", None), ("refused", [codes]) or ("crash", detail)."""
    barrier = threading.Barrier(count)

    def run(i: int) -> tuple[str, object]:
        client = Client()
        body = json.dumps(
            {
                "query": CREATE,
                "variables": {"input": {"email": f"b{i}@example.com", "lines": lines_of(i)}},
            }
        )
        try:
            barrier.wait(timeout=60)
            response = client.post("/graphql/", body, content_type="application/json")
            if response.status_code != 200 or "errors" in response.json():
                return "crash", response.content[:300]
            payload = response.json()["data"]["checkoutCreate"]
            if payload["errors"]:
                return "refused", [e["code"] for e in payload["errors"]]
            return "ok", None
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


@pytest.fixture
def seeded(transactional_db):
    ensure_seeded()


def test_buyers_racing_for_ten_units_reserve_exactly_ten(seeded, seller_a):
    hot = make_variant(seller_a, quantity=UNITS)
    answers = race(BUYERS, lambda i: [line(hot, 1)])
    outcomes = Counter(kind for kind, _v in answers)
    assert outcomes == {"ok": UNITS, "refused": BUYERS - UNITS}, answers
    assert all(v == ["INSUFFICIENT_STOCK"] for kind, v in answers if kind == "refused")
    assert sum(Reservation.objects.values_list("quantity", flat=True)) == UNITS
    assert Stock.objects.get(variant=hot).quantity_allocated == 0


def test_carts_locking_products_in_opposite_orders_never_deadlock(seeded, seller_a, seller_b):
    first = make_variant(seller_a, quantity=1_000)
    second = make_variant(seller_b, quantity=1_000)

    def lines_of(i: int) -> list[dict]:
        pair = [line(first, 1), line(second, 1)]
        return pair if i % 2 else pair[::-1]

    answers = race(20, lines_of)
    assert Counter(kind for kind, _v in answers) == {"ok": 20}, answers
    assert sum(Reservation.objects.values_list("quantity", flat=True)) == 40

"""Never oversell: buyers racing on real PostgreSQL, each thread on its own connection.

These tests commit (transactional_db): every thread sees what the others committed, as
concurrent requests do in production.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from django.db import connection, transaction
from django.test import Client

from marketplace.accounts.tokens import create_access_token
from marketplace.core.errors import DomainError
from marketplace.discounts.models import VoucherUsage
from marketplace.inventory.models import Allocation, Reservation, Stock
from marketplace.orders import services
from marketplace.orders.models import Order, OrderLine
from tests.builders.catalog import make_variant
from tests.builders.checkout import make_checkout
from tests.builders.discounts import make_voucher
from tests.builders.seed import ensure_seeded
from tests.support import gid

pytestmark = pytest.mark.django_db(transaction=True)

BUYERS = 50
UNITS = 10


def race(count: int, work: Callable[[int], object]) -> list[tuple[str, object]]:
    """Run `work(i)` in `count` threads released together; each answer is ("ok", value),
    ("domain", [codes]) or ("crash", repr) — a crash is any other exception."""
    barrier = threading.Barrier(count)

    def run(i: int) -> tuple[str, object]:
        try:
            barrier.wait(timeout=60)
            return "ok", work(i)
        except DomainError as exc:
            return "domain", [e.code for e in exc.errors]
        except Exception as exc:  # a crash is what the test looks for
            return "crash", repr(exc)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def assert_stock_exact(variant, sold: int) -> None:
    row = Stock.objects.get(variant=variant)
    assert row.quantity_allocated == sold
    assert 0 <= row.quantity_allocated <= row.quantity
    assert sum(Allocation.objects.filter(stock=row).values_list("quantity", flat=True)) == sold
    assert sum(OrderLine.objects.filter(variant=variant).values_list("quantity", flat=True)) == sold


@pytest.fixture(autouse=True)
def _guests_unbounded(settings):
    # Every buyer here is a guest with the same phone, paying on delivery: the bound on
    # such orders (orders.guests) is not what these races test.
    settings.GUEST_UNPAID_ORDERS_PER_PHONE = 1000


@pytest.fixture
def hot(seller_a):
    ensure_seeded()
    return make_variant(seller_a, quantity=UNITS)


def test_fifty_buyers_against_ten_units(hot):
    """Each buyer fills a checkout (reserving) and completes it with cash on delivery."""

    def buy(i: int) -> int:
        with transaction.atomic():
            checkout = make_checkout([(hot, 1)], email=f"buyer{i}@example.com")
        order, _payment = services.complete_checkout(actor=None, checkout=checkout, gateway="cod")
        return order.pk

    answers = race(BUYERS, buy)
    outcomes = Counter(kind for kind, _v in answers)
    assert outcomes == {"ok": UNITS, "domain": BUYERS - UNITS}, answers
    assert all(v == ["INSUFFICIENT_STOCK"] for kind, v in answers if kind == "domain")
    assert Order.objects.count() == UNITS
    assert_stock_exact(hot, UNITS)


def test_fifty_completions_racing_for_ten_units(hot):
    """The checkouts exist already and their holds have lapsed: allocation itself must
    hand out exactly the ten units."""
    checkouts = [make_checkout([(hot, 1)], email=f"late{i}@example.com") for i in range(10)]
    checkouts += [
        make_checkout([(hot, 1)], email=f"late{i}@example.com", reserve=False)
        for i in range(10, BUYERS)
    ]
    Reservation.objects.update(reserved_until=datetime(2000, 1, 1, tzinfo=UTC))

    def complete(i: int) -> int:
        order, _p = services.complete_checkout(actor=None, checkout=checkouts[i], gateway="cod")
        return order.pk

    answers = race(BUYERS, complete)
    outcomes = Counter(kind for kind, _v in answers)
    assert outcomes == {"ok": UNITS, "domain": BUYERS - UNITS}, answers
    assert all(v == ["INSUFFICIENT_STOCK"] for kind, v in answers if kind == "domain")
    assert_stock_exact(hot, UNITS)


def test_guests_racing_with_one_phone_stay_within_its_bound(hot, settings):
    """Guests completing at once with one phone, paying on delivery: the bound holds."""
    settings.GUEST_UNPAID_ORDERS_PER_PHONE = 3
    checkouts = [make_checkout([(hot, 1)], email=f"g{i}@example.com") for i in range(8)]

    def complete(i: int) -> int:
        order, _p = services.complete_checkout(actor=None, checkout=checkouts[i], gateway="cod")
        return order.pk

    answers = race(len(checkouts), complete)
    outcomes = Counter(kind for kind, _v in answers)
    assert outcomes == {"ok": 3, "domain": 5}, answers
    assert all(v == ["THROTTLED"] for kind, v in answers if kind == "domain")
    assert Order.objects.count() == 3


def test_crossed_carts_never_deadlock(seller_a, seller_b):
    """Half the buyers have A then B in their cart, half B then A: stock rows are locked
    in one global order, so nobody waits for a lock held by someone waiting for theirs."""
    ensure_seeded()
    first, second = make_variant(seller_a, quantity=100), make_variant(seller_b, quantity=100)
    checkouts = [
        make_checkout(
            [(first, 1), (second, 1)] if i % 2 else [(second, 1), (first, 1)],
            email=f"cross{i}@example.com",
            reserve=False,
        )
        for i in range(20)
    ]

    answers = race(
        20,
        lambda i: (
            services.complete_checkout(actor=None, checkout=checkouts[i], gateway="cod")[0].pk
        ),
    )
    assert Counter(kind for kind, _v in answers) == {"ok": 20}, answers
    assert_stock_exact(first, 20)
    assert_stock_exact(second, 20)


def test_cart_writes_and_completions_crossing_never_deadlock(seller_a, seller_b):
    """Buyers adding B then A to their carts race buyers completing A then B, each
    variant kept in two warehouses: every write locks stock rows in id order, so nobody
    waits in a circle, and every unit is counted once."""
    from marketplace.checkout import services as checkout_services
    from marketplace.inventory.models import Warehouse

    ensure_seeded()
    first, second = make_variant(seller_a, quantity=50), make_variant(seller_b, quantity=50)
    for variant in (second, first):
        warehouse = Warehouse.objects.create(
            name="انبار دوم", cooperative_id=variant.product.seller.cooperative_id
        )
        Stock.objects.create(warehouse=warehouse, variant=variant, quantity=50)
    completing = [
        make_checkout([(first, 3), (second, 3)], email=f"done{i}@example.com", reserve=False)
        for i in range(10)
    ]
    filling = [make_checkout([], email=f"fill{i}@example.com") for i in range(10)]

    def work(i: int) -> object:
        if i % 2:
            order, _p = services.complete_checkout(
                actor=None, checkout=completing[i // 2], gateway="cod"
            )
            return order.pk
        return checkout_services.add_lines(
            actor=None, checkout=filling[i // 2], lines=[(second.pk, 4), (first.pk, 4)]
        ).total

    answers = race(20, work)
    assert Counter(kind for kind, _v in answers) == {"ok": 20}, answers
    for variant in (first, second):
        rows = Stock.objects.filter(variant=variant)
        assert sum(r.quantity_allocated for r in rows) == 30
        assert all(0 <= r.quantity_allocated <= r.quantity for r in rows)
        held = Reservation.objects.filter(stock__variant=variant)
        assert sum(held.values_list("quantity", flat=True)) == 40


def test_one_checkout_completed_from_ten_connections_gives_one_order(hot, buyer):
    checkout = make_checkout([(hot, 2)], user=buyer)

    answers = race(
        10,
        lambda i: services.complete_checkout(actor=buyer, checkout=checkout, gateway="cod")[0].pk,
    )
    assert {kind for kind, _v in answers} == {"ok"}, answers
    assert len({v for _k, v in answers}) == 1
    assert Order.objects.count() == 1
    assert_stock_exact(hot, 2)


def test_a_voucher_for_three_uses_raced_by_ten_buyers(seller_a):
    ensure_seeded()
    variant = make_variant(seller_a, quantity=100)
    voucher = make_voucher(usage_limit=3)
    checkouts = [
        make_checkout([(variant, 1)], email=f"promo{i}@example.com", voucher=voucher)
        for i in range(10)
    ]

    answers = race(
        10,
        lambda i: (
            services.complete_checkout(actor=None, checkout=checkouts[i], gateway="cod")[0].pk
        ),
    )
    outcomes = Counter(kind for kind, _v in answers)
    assert outcomes == {"ok": 3, "domain": 7}, answers
    assert all(v == ["VOUCHER_INVALID"] for kind, v in answers if kind == "domain")
    voucher.refresh_from_db()
    assert voucher.used == 3
    assert VoucherUsage.objects.filter(voucher=voucher).count() == 3
    assert_stock_exact(variant, 3)


def test_ten_connections_racing_checkout_complete_through_the_api(hot, buyer):
    """Ten requests for the same checkout at once: one order, and every answer names it."""
    checkout = make_checkout([(hot, 1)], user=buyer)
    token = create_access_token(buyer)
    body = json.dumps(
        {
            "query": """mutation($id: ID!) { checkoutComplete(id: $id, paymentGateway: "cod") {
                order { id number status } errors { code } } }""",
            "variables": {"id": gid("Checkout", str(checkout.pk))},
        }
    )

    def post(i: int) -> dict:
        response = Client().post(
            "/graphql/",
            data=body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert response.status_code == 200
        return response.json()["data"]["checkoutComplete"]

    answers = race(10, post)
    assert {kind for kind, _v in answers} == {"ok"}, answers
    assert all(v["errors"] == [] for _k, v in answers)
    assert len({v["order"]["id"] for _k, v in answers}) == 1
    assert {v["order"]["status"] for _k, v in answers} == {"CONFIRMED"}
    assert Order.objects.count() == 1
    assert_stock_exact(hot, 1)

"""Seller.balance, Cooperative.balance and payouts over GraphQL: who may read them, what
they say, and a page of sellers at a constant number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.ledger import payouts, services
from marketplace.ledger.models import Payout
from marketplace.sellers.models import Cooperative
from tests.builders.sellers import make_seller
from tests.ledger.conftest import place
from tests.ledger.test_ledger_postings import collect_cash
from tests.support import gid

SELLER_MONEY = """
query ($id: ID!) {
  seller(id: $id) {
    balance(channel: "ir") { pending { amount currency } available { amount } paidOut { amount } }
    payouts(first: 10) { totalCount edges { node { id amount { amount } status method reference } } }
  }
}
"""
COOPERATIVE_MONEY = """
query ($id: ID!) {
  cooperative(id: $id) { balance { available { amount currency } pending { amount } } }
}
"""
PAGE = """
{ sellers(first: 50) { edges { node { name balance(channel: "ir") { available { amount } } } } } }
"""
COOPERATIVE_PAGE = """
{ cooperatives(first: 50) { edges { node { name balance { available { amount } } } } } }
"""


@pytest.fixture
def earned(variants, three_sellers):
    order = place([(variants[0], 2), (variants[1], 1)])
    collect_cash(order)
    services.post_order_completed(order=order)
    return order


def test_owner_staff_and_operator_read_the_balance_others_get_null(
    api, earned, three_sellers, staff_a, staff_b, operator, buyer
):
    seller_a, seller_b, _independent = three_sellers
    variables = {"id": gid("Seller", seller_a.pk)}
    expected = 5_000_002 - 250_000 - 500_000
    for reader in (seller_a.owner, staff_a, operator):
        data = api(SELLER_MONEY, variables, user=reader)["data"]["seller"]
        assert data["balance"] == {
            "pending": {"amount": 0, "currency": "IRR"},
            "available": {"amount": expected},
            "paidOut": {"amount": 0},
        }
        assert data["payouts"] == {"totalCount": 0, "edges": []}
    for stranger in (seller_b.owner, staff_b, buyer, None):
        data = api(SELLER_MONEY, variables, user=stranger)
        assert "errors" not in data
        assert data["data"]["seller"]["balance"] is None
        assert data["data"]["seller"]["payouts"] is None


def test_cooperative_balance_for_its_staff_only(api, earned, coop_a, staff_a, staff_b):
    variables = {"id": gid("Cooperative", coop_a.pk)}
    mine = api(COOPERATIVE_MONEY, variables, user=staff_a)["data"]["cooperative"]
    # Cash on delivery: its fee and shipping are kept from the cash it collected.
    assert mine["balance"] == {
        "available": {"amount": 0, "currency": "IRR"},
        "pending": {"amount": 0},
    }
    other = api(COOPERATIVE_MONEY, variables, user=staff_b)["data"]["cooperative"]
    assert other["balance"] is None


def test_payouts_connection_and_node(api, earned, three_sellers, operator):
    seller_a, seller_b, _independent = three_sellers
    seller_a.payout_iban = "IR050170000000123456789012"
    seller_a.save(update_fields=["payout_iban"])
    batch = payouts.run_payouts(currency="IRR", now=timezone.now() + timedelta(days=8))
    payout = batch.payouts.get()
    data = api(SELLER_MONEY, {"id": gid("Seller", seller_a.pk)}, user=seller_a.owner)
    node = data["data"]["seller"]["payouts"]["edges"][0]["node"]
    assert node == {
        "id": gid("Payout", payout.pk),
        "amount": {"amount": float(payout.amount)},
        "status": "PENDING",
        "method": "BANK_TRANSFER",
        "reference": payout.reference,
    }
    assert data["data"]["seller"]["balance"]["available"] == {"amount": 0}
    query = "query ($id: ID!) { node(id: $id) { ... on Payout { amount { amount } } } }"
    assert api(query, {"id": node["id"]}, user=seller_b.owner)["data"]["node"] is None
    assert api(query, {"id": node["id"]}, user=operator)["data"]["node"] is not None
    assert Payout.objects.count() == 1


def test_a_page_of_sellers_costs_a_constant_number_of_queries(
    api, earned, operator, staff_a, coop_a
):
    def count(page: str, user) -> int:
        with CaptureQueriesContext(connection) as queries:
            data = api(page, user=user)
        assert "errors" not in data
        return len(queries)

    readers = (operator, staff_a)
    few = {user: count(PAGE, user) for user in readers}
    coops = {user: count(COOPERATIVE_PAGE, user) for user in readers}
    for n in range(6):
        make_seller(f"more{n}@example.com", f"تولیدکننده {n}", coop_a)
        Cooperative.objects.create(name=f"تعاونی {n}", slug=f"coop-{n}")
    for user in readers:
        assert count(PAGE, user) == few[user]
        assert count(COOPERATIVE_PAGE, user) == coops[user]


PENDING = """
query ($id: ID!) { seller(id: $id) { pendingOrders { orderNumber amount { amount } } } }
"""
FEES = """
query ($id: ID!, $start: Date!, $end: Date!) {
  cooperative(id: $id) { feesEarned(start: $start, end: $end) { amount } balance { cashHeld { amount } } }
}
"""


def test_pending_orders_fees_earned_and_cash_held(
    api, earned, variants, three_sellers, coop_a, staff_a, staff_b
):
    seller_a, seller_b, _independent = three_sellers
    waiting = place([(variants[0], 1)])
    collect_cash(waiting)
    variables = {"id": gid("Seller", seller_a.pk)}
    mine = api(PENDING, variables, user=seller_a.owner)["data"]["seller"]["pendingOrders"]
    assert mine == [{"orderNumber": str(waiting.number), "amount": {"amount": 2_125_001}}]
    assert api(PENDING, variables, user=seller_b.owner)["data"]["seller"]["pendingOrders"] is None

    today = timezone.localdate()
    period = {"start": today.replace(day=1).isoformat(), "end": today.isoformat()}
    coop = {"id": gid("Cooperative", coop_a.pk), **period}
    found = api(FEES, coop, user=staff_a)["data"]["cooperative"]
    assert found["feesEarned"] == {"amount": 250_000}
    assert found["balance"]["cashHeld"]["amount"] > 0
    assert api(FEES, coop, user=staff_b)["data"]["cooperative"] == {
        "feesEarned": None,
        "balance": None,
    }
    backwards = api(FEES, {**coop, "start": period["end"], "end": "2000-01-01"}, user=staff_a)
    assert backwards["errors"][0]["extensions"]["code"] == "INVALID"

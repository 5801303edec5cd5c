"""The orders API: checkoutComplete, order, orders, shipments, User.orders, orderCancel,
with object-level scoping and pinned query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.orders.models import Order, ShipmentStatus
from marketplace.sellers.models import Cooperative
from tests.builders.accounts import make_user
from tests.builders.catalog import make_variant
from tests.builders.checkout import make_checkout
from tests.builders.inventory import stock_of
from tests.builders.sellers import make_seller
from tests.support import gid

COMPLETE = """
mutation Complete($id: ID!, $gateway: String!, $redirect: String) {
  checkoutComplete(id: $id, paymentGateway: $gateway, redirectUrl: $redirect) {
    order { id number status paymentStatus total { gross { amount currency } } }
    payment { id gateway status total { amount currency } action { kind url } }
    errors { field code message }
  }
}
"""

ORDER = """
query Order($id: ID!) {
  order(id: $id) {
    id number status paymentStatus email canCancel voucherCode
    channel { slug currencyCode }
    shippingAddress { city postalCode countryArea }
    subtotal { gross { amount } } shippingPrice { gross { amount } }
    discount { amount } total { gross { amount currency } net { amount } tax { amount } }
    lines { id productName variantName sku quantity unitPrice { gross { amount } }
            totalPrice { gross { amount } } seller { name } }
    shipments {
      id status shippingPrice { amount currency } carrier trackingNumber
      fulfiller { __typename ... on Cooperative { name } ... on Seller { name } }
      deliveryMethod { name kind price { amount currency } }
      lines { sku quantity }
      order { number }
    }
    payments { gateway status total { amount } action { kind } }
    events { type message }
  }
}
"""


def complete(api, checkout, user=None, gateway="cod", **extra):
    variables = {"id": gid("Checkout", checkout.pk), "gateway": gateway, **extra}
    return api(COMPLETE, variables, user=user)["data"]["checkoutComplete"]


@pytest.fixture
def order_of_three_groups(ir, api, buyer, seller_a, seller_b, independent):
    variants = [
        make_variant(seller_a, quantity=5),
        make_variant(seller_b, quantity=5),
        make_variant(independent, quantity=5),
    ]
    checkout = make_checkout([(v, 1) for v in variants], user=buyer)
    answer = complete(api, checkout, user=buyer)
    assert answer["errors"] == []
    return Order.objects.get(number=int(answer["order"]["number"]))


def test_checkout_complete_with_cash_on_delivery(ir, api, buyer, seller_a):
    variant = make_variant(seller_a, quantity=5, price=2_000_000)
    checkout = make_checkout([(variant, 2)], user=buyer)
    answer = complete(api, checkout, user=buyer)
    assert answer["errors"] == []
    order, payment = answer["order"], answer["payment"]
    assert order["status"] == "CONFIRMED" and order["paymentStatus"] == "NOT_CHARGED"
    assert order["total"]["gross"] == {"amount": 4_750_000.0, "currency": "IRR"}
    assert payment == {
        "id": payment["id"],
        "gateway": "cod",
        "status": "NOT_CHARGED",
        "total": {"amount": 4_750_000.0, "currency": "IRR"},
        "action": None,
    }
    assert stock_of(variant).quantity_allocated == 2

    again = complete(api, checkout, user=buyer)
    assert again["errors"] == []
    assert (again["order"]["id"], again["payment"]["id"]) == (order["id"], payment["id"])
    assert Order.objects.count() == 1


def test_checkout_complete_refusals(ir, api, buyer, seller_a):
    variant = make_variant(seller_a)
    checkout = make_checkout([(variant, 1)], user=buyer)
    stranger = make_user("stranger@example.com")
    cases = [
        ({"id": "not-an-id", "gateway": "cod"}, buyer, [("id", "INVALID")]),
        ({"id": gid("Order", 1), "gateway": "cod"}, buyer, [("id", "INVALID")]),
        (
            {"id": gid("Checkout", "7d3b6a8e-2f0c-4c1b-9c57-0a4b3d1e2f00"), "gateway": "cod"},
            buyer,
            [("id", "NOT_FOUND")],
        ),
        ({"id": gid("Checkout", checkout.pk), "gateway": "cod"}, stranger, [("id", "NOT_FOUND")]),
        ({"id": gid("Checkout", checkout.pk), "gateway": "cod"}, None, [("id", "NOT_FOUND")]),
        (
            {"id": gid("Checkout", checkout.pk), "gateway": "paypal"},
            buyer,
            [("paymentGateway", "INVALID")],
        ),
    ]
    for variables, user, expected in cases:
        answer = api(COMPLETE, variables, user=user)["data"]["checkoutComplete"]
        assert [(e["field"], e["code"]) for e in answer["errors"]] == expected, variables
        assert answer["order"] is None
    assert Order.objects.count() == 0


def test_messages_follow_the_request_language(ir, api, buyer, seller_a):
    variant = make_variant(seller_a)
    checkout = make_checkout([(variant, 1)], user=buyer, address=False, deliver=False)
    variables = {"id": gid("Checkout", checkout.pk), "gateway": "cod"}
    answer = api(COMPLETE, variables, user=buyer, lang="en")["data"]["checkoutComplete"]
    assert answer["errors"][0]["code"] == "DELIVERY_METHOD_REQUIRED"
    assert answer["errors"][0]["message"] == "Enter a shipping address first."


def test_buyer_and_platform_staff_see_the_whole_order(order_of_three_groups, api, buyer, operator):
    order = order_of_three_groups
    for user in (buyer, operator):
        data = api(ORDER, {"id": gid("Order", order.pk)}, user=user)["data"]["order"]
        assert data["number"] == str(order.number)
        assert len(data["lines"]) == 3 and len(data["shipments"]) == 3
        assert [p["gateway"] for p in data["payments"]] == ["cod"]
        assert data["events"][0]["type"] == "PLACED"
        assert data["channel"] == {"slug": "ir", "currencyCode": "IRR"}
        assert data["shippingAddress"]["postalCode"] == "9177948974"
    data = api(ORDER, {"id": gid("Order", order.pk)}, user=buyer)["data"]["order"]
    assert data["canCancel"] is True
    assert {s["fulfiller"]["__typename"] for s in data["shipments"]} == {"Cooperative", "Seller"}
    shipment = data["shipments"][0]
    assert shipment["deliveryMethod"]["price"] == shipment["shippingPrice"]
    assert shipment["order"] == {"number": str(order.number)}
    assert data["total"]["tax"] == {"amount": 0.0}


def test_a_fulfiller_sees_only_its_part(order_of_three_groups, api, staff_a, coop_a, independent):
    order = order_of_three_groups
    for user, name in ((staff_a, coop_a.name), (independent.owner, independent.name)):
        data = api(ORDER, {"id": gid("Order", order.pk)}, user=user)["data"]["order"]
        assert [s["fulfiller"]["name"] for s in data["shipments"]] == [name]
        assert len(data["lines"]) == 1
        assert data["lines"][0]["sku"] == data["shipments"][0]["lines"][0]["sku"]
        assert data["payments"] == [] and data["events"] == []
        assert data["canCancel"] is False


def test_strangers_see_nothing(order_of_three_groups, api, seller_a):
    order = order_of_three_groups
    # seller_a's parcels are its cooperative's to ship: the seller is not a fulfiller.
    for user in (None, make_user("stranger@example.com"), seller_a.owner):
        answer = api(ORDER, {"id": gid("Order", order.pk)}, user=user)
        assert answer["data"]["order"] is None
    answer = api(ORDER, {"id": "garbage"}, user=None)
    assert answer["errors"][0]["extensions"]["code"] == "INVALID"


SHIPMENTS = """
query Shipments($filter: ShipmentFilterInput) {
  shipments(filter: $filter, first: 10) {
    totalCount
    edges { node { status order { number lines { sku } payments { gateway } } lines { sku } } }
  }
}
"""


def test_shipments_are_the_callers_own(order_of_three_groups, api, staff_a, staff_b, buyer):
    order = order_of_three_groups
    data = api(SHIPMENTS, user=staff_a)["data"]["shipments"]
    assert data["totalCount"] == 1
    node = data["edges"][0]["node"]
    assert node["status"] == "UNFULFILLED"
    # Reached through the shipment, the order is still only the cooperative's part.
    assert node["order"]["number"] == str(order.number)
    assert node["order"]["lines"] == node["lines"] and node["order"]["payments"] == []
    assert api(SHIPMENTS, user=staff_b)["data"]["shipments"]["totalCount"] == 1
    assert api(SHIPMENTS, user=buyer)["data"]["shipments"]["totalCount"] == 0
    assert api(SHIPMENTS, user=None)["data"]["shipments"]["totalCount"] == 0
    packed = {"filter": {"status": ["PACKED"]}}
    assert api(SHIPMENTS, packed, user=staff_a)["data"]["shipments"]["totalCount"] == 0
    order.shipments.update(status=ShipmentStatus.PACKED)
    assert api(SHIPMENTS, packed, user=staff_a)["data"]["shipments"]["totalCount"] == 1
    bad = api(SHIPMENTS, {"filter": {"status": ["LOST"]}}, user=staff_a)
    assert bad["errors"][0]["extensions"]["code"] == "INVALID"


MY_ORDERS = """
{ me { orders(first: 5) { totalCount pageInfo { hasNextPage }
       edges { node { number status lines { sku } } } } }
  orders(first: 1) { pageInfo { hasNextPage } edges { node { number } } } }
"""


def test_my_orders(ir, api, buyer, seller_a):
    variant = make_variant(seller_a, quantity=10)
    numbers = []
    for _ in range(3):
        answer = complete(api, make_checkout([(variant, 1)], user=buyer), user=buyer)
        numbers.append(answer["order"]["number"])
    data = api(MY_ORDERS, user=buyer)["data"]
    mine = data["me"]["orders"]
    assert mine["totalCount"] == 3 and mine["pageInfo"]["hasNextPage"] is False
    assert [e["node"]["number"] for e in mine["edges"]] == numbers[::-1]
    assert data["orders"]["pageInfo"]["hasNextPage"] is True
    assert data["orders"]["edges"][0]["node"]["number"] == numbers[-1]
    other = api(MY_ORDERS, user=make_user("other@example.com"))["data"]
    assert other["me"]["orders"]["totalCount"] == 0 and other["orders"]["edges"] == []


CANCEL = """
mutation Cancel($id: ID!) {
  orderCancel(id: $id) {
    order { status canCancel shipments { status } }
    errors { field code }
  }
}
"""


def test_order_cancel(order_of_three_groups, api, buyer, staff_a):
    order = order_of_three_groups
    variables = {"id": gid("Order", order.pk)}
    denied = api(CANCEL, variables, user=staff_a)["data"]["orderCancel"]
    assert denied["errors"] == [{"field": "id", "code": "PERMISSION_DENIED"}]
    hidden = api(CANCEL, variables, user=make_user("stranger@example.com"))["data"]["orderCancel"]
    assert hidden["errors"] == [{"field": "id", "code": "NOT_FOUND"}]
    done = api(CANCEL, variables, user=buyer)["data"]["orderCancel"]
    assert done["errors"] == []
    assert done["order"]["status"] == "CANCELED" and done["order"]["canCancel"] is False
    assert {s["status"] for s in done["order"]["shipments"]} == {"CANCELED"}
    again = api(CANCEL, variables, user=buyer)["data"]["orderCancel"]
    assert again["errors"] == [{"field": "id", "code": "INVALID_STATUS"}]


# ---------------------------------------------------------------- query counts


def _order_with(buyer, groups: int, lines_per_group: int) -> Order:
    from marketplace.orders import services

    variants = []
    for g in range(groups):
        cooperative = Cooperative.objects.create(name=f"تعاونی {g}", slug=f"coop-{g}-{groups}")
        seller = make_seller(f"s{g}-{groups}@example.com", f"فروشنده {g}", cooperative)
        variants += [make_variant(seller) for _ in range(lines_per_group)]
    checkout = make_checkout([(v, 1) for v in variants], user=buyer)
    order, _payment = services.complete_checkout(actor=buyer, checkout=checkout, gateway="cod")
    return order


def count_queries(api, query: str, variables: dict, user) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        answer = api(query, variables, user=user)
    assert "errors" not in answer, answer
    return len(captured), answer


def test_order_query_count_does_not_grow_with_lines_or_shipments(ir, api, buyer, operator):
    small = _order_with(buyer, groups=2, lines_per_group=2)  # 2 shipments, 4 lines
    large = _order_with(buyer, groups=5, lines_per_group=4)  # 5 shipments, 20 lines
    counts = {}
    for name, order in (("small", small), ("large", large)):
        counts[name], answer = count_queries(api, ORDER, {"id": gid("Order", order.pk)}, buyer)
        assert len(answer["data"]["order"]["lines"]) == {"small": 4, "large": 20}[name]
    # The user, the order (with channel and address), shipments, lines, sellers,
    # cooperatives, delivery methods, the shipments' lines, payments and events.
    assert counts["small"] == counts["large"] == 10, counts
    staff_count, _answer = count_queries(api, ORDER, {"id": gid("Order", large.pk)}, operator)
    assert staff_count == 10


CASH_DUE = """query($id: ID!) { order(id: $id) {
  total { gross { amount } } shipments { status cashToCollect { amount } } } }"""


def test_each_cash_parcel_says_what_its_courier_collects_at_a_fixed_cost(ir, api, buyer):
    small = _order_with(buyer, groups=2, lines_per_group=2)
    large = _order_with(buyer, groups=5, lines_per_group=4)
    counts = {}
    for name, order in (("small", small), ("large", large)):
        counts[name], answer = count_queries(api, CASH_DUE, {"id": gid("Order", order.pk)}, buyer)
        order_answer = answer["data"]["order"]
        dues = [Decimal(s["cashToCollect"]["amount"]) for s in order_answer["shipments"]]
        assert len(dues) == {"small": 2, "large": 5}[name]
        assert all(due > 0 for due in dues)
        assert sum(dues) == Decimal(order_answer["total"]["gross"]["amount"])
    # The user, the order, its shipments, their parcels, and the cash due (shipments
    # with their order, payments, the ledger's split of the order) whatever the number
    # of parcels.
    assert counts["small"] == counts["large"], counts


def test_a_page_of_orders_costs_what_one_order_costs(ir, api, buyer):
    for groups in (1, 3, 2):
        _order_with(buyer, groups=groups, lines_per_group=2)
    query = """{ orders(first: 10) { edges { node { number lines { sku seller { name } }
      shipments { status fulfiller { ... on Cooperative { name } } lines { sku }
      deliveryMethod { name price { amount } } } payments { status } } } } }"""
    count, answer = count_queries(api, query, {}, buyer)
    assert len(answer["data"]["orders"]["edges"]) == 3
    assert count == 9


def test_checkout_complete_query_count_is_pinned(ir, api, buyer, seller_a, seller_b):
    one = make_checkout([(make_variant(seller_a), 1)], user=buyer)
    count_one, answer = count_queries(
        api, COMPLETE, {"id": gid("Checkout", one.pk), "gateway": "cod"}, buyer
    )
    assert answer["data"]["checkoutComplete"]["errors"] == []
    four = make_checkout(
        [(make_variant(s), 1) for s in (seller_a, seller_a, seller_b, seller_b)], user=buyer
    )
    count_four, answer = count_queries(
        api, COMPLETE, {"id": gid("Checkout", four.pk), "gateway": "cod"}, buyer
    )
    assert answer["data"]["checkoutComplete"]["errors"] == []
    # A fixed number of queries whatever the number of lines: the allocation locks all
    # the stock rows at once, reads what is usable and moves the units in one statement;
    # one outbox row announces the order (its messages are recorded by that job).
    assert (count_one, count_four) == (18, 18), (count_one, count_four)


def test_order_cancel_query_count_is_pinned(ir, api, buyer):
    small = _order_with(buyer, groups=1, lines_per_group=1)
    large = _order_with(buyer, groups=3, lines_per_group=2)
    counts = []
    for order in (small, large):
        count, answer = count_queries(api, CANCEL, {"id": gid("Order", order.pk)}, buyer)
        assert answer["data"]["orderCancel"]["errors"] == []
        counts.append(count)
    # Giving units back is one UPDATE per stock row (inventory.stock.deallocate); the rest
    # is fixed whatever the size of the order.
    assert (counts[0], counts[1] - counts[0]) == (20, 5), counts

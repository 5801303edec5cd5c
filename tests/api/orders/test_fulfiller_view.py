"""A fulfiller's staff read their part of an order only: its amounts are those of their
lines and parcels, and the buyer's email and the order's voucher are not shown."""

from __future__ import annotations

from decimal import Decimal

import pytest

from marketplace.orders.models import Order
from tests.api.orders.test_orders_api import ORDER, order_of_three_groups  # noqa: F401
from tests.support import gid

pytestmark = pytest.mark.django_db


def _amount(data: dict, field: str) -> Decimal:
    value = data[field]
    return Decimal(str(value["gross"]["amount"] if "gross" in value else value["amount"]))


def test_a_fulfillers_staff_see_only_their_amounts(order_of_three_groups, api, buyer, staff_a):  # noqa: F811
    order = order_of_three_groups
    discount = Decimal(50_000)
    Order.objects.filter(pk=order.pk).update(
        voucher_code="SAFFRON", discount=discount, total=order.total - discount
    )
    whole = api(ORDER, {"id": gid(order)}, user=buyer)["data"]["order"]
    assert whole["voucherCode"] == "SAFFRON" and whole["email"] == buyer.email
    assert _amount(whole, "discount") == discount

    part = api(ORDER, {"id": gid(order)}, user=staff_a)["data"]["order"]
    assert part["email"] is None and part["voucherCode"] is None
    (line,) = part["lines"]
    (shipment,) = part["shipments"]
    subtotal = Decimal(str(line["totalPrice"]["gross"]["amount"]))
    shipping = Decimal(str(shipment["shippingPrice"]["amount"]))
    assert _amount(part, "subtotal") == subtotal < _amount(whole, "subtotal")
    assert _amount(part, "shippingPrice") == shipping < _amount(whole, "shippingPrice")
    assert _amount(part, "discount") == 0
    assert _amount(part, "total") == subtotal + shipping

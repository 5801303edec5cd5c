"""Allocating a whole order at once (inventory.stock.allocate): which stock rows give the
units, and every short line reported together with nothing changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.core.errors import DomainError
from marketplace.inventory.models import Allocation, Reservation, Stock, Warehouse
from marketplace.orders import services
from marketplace.orders.models import Order
from tests.builders.catalog import make_variant
from tests.builders.checkout import make_checkout
from tests.builders.inventory import stock_of


def second_stock(variant, quantity: int) -> Stock:
    """The variant also kept in another warehouse of its fulfiller."""
    cooperative_id = variant.product.seller.cooperative_id
    warehouse = Warehouse.objects.create(name="انبار دوم", cooperative_id=cooperative_id)
    return Stock.objects.create(warehouse=warehouse, variant=variant, quantity=quantity)


def allocated(order: Order) -> dict[int, int]:
    """Units allocated to the order, per stock row."""
    rows = Allocation.objects.filter(order_line__order=order).values_list("stock_id", "quantity")
    return dict(rows)


def test_the_units_a_line_holds_are_the_ones_allocated(ir, buyer, seller_a):
    variant = make_variant(seller_a, quantity=5)
    first, second = stock_of(variant), second_stock(variant, 5)
    checkout = make_checkout([(variant, 3)], user=buyer, reserve=False)
    # The hold is in the second warehouse, although the first has a lower id.
    Reservation.objects.create(
        checkout_line=checkout.lines.get(),
        stock=second,
        quantity=3,
        reserved_until=timezone.now() + timedelta(minutes=10),
    )
    order, _payment = services.complete_checkout(actor=buyer, checkout=checkout, gateway="cod")
    assert allocated(order) == {second.pk: 3}
    assert not Reservation.objects.exists()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.quantity_allocated, second.quantity_allocated) == (0, 3)


def test_a_line_takes_units_from_several_warehouses(ir, buyer, seller_a, seller_b):
    variant, other = make_variant(seller_a, quantity=5), make_variant(seller_b, quantity=4)
    first, second = stock_of(variant), second_stock(variant, 5)
    checkout = make_checkout([(variant, 7), (other, 4)], user=buyer)
    order, _payment = services.complete_checkout(actor=buyer, checkout=checkout, gateway="cod")
    # What the reservation held first (5 in the first warehouse, 2 in the second).
    assert allocated(order) == {first.pk: 5, second.pk: 2, stock_of(other).pk: 4}
    assert [s.quantity_allocated for s in Stock.objects.order_by("pk")] == [5, 4, 2]
    assert not Reservation.objects.exists()


def test_every_short_line_is_reported_and_nothing_changes(ir, buyer, seller_a, seller_b):
    enough = make_variant(seller_a, quantity=10)
    scarce, rare = make_variant(seller_a, quantity=1), make_variant(seller_b, quantity=2)
    checkout = make_checkout([(enough, 2), (scarce, 2), (rare, 3)], user=buyer, reserve=False)
    with pytest.raises(DomainError) as refused:
        services.complete_checkout(actor=buyer, checkout=checkout, gateway="cod")
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("lines.1.quantity", "INSUFFICIENT_STOCK"),
        ("lines.2.quantity", "INSUFFICIENT_STOCK"),
    ]
    assert "1" in str(refused.value.errors[0].message)
    assert not Order.objects.exists()
    assert not Allocation.objects.exists()
    assert set(Stock.objects.values_list("quantity_allocated", flat=True)) == {0}


def test_another_buyers_live_hold_is_not_allocated(ir, buyer, seller_a):
    variant = make_variant(seller_a, quantity=3)
    make_checkout([(variant, 2)], email="first@example.com")
    late = make_checkout([(variant, 2)], user=buyer, reserve=False)
    with pytest.raises(DomainError) as refused:
        services.complete_checkout(actor=buyer, checkout=late, gateway="cod")
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("lines.0.quantity", "INSUFFICIENT_STOCK")
    ]
    assert stock_of(variant).quantity_allocated == 0

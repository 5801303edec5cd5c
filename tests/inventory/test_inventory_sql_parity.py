"""Inventory's hand-written statements (core.sql) count what the ORM counts on the same
data: what is free per stock row (against `stocks_with_free`, the ORM form of the same
arithmetic), what an order may use per stock row, and the rows locked for a variant."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import IntegerField, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from marketplace.checkout.models import CheckoutLine
from marketplace.inventory import stock
from marketplace.inventory.models import Reservation, Stock, Warehouse
from tests.builders.catalog import make_variant
from tests.builders.checkout import make_checkout
from tests.builders.inventory import stock_of
from tests.builders.sellers import make_seller

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(seller_a, coop_a):
    """Two variants, one in two warehouses; three carts holding some of their units, one
    of whose holds has lapsed; some units allocated to orders."""
    saffron = make_variant(seller_a, quantity=10)
    raisin = make_variant(make_seller("solo@example.com", "کشمش", None), quantity=6)
    second = Warehouse.objects.create(name="انبار دوم", cooperative=coop_a)
    Stock.objects.create(warehouse=second, variant=saffron, quantity=3, quantity_allocated=1)
    Stock.objects.filter(pk=stock_of(raisin).pk).update(quantity_allocated=2)
    mine = make_checkout([(saffron, 4), (raisin, 1)], deliver=False)
    others = make_checkout([(saffron, 5), (raisin, 2)], deliver=False)
    lapsed = make_checkout([(raisin, 1)], deliver=False)
    Reservation.objects.filter(checkout_line__checkout=lapsed).update(
        reserved_until=timezone.now() - timedelta(minutes=1)
    )
    return {"variants": [saffron.pk, raisin.pk], "mine": mine, "others": others}


def test_free_by_stock_is_stocks_with_free(held):
    ids = list(Stock.objects.values_list("pk", flat=True))
    for checkout in (held["mine"], held["others"]):
        found = stock.free_by_stock(ids, exclude_checkout=checkout.pk)
        expected = stock.stocks_with_free(held["variants"], exclude_checkout=checkout.pk)
        assert found == dict(expected.values_list("pk", "free"))
    # Leaving out the second cart: 3 − 1 allocated; 6 − 2 allocated − 1 held by the first
    # cart (the lapsed hold counts for nothing); 10 − 4 held by the first cart.
    assert sorted(found.values()) == [2, 3, 6]


def test_usable_by_stock_as_the_orm_counts_it(held):
    ids = list(Stock.objects.order_by("pk").values_list("pk", flat=True))
    lines = list(CheckoutLine.objects.filter(checkout=held["mine"]).values_list("pk", flat=True))
    now = timezone.now()
    live = Q(reservations__reserved_until__gt=now)
    mine = live & Q(reservations__checkout_line_id__in=lines)
    rows = Stock.objects.filter(pk__in=ids).annotate(
        reserved=Coalesce(Sum("reservations__quantity", filter=live), 0),
        held=Coalesce(Sum("reservations__quantity", filter=mine), 0, output_field=IntegerField()),
    )
    expected = sorted(
        (
            row.pk,
            row.variant_id,
            max(row.quantity - row.quantity_allocated - (row.reserved - row.held), 0),
            row.held,
        )
        for row in rows
    )
    assert sorted(stock._usable_by_stock(ids, lines)) == expected
    assert {row[3] for row in expected} == {0, 1, 4}


def test_locked_stocks_are_the_variants_rows_in_id_order(held):
    expected = list(
        Stock.objects.filter(variant_id__in=held["variants"])
        .order_by("pk")
        .values_list("pk", "variant_id")
    )
    assert stock.locked_stocks(held["variants"]) == expected
    assert len(expected) == 3

# ruff: noqa: F811 - pytest fixtures are imported by name
"""The cart page's SQL is pinned: one API request, whose query count does not grow with
the number of products, parcels or saved addresses."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.builders.catalog import make_variant
from tests.builders.sellers import make_seller
from tests.storefront.shopping import (  # noqa: F401
    ADDRESS,
    add,
    choose_all_deliveries,
    set_address,
    shopper,
    sign_in,
)

# The session; the checkout with its lines, prices, chosen deliveries, photos, delivery
# methods and their rates; the provinces (the list, and the address's); and
# nothing per line, per parcel or per address. An unchanged session is not written.
ANONYMOUS_CART_QUERIES = 11
# Also the signed-in user (the token), the saved addresses, and the header's `me`
# (user, seller, cooperatives).
SIGNED_IN_CART_QUERIES = 15


def _count(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("cart:index")).status_code == 200
    return len(queries)


def test_cart_page_queries_are_pinned(seeded, shopper, seller_a, seller_b, independent):
    add(shopper, make_variant(seller_a))
    set_address(shopper)
    choose_all_deliveries(shopper)
    small = _count(shopper)
    for seller in (seller_a, seller_b, independent, make_seller("x@example.com", "گلاب", None)):
        add(shopper, make_variant(seller), 2)
        add(shopper, make_variant(seller), 1)
    choose_all_deliveries(shopper)
    big = _count(shopper)
    assert small == big == ANONYMOUS_CART_QUERIES


def test_signed_in_cart_page_queries_are_pinned(seeded, shopper, buyer, seller_a, seller_b):
    sign_in(shopper, buyer.email)
    shopper.post(reverse("account:address_new"), ADDRESS)
    add(shopper, make_variant(seller_a))
    set_address(shopper)
    small = _count(shopper)
    for _i in range(3):
        shopper.post(reverse("account:address_new"), ADDRESS)
        add(shopper, make_variant(seller_b))
    set_address(shopper)
    big = _count(shopper)
    assert small == big == SIGNED_IN_CART_QUERIES

# ruff: noqa: F811 - pytest fixtures are imported by name
"""Odd and hostile posts to the cart never give a server error: missing fields, bad IDs,
wrong methods, and another buyer's checkout ID in the session."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from marketplace.checkout.models import Checkout
from marketplace.orders.models import Order
from tests.builders.catalog import make_variant
from tests.storefront.shopping import add, cart_page, place, ready_cart, shopper, sign_in, text  # noqa: F401
from tests.support import gid

JUNK = [
    {},
    {"variant": ""},
    {"variant": "nonsense", "quantity": "x"},
    {"variant": "UHJvZHVjdFZhcmlhbnQ6OTk5OTk=", "quantity": "1"},
    {"variant": "Q2hlY2tvdXQ6MQ==", "quantity": "-5"},
    {"variant": "x" * 5000, "quantity": "9" * 50},
    {"group": "nonsense", "method": "nonsense", "code": "\x00", "saved": "nonsense"},
    {"postalCode": "۱۲۳", "countryArea": "<script>", "quantity": "100000"},
]
ACTIONS = ["add", "line", "delivery", "promo", "promo_remove", "address", "place"]


@pytest.mark.parametrize("action", ACTIONS)
def test_junk_posts_without_a_cart(seeded, shopper, action):
    for data in JUNK:
        response = shopper.post(reverse(f"cart:{action}"), data)
        assert response.status_code in (200, 302), (action, data)


@pytest.mark.parametrize("action", ACTIONS)
def test_junk_posts_with_a_cart(seeded, shopper, seller_a, action):
    add(shopper, make_variant(seller_a))
    for data in JUNK:
        response = shopper.post(reverse(f"cart:{action}"), {**data, "email": "a@example.com"})
        assert response.status_code in (200, 302), (action, data)
    assert cart_page(shopper).status_code == 200


def test_wrong_methods_are_refused(seeded, shopper):
    assert shopper.get(reverse("cart:add")).status_code == 405
    assert shopper.get(reverse("cart:place")).status_code == 405
    assert shopper.post(reverse("cart:index")).status_code == 405


def test_another_buyers_checkout_in_the_session(seeded, buyer, seller_a):
    owner = Client(HTTP_ACCEPT_LANGUAGE="en")
    sign_in(owner, buyer.email)
    ready_cart(owner, make_variant(seller_a))
    stolen = owner.session["cart_checkout"]

    intruder = Client(HTTP_ACCEPT_LANGUAGE="en")
    add(intruder, make_variant(seller_a))
    session = intruder.session
    session["cart_checkout"] = stolen
    session.save()
    assert "Your cart is empty." in text(cart_page(intruder))
    session = intruder.session
    session["cart_checkout"] = stolen
    session.save()
    assert place(intruder).status_code in (200, 302)
    assert intruder.post(reverse("cart:promo_remove")).status_code == 302
    assert not Order.objects.exists()
    assert Checkout.objects.get(user=buyer).lines.count() == 1


def test_a_malformed_checkout_id_in_the_session(seeded, shopper):
    session = shopper.session
    session["cart_checkout"] = "%%%not-an-id"
    session.save()
    assert "Your cart is empty." in text(cart_page(shopper))
    assert shopper.session.get("cart_checkout") is None


def test_the_confirmation_page_needs_an_order(seeded, shopper):
    assert shopper.get(reverse("cart:done")).status_code == 302
    intruder = Client()
    intruder.post(reverse("cart:place"))
    assert gid("Order", "1") not in text(intruder.get(reverse("cart:index")))

# ruff: noqa: F811 - pytest fixtures are imported by name
"""The cart survives signing in: an anonymous cart becomes the buyer's (merged into the
one they filled on another device), and signing in on a new device picks it up."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from marketplace.checkout.models import Checkout
from tests.builders.catalog import make_variant
from tests.storefront.shopping import add, cart_page, shopper, sign_in, text  # noqa: F401


def test_anonymous_cart_becomes_the_buyers(seeded, shopper, buyer, seller_a):
    saffron = make_variant(seller_a)
    add(shopper, saffron, 2)
    response = sign_in(shopper, buyer.email, next=reverse("cart:index"))
    assert response.status_code == 302 and response.url == reverse("cart:index")
    checkout = Checkout.objects.get()
    assert checkout.user == buyer
    page = cart_page(shopper)
    assert page.context["checkout"]["quantity"] == 2
    # The order's confirmation goes to the account's email: no field asks for it.
    assert 'id="a-email"' not in page.content.decode()
    assert shopper.session["cart_size"] == 2


def test_carts_from_two_devices_are_merged(seeded, buyer, seller_a, seller_b):
    laptop, phone = Client(HTTP_ACCEPT_LANGUAGE="en"), Client(HTTP_ACCEPT_LANGUAGE="en")
    sign_in(laptop, buyer.email)
    add(laptop, make_variant(seller_a), 1)
    assert Checkout.objects.get().user == buyer
    add(phone, make_variant(seller_b), 2)
    sign_in(phone, buyer.email)
    assert Checkout.objects.count() == 1
    assert phone.session["cart_size"] == 3
    # The laptop's session still names the surviving checkout.
    assert cart_page(laptop).context["checkout"]["quantity"] == 3


def test_signing_in_elsewhere_picks_up_the_cart(seeded, buyer, seller_a):
    laptop, phone = Client(HTTP_ACCEPT_LANGUAGE="en"), Client(HTTP_ACCEPT_LANGUAGE="en")
    sign_in(laptop, buyer.email)
    add(laptop, make_variant(seller_a), 4)
    sign_in(phone, buyer.email)
    assert phone.session["cart_size"] == 4
    assert "Sent by" in text(cart_page(phone)) or "Packed and sent by" in text(cart_page(phone))


def test_signing_out_leaves_the_cart_with_the_account(seeded, shopper, buyer, seller_a):
    sign_in(shopper, buyer.email)
    add(shopper, make_variant(seller_a), 1)
    shopper.post(reverse("account:signout"))
    assert shopper.session.get("cart_size") == 0
    assert "Your cart is empty." in text(cart_page(shopper))
    sign_in(shopper, buyer.email)
    assert shopper.session["cart_size"] == 1

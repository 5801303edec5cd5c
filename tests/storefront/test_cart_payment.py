# ruff: noqa: F811 - pytest fixtures are imported by name
"""Paying online from the cart with plain form posts (no JavaScript): the choice of
gateway, the sandbox's page, the return page, trying again after a cancel."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from marketplace.orders.models import Order, OrderStatus
from marketplace.payments.models import PaymentStatus
from tests.builders.accounts import PASSWORD, make_user
from tests.builders.catalog import make_variant
from tests.storefront.shopping import (  # noqa: F401
    ready_cart,
    shopper,
    sign_in,
    text,
)


@pytest.fixture
def buyer_in(settings, seeded, shopper, seller_a, seller_b):
    settings.PAYMENT_SANDBOX = True
    # The return URL must be a valid http(s) URL: "testserver" has no domain.
    shopper.defaults["HTTP_HOST"] = "localhost"
    make_user("sara@example.com")
    assert sign_in(shopper, "sara@example.com", PASSWORD).status_code == 302
    ready_cart(shopper, make_variant(seller_a), make_variant(seller_b))
    return shopper


def sandbox_decides(client, location: str, result: str) -> str:
    """On the gateway's page, press a button; follow our callback; return where it sends."""
    assert "/payments/sandbox/pg/StartPay/" in location
    page = client.get(location)
    assert 'value="paid"' in page.content.decode()
    to_callback = client.post(location, {"result": result})["Location"]
    back = client.get(to_callback)
    assert back.status_code == 302
    return back["Location"]


def test_the_cart_offers_cash_on_delivery_first_and_the_sandbox(buyer_in):
    page = buyer_in.get(reverse("cart:index"))
    html = page.content.decode()
    radios = re.findall(r'name="gateway" value="([^"]+)"( checked)?', html)
    assert radios == [("cod", " checked"), ("sandbox", "")]


def test_paying_through_the_sandbox_confirms_the_order(buyer_in):
    placed = buyer_in.post(reverse("cart:place"), {"gateway": "sandbox"})
    assert placed.status_code == 302
    back = sandbox_decides(buyer_in, placed["Location"], "paid")
    assert back.startswith("http://localhost/cart/paid/?")
    done = buyer_in.get(back, follow=True)
    assert "Paid online" in text(done)
    order = Order.objects.get()
    assert (order.status, order.payment_status) == (OrderStatus.CONFIRMED, PaymentStatus.CHARGED)


def test_cancel_on_the_sandbox_then_try_again(buyer_in):
    placed = buyer_in.post(reverse("cart:place"), {"gateway": "sandbox"})
    back = sandbox_decides(buyer_in, placed["Location"], "canceled")
    failed = buyer_in.get(back)
    assert failed.status_code == 200
    assert "The payment was not completed" in text(failed)
    assert Order.objects.get().status == OrderStatus.UNCONFIRMED
    again = buyer_in.post(reverse("cart:pay"), {"gateway": "sandbox"})
    assert again.status_code == 302
    back = sandbox_decides(buyer_in, again["Location"], "paid")
    buyer_in.get(back, follow=True)
    order = Order.objects.get()
    assert order.status == OrderStatus.CONFIRMED and order.payments.count() == 2


def test_cash_on_delivery_stays_the_default(buyer_in):
    placed = buyer_in.post(reverse("cart:place"))
    assert placed["Location"] == reverse("cart:done")
    assert Order.objects.get().status == OrderStatus.CONFIRMED


def test_a_guest_pays_through_the_sandbox(settings, seeded, shopper, seller_a):
    settings.PAYMENT_SANDBOX = True
    shopper.defaults["HTTP_HOST"] = "localhost"
    ready_cart(shopper, make_variant(seller_a))
    placed = shopper.post(reverse("cart:place"), {"gateway": "sandbox"})
    back = sandbox_decides(shopper, placed["Location"], "paid")
    done = shopper.get(back, follow=True)
    assert "Paid online" in text(done)
    assert Order.objects.get().status == OrderStatus.CONFIRMED

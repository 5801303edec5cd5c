# ruff: noqa: F811 - pytest fixtures are imported by name
"""The international channel in the shop: prices in US dollars, an address abroad, the
card step of Stripe against localstripe, and the order confirmed only by the verified
webhook (the buyer's return alone confirms nothing)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from marketplace.orders.models import Order, OrderStatus
from marketplace.payments.models import Payment, PaymentStatus
from tests.builders.accounts import PASSWORD, make_user
from tests.builders.catalog import make_variant
from tests.payments.stripe_server import WEBHOOK_SECRET, intent_event, localstripe, signed
from tests.storefront.shopping import (  # noqa: F401
    add,
    choose_all_deliveries,
    shopper,
    sign_in,
    text,
)
from tests.support import gid

ABROAD = {
    "country": "DE",
    "firstName": "Anna",
    "lastName": "Berg",
    "phone": "+4915112345678",
    "countryArea": "Berlin",
    "city": "Berlin",
    "streetAddress1": "Torstraße 1",
    "streetAddress2": "",
    "postalCode": "10119",
}


@pytest.fixture(scope="module")
def stripe_base():
    with localstripe() as base:
        yield base


@pytest.fixture
def intl_buyer(settings, seeded, shopper, seller_a, stripe_base):
    settings.STRIPE_SECRET_KEY = "sk_test_bazarcheh"
    settings.STRIPE_API_BASE = stripe_base
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    shopper.defaults["HTTP_HOST"] = "localhost"
    make_user("anna@example.com")
    assert sign_in(shopper, "anna@example.com", PASSWORD).status_code == 302
    variant = make_variant(seller_a, quantity=5, channels=("ir", "intl"))
    switched = shopper.post(reverse("cart:channel"), {"channel": "intl", "next": "/cart/"})
    assert switched["Location"] == "/cart/"
    assert add(shopper, variant).status_code == 302
    assert shopper.post(reverse("cart:address"), ABROAD).status_code == 302
    choose_all_deliveries(shopper)
    return shopper


def webhook(client, intent_id: str, event_id: str) -> int:
    body, header = signed(intent_event(event_id, intent_id))
    response = client.post(
        "/payments/stripe/webhook/",
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )
    return response.status_code


def test_the_cart_is_in_dollars_and_offers_the_card(intl_buyer):
    page = text(intl_buyer.get(reverse("cart:index")))
    assert re.search(r"\d USD", page) and not re.search(r"\d toman", page)
    html = intl_buyer.get(reverse("cart:index")).content.decode()
    assert re.findall(r'name="gateway" value="([^"]+)"', html) == ["stripe"]
    assert 'name="country"' in html


def test_a_card_payment_is_confirmed_by_the_webhook(client, intl_buyer):
    placed = intl_buyer.post(reverse("cart:place"), {"gateway": "stripe"})
    assert placed["Location"] == reverse("cart:card")
    order = Order.objects.get()
    payment = Payment.objects.get()
    assert (order.currency, order.status) == ("USD", OrderStatus.UNCONFIRMED)
    card = intl_buyer.get(reverse("cart:card"))
    assert "Pay by card" in text(card)
    back = intl_buyer.post(reverse("cart:card"))
    assert back.status_code == 302
    # Stripe took the card, but nothing told us yet: the page waits.
    waiting = intl_buyer.get(back["Location"])
    assert waiting.status_code == 200 and "Confirming your payment" in text(waiting)
    assert 'http-equiv="refresh"' in waiting.content.decode()
    assert Order.objects.get().status == OrderStatus.UNCONFIRMED
    assert webhook(client, payment.psp_reference, "evt_card_paid") == 200
    done = intl_buyer.get(back["Location"], follow=True)
    assert "Paid online" in text(done)
    order.refresh_from_db()
    assert (order.status, order.payment_status) == (OrderStatus.CONFIRMED, PaymentStatus.CHARGED)


def test_the_return_page_alone_confirms_nothing(intl_buyer):
    intl_buyer.post(reverse("cart:place"), {"gateway": "stripe"})
    order = Order.objects.get()
    # The buyer comes back claiming to have paid without confirming the intent.
    number = gid("Order", order.pk)
    for query in (f"?order={number}&payment=paid", "?order=x&payment=paid"):
        page = intl_buyer.get(reverse("cart:paid") + query, follow=True)
        assert page.status_code == 200 and "Paid online" not in text(page)
    order.refresh_from_db()
    assert order.status == OrderStatus.UNCONFIRMED


def test_switching_back_to_rial_forgets_the_dollar_cart(intl_buyer):
    intl_buyer.post(reverse("cart:channel"), {"channel": "ir", "next": "/cart/"})
    page = text(intl_buyer.get(reverse("cart:index")))
    assert not re.search(r"\d USD", page)


def test_a_guest_paying_by_card_is_told_the_email_follows(
    settings, seeded, shopper, seller_a, stripe_base
):
    settings.STRIPE_SECRET_KEY = "sk_test_bazarcheh"
    settings.STRIPE_API_BASE = stripe_base
    shopper.defaults["HTTP_HOST"] = "localhost"
    shopper.post(reverse("cart:channel"), {"channel": "intl"})
    assert (
        add(shopper, make_variant(seller_a, quantity=5, channels=("ir", "intl"))).status_code == 302
    )
    assert (
        shopper.post(reverse("cart:address"), {"email": "anna@example.com", **ABROAD}).status_code
        == 302
    )
    choose_all_deliveries(shopper)
    assert shopper.post(reverse("cart:place"), {"gateway": "stripe"})["Location"] == reverse(
        "cart:card"
    )
    back = shopper.post(reverse("cart:card"))
    waiting = shopper.get(back["Location"])
    assert "we let you know by email" in text(waiting)
    assert 'http-equiv="refresh"' not in waiting.content.decode()
    assert Order.objects.get().status == OrderStatus.UNCONFIRMED

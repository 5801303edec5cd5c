"""The same cart and account pages with the API reached over HTTP (STOREFRONT_API_URL),
as when the storefront runs apart from the backend."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from marketplace.orders.models import Order
from tests.builders.catalog import make_variant
from tests.builders.seed import ensure_seeded
from tests.storefront.shopping import place, ready_cart, sign_in, text


@pytest.mark.django_db(transaction=True)
def test_signed_in_cash_on_delivery_order_over_http(settings, live_server, buyer, seller_a):
    ensure_seeded()
    settings.STOREFRONT_API_URL = f"{live_server.url}/graphql/"
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert sign_in(client, buyer.email).status_code == 302
    ready_cart(client, make_variant(seller_a))
    done = client.get(place(client).url)
    order = Order.objects.get()
    assert order.user == buyer
    assert f"Order number: {order.number}" in text(done)
    assert f"Order {order.number}" in text(client.get(reverse("account:orders")))

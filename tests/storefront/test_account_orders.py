"""The buyer's orders: the list, one order with each parcel's status (translated) and
lines, and canceling before anything has shipped."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from marketplace.orders.models import Order, OrderStatus, ShipmentStatus
from tests.builders.catalog import make_variant
from tests.storefront.shopping import place, ready_cart, sign_in, text
from tests.support import gid


def _ordered(client: Client, buyer, *sellers) -> Order:
    sign_in(client, buyer.email)
    ready_cart(client, *(make_variant(s, price=1_200_000) for s in sellers))
    assert place(client).status_code == 302
    return Order.objects.get()


def test_orders_list_and_detail(seeded, buyer, seller_a, seller_b):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    order = _ordered(client, buyer, seller_a, seller_b)
    done = client.get(reverse("cart:done"))
    detail_url = reverse("account:order", args=[gid("Order", order.pk)])
    assert detail_url in done.content.decode()

    listing = client.get(reverse("account:orders"))
    assert f"Order {order.number}" in text(listing)
    assert detail_url in listing.content.decode()

    shipment = order.shipments.first()
    shipment.status = ShipmentStatus.SHIPPED
    shipment.tracking_number = "PT123456"
    shipment.save()
    detail = client.get(detail_url)
    words = text(detail)
    assert "Parcel from تعاونی زعفران تربت" in words
    assert "Parcel from تعاونی کشمش کاشمر" in words
    assert "Shipped" in words and "Being prepared" in words
    assert "PT123456" in words and "Saffron" in words
    # Something has shipped: no cancel button.
    assert "Cancel this order" not in words


def test_statuses_in_persian(seeded, buyer, seller_a):
    client = Client(HTTP_ACCEPT_LANGUAGE="fa")
    order = _ordered(client, buyer, seller_a)
    detail = client.get(reverse("account:order", args=[gid("Order", order.pk)]))
    assert "در حال آماده‌سازی" in text(detail)
    assert "تومان" in text(detail)


def test_cancel_before_shipping(seeded, buyer, seller_a):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    order = _ordered(client, buyer, seller_a)
    order_id = gid("Order", order.pk)
    detail = client.get(reverse("account:order", args=[order_id]))
    assert "Cancel this order" in text(detail)
    response = client.post(reverse("account:order_cancel", args=[order_id]), follow=True)
    assert "Your order is canceled." in text(response)
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELED
    again = client.post(reverse("account:order_cancel", args=[order_id]), follow=True)
    assert again.status_code == 200 and again.context["messages"]


def test_other_buyers_orders_are_not_found(seeded, buyer, seller_a):
    order = _ordered(Client(), buyer, seller_a)
    order_id = gid("Order", order.pk)
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    from tests.builders.accounts import make_user

    make_user("other@example.com")
    sign_in(other, "other@example.com")
    assert other.get(reverse("account:order", args=[order_id])).status_code == 404
    assert other.get(reverse("account:order", args=["junk"])).status_code == 404
    response = other.post(reverse("account:order_cancel", args=[order_id]))
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    assert "You have no orders yet." in text(other.get(reverse("account:orders")))
    assert other.get(reverse("account:orders") + "?after=" + "x" * 300).status_code == 200

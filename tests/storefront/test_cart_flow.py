# ruff: noqa: F811 - pytest fixtures are imported by name
"""The cart is the checkout: a buyer adds products from two cooperatives and an
independent producer, sees a parcel per fulfiller, gives an address, chooses delivery
and places a cash-on-delivery order — all with plain form posts."""

from __future__ import annotations

import re

from django.urls import reverse

from marketplace.checkout.models import Checkout
from marketplace.orders.models import Order
from tests.builders.catalog import make_variant
from tests.storefront.shopping import (  # noqa: F401
    GUEST,
    add,
    cart_page,
    choose_all_deliveries,
    method_ids,
    place,
    ready_cart,
    set_address,
    shopper,
    text,
    variant_id,
)


def _email_input(response) -> str:
    return re.search(r'<input id="a-email"[^>]*>', response.content.decode()).group(0)


def test_an_anonymous_visitor_fills_the_cart_and_gives_the_email_with_the_address(
    seeded, shopper, seller_a
):
    response = add(shopper, make_variant(seller_a), 2)
    assert response.status_code == 302
    checkout = Checkout.objects.get()
    assert checkout.email == "" and checkout.channel.slug == "ir"
    assert shopper.session["cart_size"] == 2
    assert add(shopper, make_variant(seller_a), 1).status_code == 302
    assert shopper.session["cart_size"] == 3

    page = cart_page(shopper)
    field = _email_input(page)
    assert 'type="email"' in field and 'value=""' in field and "required" in field
    assert '<label for="a-email">Your email' in page.content.decode()
    assert "Before ordering: enter your email" in text(page)

    refused = set_address(shopper, email="not an email")
    assert refused.status_code == 200
    field = _email_input(refused)
    assert 'aria-invalid="true"' in field and "a-email-error" in field
    assert 'id="a-email-error"' in refused.content.decode()
    assert 'value="not an email"' in field  # what was typed stays in the form
    assert Checkout.objects.get().email == ""

    assert set_address(shopper, email=" Guest@Example.COM ").status_code == 302
    assert Checkout.objects.get().email == "Guest@example.com"
    page = cart_page(shopper)
    assert 'value="Guest@example.com"' in _email_input(page)
    assert "Before ordering: enter your email" not in text(page)


def test_placing_an_order_without_the_email_shows_the_error_next_to_it(seeded, shopper, seller_a):
    ready_cart(shopper, make_variant(seller_a))
    Checkout.objects.update(email="")
    response = place(shopper)
    assert response.status_code == 200
    field = _email_input(response)
    assert 'aria-invalid="true"' in field and "a-email-error" in field
    assert 'id="place-errors"' in response.content.decode()
    assert not Order.objects.exists()
    set_address(shopper)
    choose_all_deliveries(shopper)
    assert place(shopper).status_code == 302
    assert Order.objects.get().email == GUEST


def test_a_parcel_per_fulfiller(seeded, shopper, seller_a, seller_b, independent):
    for seller in (seller_a, seller_b, independent):
        add(shopper, make_variant(seller))
    add(shopper, make_variant(seller_a), 3)
    page = cart_page(shopper)
    words = text(page)
    assert "Packed and sent by تعاونی زعفران تربت" in words
    assert "Packed and sent by تعاونی کشمش کاشمر" in words
    assert "Sent by عسل کوهستان" in words
    assert page.content.decode().count('class="cart-group"') == 3
    # No address yet: no delivery choice, but the way to the address form.
    assert not method_ids(page)
    assert "Enter your shipping address above" in words


def test_quantities_update_and_remove(seeded, shopper, seller_a):
    saffron, barberry = make_variant(seller_a), make_variant(seller_a)
    add(shopper, saffron, 2)
    add(shopper, barberry, 1)
    response = shopper.post(reverse("cart:line"), {"variant": variant_id(saffron), "quantity": "۵"})
    assert response.status_code == 302
    assert shopper.session["cart_size"] == 6
    shopper.post(reverse("cart:line"), {"variant": variant_id(barberry), "remove": "1"})
    assert shopper.session["cart_size"] == 5
    assert Checkout.objects.get().lines.count() == 1

    too_many = shopper.post(
        reverse("cart:line"), {"variant": variant_id(saffron), "quantity": 50}, follow=True
    )
    assert "left" in text(too_many).lower() or "stock" in text(too_many).lower()
    assert Checkout.objects.get().lines.get().quantity == 5


def test_unavailable_products_are_refused_clearly(seeded, shopper, seller_a):
    add(shopper, make_variant(seller_a))
    scarce = make_variant(seller_a, quantity=2)
    response = add(shopper, scarce, 3)
    followed = shopper.get(response.url)
    assert "2" in text(followed) and shopper.session["cart_size"] == 1
    dollars_only = make_variant(seller_a, channels=("intl",))
    followed = shopper.get(add(shopper, dollars_only).url)
    assert followed.context["messages"]
    assert Checkout.objects.get().lines.count() == 1


def test_address_errors_next_to_their_fields(seeded, shopper, seller_a):
    add(shopper, make_variant(seller_a))
    response = set_address(shopper, postalCode="91779", countryArea="Atlantis")
    assert response.status_code == 200
    body = response.content.decode()
    for name in ("postalCode", "countryArea"):
        tag = re.search(rf'<(input|select) id="a-{name}"[^>]*>', body).group(0)
        assert 'aria-invalid="true"' in tag
        assert f"a-{name}-error" in tag
        assert f'id="a-{name}-error"' in body
    assert 'value="91779"' in body  # what was typed stays in the form
    assert Checkout.objects.get().shipping_address is None


def test_persian_digits_are_accepted_and_delivery_offered(seeded, shopper, seller_a, seller_b):
    add(shopper, make_variant(seller_a))
    add(shopper, make_variant(seller_b))
    assert set_address(shopper).status_code == 302
    address = Checkout.objects.get().shipping_address
    assert address.postal_code == "9177948974"
    assert address.phone == "+989121234567"
    page = cart_page(shopper)
    assert len(method_ids(page)) >= 2
    assert "Express post" in text(page)
    # The saved address is shown again in the form.
    assert 'value="9177948974"' in page.content.decode()


def test_order_needs_a_delivery_method_per_parcel(seeded, shopper, seller_a, seller_b):
    add(shopper, make_variant(seller_a))
    add(shopper, make_variant(seller_b))
    set_address(shopper)
    response = place(shopper)
    assert response.status_code == 200
    assert 'id="place-errors"' in response.content.decode()
    assert not Order.objects.exists()


def test_delivery_choice_changes_the_total(seeded, shopper, seller_a):
    add(shopper, make_variant(seller_a, price=2_500_000))
    set_address(shopper)
    page = cart_page(shopper)
    before = page.context["checkout"]["totalPrice"]["gross"]["amount"]
    choose_all_deliveries(shopper)
    page = cart_page(shopper)
    group = page.context["groups"][0]
    assert group["chosen"] is not None
    assert page.context["checkout"]["totalPrice"]["gross"]["amount"] > before
    refused = shopper.post(
        reverse("cart:delivery"), {"group": group["id"], "method": "RGVsaXZlcnlNZXRob2Q6OTk5OQ=="}
    )
    assert refused.status_code == 200
    assert 'id="delivery-1-error"' in refused.content.decode()


def test_cash_on_delivery_order_with_its_number(seeded, shopper, seller_a, seller_b):
    ready_cart(shopper, make_variant(seller_a), make_variant(seller_b))
    response = place(shopper)
    assert response.status_code == 302 and response.url == reverse("cart:done")
    order = Order.objects.get()
    assert order.email == GUEST and order.shipments.count() == 2
    done = shopper.get(response.url)
    assert f"Order number: {order.number}" in text(done)
    for shipment in order.shipments.select_related("seller"):
        due = sum(line.total_price for line in shipment.lines.all()) + shipment.shipping_price
        fulfiller = shipment.cooperative or shipment.seller
        assert (
            f"The courier of the parcel from {fulfiller.name} collects {int(due) // 10:,} toman"
            in text(done)
        )
    assert shopper.session["cart_size"] == 0
    assert "Your cart is empty." in text(cart_page(shopper))
    # Placing again from a stale tab does not make a second order.
    place(shopper)
    assert Order.objects.count() == 1


def test_confirmation_in_persian(seeded, seller_a):
    from django.test import Client

    buyer = Client(HTTP_ACCEPT_LANGUAGE="fa")
    ready_cart(buyer, make_variant(seller_a))
    done = buyer.get(place(buyer).url)
    number = Order.objects.get().number
    persian = str(number).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert persian in text(done)
    assert "تومان" in text(done)

# ruff: noqa: F811 - pytest fixtures are imported by name
"""The checkout on one page, in the order people expect: items, address, delivery per
parcel, payment with the promo code folded; no delivery price before one is chosen; a
signed-in buyer's saved addresses offered and a new one kept."""

from __future__ import annotations

from django.urls import reverse

from marketplace.accounts.models import Address
from marketplace.checkout.models import Checkout
from tests.builders.catalog import make_variant
from tests.storefront.shopping import (  # noqa: F401
    ADDRESS,
    add,
    cart_page,
    choose_all_deliveries,
    messages_of,
    set_address,
    shopper,
    sign_in,
    text,
)
from tests.support import gid


def _position(body: str, marker: str) -> int:
    found = body.find(marker)
    assert found >= 0, marker
    return found


def test_sections_come_in_the_order_people_expect(seeded, shopper, seller_a):
    add(shopper, make_variant(seller_a), 1)
    body = cart_page(shopper).content.decode()
    order = [
        _position(body, f'id="{name}" data-section')
        for name in ("items", "address", "delivery", "place")
    ]
    assert order == sorted(order)
    # The promo code is folded inside the payment, before the order button.
    assert _position(body, 'id="place"') < _position(body, '<details id="promo">')
    assert _position(body, 'name="gateway"') < _position(body, '<details id="promo">')
    assert _position(body, '<details id="promo">') < _position(
        body, '<button type="submit" form="place-form"'
    )
    # One script makes the marked forms update their sections in place.
    assert 'src="/static/storefront/js/checkout.js" defer' in body
    assert body.count("data-inplace") >= 3
    assert 'id="place-form"' in body and "data-inplace" not in body.split('id="place-form"')[1][:80]


def test_no_delivery_price_before_one_is_chosen(seeded, shopper, seller_a):
    add(shopper, make_variant(seller_a), 1)
    before = text(cart_page(shopper))
    assert "Delivery not chosen yet" in before
    assert "Total without delivery" in before
    assert "Delivery 0 toman" not in before and "Delivery free" not in before
    assert set_address(shopper).status_code == 302
    choose_all_deliveries(shopper)
    after = text(cart_page(shopper))
    assert "not chosen yet" not in after and "Total without delivery" not in after


def test_a_signed_in_buyers_new_address_is_saved_and_offered_next_time(
    seeded, shopper, buyer, seller_a
):
    sign_in(shopper, buyer.email)
    add(shopper, make_variant(seller_a), 1)
    assert 'name="remember" value="1" checked' in cart_page(shopper).content.decode()
    response = set_address(shopper, remember="1")
    assert response.status_code == 302
    saved = Address.objects.filter(user=buyer)
    assert saved.count() == 1 and saved.get().postal_code == "9177948974"
    page = shopper.get(response.url)
    assert "The address is saved to your account too." in messages_of(page)
    body = page.content.decode()
    # Offered, and already the one chosen; the form for another is folded.
    assert 'name="saved" value="' in body and "checked required" in body
    assert '<details class="new-address">' in body
    # The same address again is not saved twice.
    assert set_address(shopper, remember="1").status_code == 302
    assert Address.objects.filter(user=buyer).count() == 1


def test_a_buyer_may_keep_an_address_off_the_account(seeded, shopper, buyer, seller_a):
    sign_in(shopper, buyer.email)
    add(shopper, make_variant(seller_a), 1)
    assert set_address(shopper).status_code == 302  # the box unticked
    assert not Address.objects.filter(user=buyer).exists()


def test_a_saved_address_is_chosen_with_one_press(seeded, shopper, buyer, seller_a):
    sign_in(shopper, buyer.email)
    add(shopper, make_variant(seller_a), 1)
    set_address(shopper, remember="1")
    add(shopper, make_variant(seller_a), 1)
    set_address(shopper, city="نیشابور", postalCode="9318844444")
    assert Checkout.objects.get().shipping_address.city == "نیشابور"
    # Another address than the saved one: the form for it stays open.
    assert '<details class="new-address" open>' in cart_page(shopper).content.decode()
    saved = Address.objects.get(user=buyer)
    response = shopper.post(reverse("cart:address"), {"saved": gid("Address", saved.pk)})
    assert response.status_code == 302
    assert Checkout.objects.get().shipping_address.city == ADDRESS["city"]

"""checkoutShippingAddressUpdate and checkoutDeliveryMethodUpdate: the address copy,
delivery methods per group (only those serving the address), shipping totals, and the
bad input of the issue answered with field errors and no change."""

from __future__ import annotations

from decimal import Decimal

import pytest

from marketplace.accounts.models import Address
from marketplace.channels.models import Channel
from marketplace.checkout.models import Checkout, CheckoutDelivery
from marketplace.locations.models import Province
from marketplace.shipping.models import DeliveryMethod, DeliveryRate, ShippingZone
from tests.api.checkout.documents import (
    ADDRESS,
    ADDRESS_UPDATE,
    DELIVERY_UPDATE,
    LINES_UPDATE,
    QUERY,
    line,
)
from tests.builders.catalog import make_variant
from tests.builders.shipping import REGISTERED_POST
from tests.support import codes, gid


def method(name: str, provinces: list[str], price: int, **owner) -> DeliveryMethod:
    zone = ShippingZone.objects.create(name=f"zone {name}")
    zone.provinces.set(Province.objects.filter(code__in=provinces))
    found = DeliveryMethod.objects.create(name=name, kind="COURIER", **owner)
    found.zones.set([zone])
    DeliveryRate.objects.create(
        method=found, channel=Channel.objects.get(slug="ir"), max_weight=None, price=price
    )
    return found


@pytest.fixture
def cart(ir, create, seller_a, independent):
    """An anonymous checkout of 1 kg from seller A's cooperative and 0.5 kg from an
    independent seller."""
    payload = create(
        [
            line(make_variant(seller_a, weight="0.5", price=3_000_000), 2),
            line(make_variant(independent, weight="0.5", price=1_000_000), 1),
        ]
    )
    assert payload["errors"] == []
    return payload["checkout"]


def test_address_is_stored_as_the_checkouts_own_copy(cart, call):
    payload = call(ADDRESS_UPDATE, cart["id"], address=ADDRESS)
    assert payload["errors"] == []
    assert payload["checkout"]["shippingAddress"] == {
        "firstName": "سارا",
        "lastName": "احمدی",
        "phone": "+989121234567",
        "country": "IR",
        "countryArea": "خراسان رضوی",
        "city": "مشهد",
        # Free text is stored as the buyer typed it, Persian digits and all.
        "streetAddress1": "خیابان امام رضا، پلاک ۱",
        "streetAddress2": "",
        "postalCode": "9177948974",
    }
    checkout = Checkout.objects.get()
    first = checkout.shipping_address
    assert first.user is None and first.province.code == "IR-09"
    # A second address rewrites the same copy: one row per checkout.
    payload = call(ADDRESS_UPDATE, cart["id"], address={**ADDRESS, "countryArea": "Tehran"})
    assert payload["checkout"]["shippingAddress"]["countryArea"] == "تهران"
    assert Address.objects.count() == 1
    assert Checkout.objects.get().shipping_address_id == first.pk


def test_bad_addresses_change_nothing(cart, call):
    call(ADDRESS_UPDATE, cart["id"], address=ADDRESS)
    before = list(Address.objects.values())
    for bad, expected in [
        ({**ADDRESS, "postalCode": "91779"}, [("shippingAddress.postalCode", "INVALID")]),
        ({**ADDRESS, "countryArea": "Atlantis"}, [("shippingAddress.countryArea", "INVALID")]),
        (
            {**ADDRESS, "phone": "123", "postalCode": "۱۲۳۴۵"},
            [("shippingAddress.phone", "INVALID"), ("shippingAddress.postalCode", "INVALID")],
        ),
        ({**ADDRESS, "city": " "}, [("shippingAddress.city", "REQUIRED")]),
    ]:
        payload = call(ADDRESS_UPDATE, cart["id"], address=bad)
        assert codes(payload) == expected
        assert payload["checkout"] is None
        assert list(Address.objects.values()) == before


def test_methods_are_offered_per_group_once_the_address_is_known(cart, call, coop_a, express_post):
    own = method("پیک تعاونی", ["IR-09"], 400_000, cooperative=coop_a)
    tehran = method("پیک تهران", ["IR-23"], 300_000)
    shown = call(QUERY, cart["id"])
    assert [g["availableDeliveryMethods"] for g in shown["groups"]] == [[], []]
    groups = call(ADDRESS_UPDATE, cart["id"], address=ADDRESS)["checkout"]["groups"]
    names = [sorted(m["name"] for m in g["availableDeliveryMethods"]) for g in groups]
    # The cooperative's own courier is offered to its group only; Tehran's to nobody.
    assert names == [
        sorted(["Express post", "Registered post", own.name]),
        ["Express post", "Registered post"],
    ]
    assert tehran.name not in str(names)
    # Priced for each group's weight (1 kg and 0.5 kg both in the first bracket).
    prices = {m["name"]: m["price"] for m in groups[0]["availableDeliveryMethods"]}
    assert prices["Express post"] == {"amount": 750_000.0, "currency": "IRR"}
    assert prices[own.name]["amount"] == 400_000.0


def test_choosing_a_method_per_group_prices_the_checkout(cart, call, express_post):
    checkout = call(ADDRESS_UPDATE, cart["id"], address=ADDRESS)["checkout"]
    first, second = checkout["groups"]
    registered = DeliveryMethod.objects.get(name=REGISTERED_POST, cooperative=None, seller=None)
    payload = call(
        DELIVERY_UPDATE,
        cart["id"],
        group=first["id"],
        method=gid("DeliveryMethod", express_post.pk),
    )
    assert payload["errors"] == []
    assert payload["checkout"]["groups"][0]["deliveryMethod"]["price"]["amount"] == 750_000.0
    assert payload["checkout"]["groups"][1]["deliveryMethod"] is None
    payload = call(
        DELIVERY_UPDATE, cart["id"], group=second["id"], method=gid("DeliveryMethod", registered.pk)
    )
    result = payload["checkout"]
    assert [g["shippingPrice"]["amount"] for g in result["groups"]] == [750_000.0, 500_000.0]
    assert result["shippingPrice"]["gross"]["amount"] == 1_250_000.0
    assert result["totalPrice"]["gross"]["amount"] == 7_000_000.0 + 1_250_000.0
    # Choosing again replaces the group's method.
    call(
        DELIVERY_UPDATE, cart["id"], group=first["id"], method=gid("DeliveryMethod", registered.pk)
    )
    assert CheckoutDelivery.objects.count() == 2
    assert set(CheckoutDelivery.objects.values_list("method_id", flat=True)) == {registered.pk}
    # The query shows the same as the mutation did.
    shown = call(QUERY, cart["id"])
    assert shown["shippingPrice"]["gross"]["amount"] == 1_000_000.0


def test_bad_delivery_choices_change_nothing(cart, call, coop_a, express_post):
    own = method("پیک تعاونی", ["IR-09"], 400_000, cooperative=coop_a)
    tehran = method("پیک تهران", ["IR-23"], 300_000)
    first_group = cart["groups"][0]["id"]
    second_group = cart["groups"][1]["id"]
    express = gid("DeliveryMethod", express_post.pk)
    # No address yet.
    payload = call(DELIVERY_UPDATE, cart["id"], group=first_group, method=express)
    assert codes(payload) == [("deliveryMethodId", "INVALID")]
    assert "address" in payload["errors"][0]["message"]
    call(ADDRESS_UPDATE, cart["id"], address=ADDRESS)
    call(DELIVERY_UPDATE, cart["id"], group=first_group, method=express)
    before = list(CheckoutDelivery.objects.values_list("cooperative_id", "seller_id", "method_id"))
    other_checkout = f"{Checkout.objects.get().pk}".replace("0", "1", 1)
    for group, chosen, expected in [
        # Another group's own method: the cooperative's courier for the independent seller.
        (second_group, gid("DeliveryMethod", own.pk), [("deliveryMethodId", "INVALID")]),
        # A method that does not serve the address.
        (first_group, gid("DeliveryMethod", tehran.pk), [("deliveryMethodId", "INVALID")]),
        (first_group, gid("DeliveryMethod", 987654), [("deliveryMethodId", "INVALID")]),
        (first_group, gid("Product", 1), [("deliveryMethodId", "INVALID")]),
        (gid("CheckoutGroup", f"{other_checkout}:c1"), express, [("groupId", "INVALID")]),
        (
            gid("CheckoutGroup", f"{Checkout.objects.get().pk}:s999999"),
            express,
            [("groupId", "INVALID")],
        ),
        ("not-a-group", express, [("groupId", "INVALID")]),
    ]:
        payload = call(DELIVERY_UPDATE, cart["id"], group=group, method=chosen)
        assert codes(payload) == expected, (group, chosen)
        assert payload["checkout"] is None
        assert (
            list(CheckoutDelivery.objects.values_list("cooperative_id", "seller_id", "method_id"))
            == before
        )


def test_a_new_address_drops_methods_that_do_not_serve_it(cart, call, express_post):
    tehran = method("پیک تهران", ["IR-23"], 300_000)
    groups = call(ADDRESS_UPDATE, cart["id"], address={**ADDRESS, "countryArea": "تهران"})[
        "checkout"
    ]["groups"]
    call(
        DELIVERY_UPDATE, cart["id"], group=groups[0]["id"], method=gid("DeliveryMethod", tehran.pk)
    )
    chosen = call(
        DELIVERY_UPDATE,
        cart["id"],
        group=groups[1]["id"],
        method=gid("DeliveryMethod", express_post.pk),
    )["checkout"]
    assert chosen["shippingPrice"]["gross"]["amount"] == 300_000.0 + 750_000.0
    moved = call(ADDRESS_UPDATE, cart["id"], address=ADDRESS)["checkout"]
    assert moved["groups"][0]["deliveryMethod"] is None
    assert moved["groups"][1]["deliveryMethod"]["name"] == "Express post"
    assert moved["shippingPrice"]["gross"]["amount"] == 750_000.0
    assert list(CheckoutDelivery.objects.values_list("method_id", flat=True)) == [express_post.pk]


def test_removing_a_groups_lines_drops_its_method(cart, call, express_post):
    groups = call(ADDRESS_UPDATE, cart["id"], address=ADDRESS)["checkout"]["groups"]
    for group in groups:
        call(
            DELIVERY_UPDATE,
            cart["id"],
            group=group["id"],
            method=gid("DeliveryMethod", express_post.pk),
        )
    honey = cart["groups"][1]["lines"][0]
    variant_id = next(ln["variant"]["id"] for ln in cart["lines"] if ln["id"] == honey["id"])
    payload = call(LINES_UPDATE, cart["id"], lines=[{"variantId": variant_id, "quantity": 0}])
    assert payload["errors"] == []
    assert len(payload["checkout"]["groups"]) == 1
    assert CheckoutDelivery.objects.count() == 1
    assert payload["checkout"]["shippingPrice"]["gross"]["amount"] == 750_000.0


def test_free_delivery_above_the_threshold(ir, create, call, seller_a, express_post):
    # Express post is free from 50,000,000 rial per parcel.
    payload = create([line(make_variant(seller_a, price=25_000_000), 2)])
    checkout = call(ADDRESS_UPDATE, payload["checkout"]["id"], address=ADDRESS)["checkout"]
    prices = {
        m["name"]: m["price"]["amount"] for m in checkout["groups"][0]["availableDeliveryMethods"]
    }
    assert prices["Express post"] == 0.0
    chosen = call(
        DELIVERY_UPDATE,
        payload["checkout"]["id"],
        group=checkout["groups"][0]["id"],
        method=gid("DeliveryMethod", express_post.pk),
    )["checkout"]
    assert chosen["shippingPrice"]["gross"]["amount"] == 0.0
    assert Decimal(str(chosen["totalPrice"]["gross"]["amount"])) == Decimal(50_000_000)

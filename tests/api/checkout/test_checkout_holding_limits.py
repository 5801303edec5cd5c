"""What one checkout and one client may hold (checkout.holding), and the longest hold:
writes renew a checkout's holds only up to CHECKOUT_MAX_HOLD_MINUTES after its first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.api.inprocess import execute
from marketplace.checkout.models import Checkout
from marketplace.inventory.models import Reservation
from tests.api.checkout.documents import CREATE, EMAIL_UPDATE, LINES_ADD, VARIANT_AVAILABLE, line
from tests.builders.catalog import make_variant
from tests.support import codes, gid

pytestmark = pytest.mark.django_db


def available(api, variant) -> int:
    answer = api(VARIANT_AVAILABLE, {"id": gid("ProductVariant", variant.pk)})
    return answer["data"]["node"]["quantityAvailable"]


def test_one_checkout_cannot_hold_a_shelf_of_products(ir, api, create, seller_a):
    # The review's attack: one anonymous checkoutCreate with 100 lines of all the stock.
    variants = [make_variant(seller_a, quantity=40) for _ in range(100)]
    payload = create([line(v, 40) for v in variants])
    assert ("lines", "INVALID") in codes(payload)
    assert payload["checkout"] is None
    assert not Checkout.objects.exists() and not Reservation.objects.exists()
    assert available(api, variants[0]) == 40


def test_a_line_holds_at_most_the_line_limit(ir, create, call, seller_a, settings):
    settings.CHECKOUT_MAX_LINE_QUANTITY = 5
    variant = make_variant(seller_a, quantity=50)
    payload = create([line(variant, 6)])
    assert codes(payload) == [("lines.0.quantity", "INVALID")]
    assert payload["errors"][0]["message"] == "Enter a quantity from 1 to 5."
    checkout = create([line(variant, 5)])["checkout"]
    payload = call(LINES_ADD, checkout["id"], lines=[line(variant, 1)])
    assert codes(payload) == [("lines.0.quantity", "INVALID")]
    assert payload["errors"][0]["message"] == "At most 5 of one product per checkout."
    assert list(Reservation.objects.values_list("quantity", flat=True)) == [5]


def test_a_checkout_holds_at_most_the_units_limit(ir, create, call, seller_a, settings):
    settings.CHECKOUT_MAX_UNITS = 10
    first, second = make_variant(seller_a, quantity=50), make_variant(seller_a, quantity=50)
    payload = create([line(first, 6), line(second, 5)])
    assert codes(payload) == [("lines", "INVALID")]
    assert payload["errors"][0]["message"] == "A checkout holds at most 10 units in all."
    assert not Reservation.objects.exists()
    checkout = create([line(first, 6), line(second, 4)])["checkout"]
    assert codes(call(LINES_ADD, checkout["id"], lines=[line(second, 1)])) == [("lines", "INVALID")]
    assert sum(Reservation.objects.values_list("quantity", flat=True)) == 10


def anonymous_create(variant, client_address: str) -> dict:
    variables = {"input": {"lines": [line(variant, 1)], "email": "guest@example.com"}}
    body = execute(CREATE, variables, language="en", client_address=client_address)
    return body["data"]["checkoutCreate"]


def test_one_client_address_starts_a_bounded_number_of_anonymous_carts(
    ir, api, buyer, seller_a, settings
):
    settings.CHECKOUT_CREATE_PER_CLIENT = 2
    variant = make_variant(seller_a, quantity=50)
    assert anonymous_create(variant, "203.0.113.7")["errors"] == []
    assert anonymous_create(variant, "203.0.113.7")["errors"] == []
    refused = anonymous_create(variant, "203.0.113.7")
    assert codes(refused) == [(None, "THROTTLED")]
    assert refused["errors"][0]["message"] == (
        "Too many carts were started from your connection. Try again later."
    )
    assert Checkout.objects.count() == 2
    assert anonymous_create(variant, "203.0.113.8")["errors"] == []
    # A signed-in buyer's carts are theirs, one per channel: not counted per address.
    mine = api(CREATE, {"input": {"lines": [line(variant, 1)]}}, user=buyer)
    assert mine["data"]["checkoutCreate"]["errors"] == []


def test_writes_renew_holds_only_up_to_the_longest_hold(ir, api, create, call, seller_a, settings):
    settings.CHECKOUT_MAX_HOLD_MINUTES = 60
    variant, other = make_variant(seller_a, quantity=10), make_variant(seller_a, quantity=10)
    checkout = create([line(variant, 4)])["checkout"]
    row = Checkout.objects.get()
    assert row.holding_since is not None

    # 50 minutes after the first hold: renewed for 10 more minutes, not 15.
    since = timezone.now() - timedelta(minutes=50)
    Checkout.objects.update(holding_since=since)
    assert call(EMAIL_UPDATE, checkout["id"], email="a@example.com")["errors"] == []
    (until,) = Reservation.objects.values_list("reserved_until", flat=True)
    assert until == since + timedelta(minutes=60)
    assert available(api, variant) == 6

    # Past the longest hold, a write ends the holds rather than renewing them, and new
    # lines are kept unreserved: the stock is everyone's again.
    Checkout.objects.update(holding_since=timezone.now() - timedelta(minutes=61))
    assert call(EMAIL_UPDATE, checkout["id"], email="b@example.com")["errors"] == []
    assert available(api, variant) == 10
    payload = call(LINES_ADD, checkout["id"], lines=[line(other, 2)])
    assert payload["errors"] == []
    assert payload["checkout"]["quantity"] == 6
    assert available(api, other) == 10
    assert not Reservation.objects.filter(reserved_until__gt=timezone.now()).exists()


def test_an_empty_cart_starts_its_longest_hold_at_its_first_line(ir, create, call, seller_a):
    variant = make_variant(seller_a, quantity=10)
    checkout = create([])["checkout"]
    assert Checkout.objects.get().holding_since is None
    before = timezone.now()
    assert call(LINES_ADD, checkout["id"], lines=[line(variant, 1)])["errors"] == []
    assert Checkout.objects.get().holding_since >= before
    (until,) = Reservation.objects.values_list("reserved_until", flat=True)
    assert until > timezone.now() + timedelta(minutes=14)

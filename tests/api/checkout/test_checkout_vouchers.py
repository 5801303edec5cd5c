"""checkoutAddPromoCode and checkoutRemovePromoCode: percentage and fixed vouchers,
platform-wide or for one seller, and every reason a code is refused (VOUCHER_INVALID on
promoCode, with its own message, nothing changed)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.accounts.models import Address
from marketplace.checkout.models import Checkout
from marketplace.core.normalize import email_for_limits
from marketplace.discounts.models import VoucherUsage
from marketplace.orders.models import Order
from tests.api.checkout.documents import PROMO_ADD, PROMO_REMOVE, line
from tests.builders.catalog import make_variant
from tests.builders.discounts import make_voucher
from tests.support import codes


@pytest.fixture
def cart(ir, create, seller_a, independent):
    """10,000,000 rial of seller A's saffron and 2,000,000 of an independent's honey."""
    payload = create(
        [
            line(make_variant(seller_a, price=5_000_000), 2),
            line(make_variant(independent, price=1_000_000), 2),
        ]
    )
    return payload["checkout"]


def test_percentage_voucher(cart, call):
    voucher = make_voucher(code="NOROOZ1405", kind="PERCENTAGE", value=Decimal("12.5"))
    payload = call(PROMO_ADD, cart["id"], code="  norooz۱۴۰۵ ")
    assert payload["errors"] == []
    checkout = payload["checkout"]
    assert checkout["voucherCode"] == "NOROOZ1405"
    assert checkout["discount"] == {"amount": 1_500_000.0, "currency": "IRR"}
    assert checkout["totalPrice"]["gross"]["amount"] == 10_500_000.0
    assert Checkout.objects.get().voucher == voucher


def test_fixed_voucher_for_one_sellers_products(cart, call, independent):
    make_voucher(code="HONEY", kind="FIXED", value=Decimal(500_000), seller=independent)
    checkout = call(PROMO_ADD, cart["id"], code="HONEY")["checkout"]
    assert checkout["discount"]["amount"] == 500_000.0
    # Never more than the seller's lines are worth.
    make_voucher(code="BIGHONEY", kind="FIXED", value=Decimal(9_000_000), seller=independent)
    checkout = call(PROMO_ADD, cart["id"], code="BIGHONEY")["checkout"]
    assert checkout["discount"]["amount"] == 2_000_000.0
    assert checkout["totalPrice"]["gross"]["amount"] == 10_000_000.0


def test_remove_promo_code(cart, call):
    make_voucher(code="OFF10")
    call(PROMO_ADD, cart["id"], code="OFF10")
    payload = call(PROMO_REMOVE, cart["id"])
    assert payload["errors"] == []
    assert payload["checkout"]["voucherCode"] is None
    assert payload["checkout"]["discount"]["amount"] == 0.0
    assert Checkout.objects.get().voucher is None


def _used_by(voucher, *, user=None, email="guest@example.com", phone="+989351112233") -> None:
    """A past order that used the voucher, delivered to `phone`."""
    from marketplace.channels.models import Channel

    address = Address.objects.create(
        first_name="Sara",
        last_name="Ahmadi",
        phone=phone,
        country_area="خراسان رضوی",
        city="مشهد",
        street_address_1="خیابان امام رضا",
        postal_code="9177948974",
    )
    order = Order.objects.create(
        number=Order.objects.count() + 1000,
        user=user,
        email=email,
        channel=Channel.objects.get(slug="ir"),
        status="CONFIRMED",
        shipping_address=address,
        currency="IRR",
        subtotal=Decimal(1),
        shipping_price=Decimal(0),
        total=Decimal(1),
    )
    VoucherUsage.objects.create(
        voucher=voucher,
        order=order,
        user=user,
        email=email,
        email_key=email_for_limits(email),
        phone=phone,
    )


def test_every_refusal_has_its_reason_and_changes_nothing(cart, call, seller_b, intl):
    now = timezone.now()
    make_voucher(code="OLD", valid_until=now - timedelta(days=1))
    make_voucher(code="SOON", valid_from=now + timedelta(days=1))
    make_voucher(code="OFF", is_active=False)
    make_voucher(code="GONE", usage_limit=5, used=5)
    make_voucher(code="USD", channel="intl")
    make_voucher(code="BIG", min_spend=Decimal(20_000_000))
    make_voucher(code="OTHER", seller=seller_b)
    once = make_voucher(code="ONCE", per_buyer_limit=1)
    _used_by(once, email="GUEST@example.com")
    refusals = {
        "": ("REQUIRED", "This field is required."),
        "NOPE": ("VOUCHER_INVALID", "This promo code does not exist."),
        "X" * 500: ("VOUCHER_INVALID", "This promo code does not exist."),
        "OLD": ("VOUCHER_INVALID", "This promo code has expired."),
        "SOON": ("VOUCHER_INVALID", "This promo code is not valid yet."),
        "OFF": ("VOUCHER_INVALID", "This promo code is not active."),
        "GONE": ("VOUCHER_INVALID", "This promo code has been used up."),
        "USD": ("VOUCHER_INVALID", "This promo code cannot be used in this shop."),
        "BIG": ("VOUCHER_INVALID", "Spend at least 20,000,000 IRR to use this promo code."),
        "OTHER": (
            "VOUCHER_INVALID",
            "This promo code applies only to another seller's products.",
        ),
        "ONCE": (
            "VOUCHER_INVALID",
            "You have already used this promo code as many times as allowed.",
        ),
    }
    for code, (error, message) in refusals.items():
        payload = call(PROMO_ADD, cart["id"], code=code)
        assert payload["errors"] == [{"field": "promoCode", "code": error, "message": message}]
        assert payload["checkout"] is None
        assert Checkout.objects.get().voucher is None


def test_per_buyer_limit_counts_a_signed_in_buyers_orders(ir, create, call, buyer, seller_a):
    voucher = make_voucher(code="ONCE", per_buyer_limit=1)
    checkout = create([line(make_variant(seller_a), 1)], user=buyer)["checkout"]
    # Another buyer's use does not count against this one.
    _used_by(voucher, email="someone@example.com")
    assert call(PROMO_ADD, checkout["id"], user=buyer, code="ONCE")["errors"] == []
    _used_by(voucher, user=buyer, email=buyer.email)
    refused = call(PROMO_ADD, checkout["id"], user=buyer, code="ONCE")
    assert codes(refused) == [("promoCode", "VOUCHER_INVALID")]


def test_a_voucher_stops_discounting_when_the_cart_drops_below_its_minimum(cart, call):
    from tests.api.checkout.documents import LINES_UPDATE

    make_voucher(code="MIN", kind="FIXED", value=Decimal(1_000_000), min_spend=Decimal(11_500_000))
    assert call(PROMO_ADD, cart["id"], code="MIN")["checkout"]["discount"]["amount"] == 1_000_000.0
    variant = cart["lines"][1]["variant"]["id"]
    payload = call(LINES_UPDATE, cart["id"], lines=[{"variantId": variant, "quantity": 1}])
    # The code stays on the checkout; it discounts again if the cart grows back.
    assert payload["checkout"]["voucherCode"] == "MIN"
    assert payload["checkout"]["discount"]["amount"] == 0.0

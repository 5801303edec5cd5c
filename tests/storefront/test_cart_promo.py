# ruff: noqa: F811 - pytest fixtures are imported by name
"""Promo codes in the cart: applied with the discount shown, refused with the reason
next to the field, removed."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from marketplace.checkout.models import Checkout
from tests.builders.catalog import make_variant
from tests.builders.discounts import make_voucher
from tests.storefront.shopping import add, cart_page, shopper, text  # noqa: F401


def test_apply_and_remove_a_promo_code(seeded, shopper, seller_a):
    add(shopper, make_variant(seller_a, price=2_000_000), 2)
    voucher = make_voucher(value=Decimal(10))
    response = shopper.post(reverse("cart:promo"), {"code": voucher.code.lower()})
    assert response.status_code == 302
    page = cart_page(shopper)
    assert page.context["checkout"]["discount"]["amount"] == 400_000
    # 400,000 rial = 40,000 toman off, shown in the summary.
    assert "40,000 toman" in text(page)
    assert Checkout.objects.get().voucher == voucher

    shopper.post(reverse("cart:promo_remove"))
    assert Checkout.objects.get().voucher is None
    assert cart_page(shopper).context["checkout"]["discount"]["amount"] == 0


def test_refused_codes_say_why_next_to_the_field(seeded, shopper, seller_a):
    add(shopper, make_variant(seller_a))
    expired = make_voucher(valid_until=timezone.now() - timedelta(days=1))
    for code in ("NO-SUCH-CODE", expired.code):
        response = shopper.post(reverse("cart:promo"), {"code": code})
        assert response.status_code == 200
        body = response.content.decode()
        assert 'id="promo-code-error"' in body and 'aria-invalid="true"' in body
        assert f'value="{code}"' in body
    assert Checkout.objects.get().voucher is None
    empty = shopper.post(reverse("cart:promo"), {"code": "  "})
    assert 'id="promo-code-error"' in empty.content.decode()

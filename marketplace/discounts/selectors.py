"""Reads about vouchers: finding one by the code a buyer typed, and why it cannot be used
on a given checkout (each reason with its own message, so the buyer knows what to do)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.channels import money
from marketplace.core.normalize import normalize_digits
from marketplace.discounts.models import Voucher, VoucherUsage

if TYPE_CHECKING:
    from marketplace.checkout.info import LineInfo
    from marketplace.checkout.models import Checkout

ZERO = Decimal(0)
MAX_CODE_LENGTH = 40


def clean_code(value: str | None) -> str:
    """A code as typed on a phone: surrounding spaces and Persian or Arabic digits are
    forgiven; the lookup ignores letter case."""
    return normalize_digits((value or "").strip())


def voucher_by_code(code: str) -> Voucher | None:
    code = clean_code(code)
    if not code or len(code) > MAX_CODE_LENGTH:
        return None
    return Voucher.objects.filter(code__iexact=code).first()


def eligible_lines(voucher: Voucher, lines: Iterable[LineInfo]) -> list[LineInfo]:
    """The lines a voucher discounts: sellable ones, and only its seller's when it has one
    (the same rule as checkout.info.voucher_discount)."""
    return [
        line
        for line in lines
        if line.is_sellable and (voucher.seller_id is None or line.seller.pk == voucher.seller_id)
    ]


def eligible_subtotal(voucher: Voucher, lines: Iterable[LineInfo]) -> Decimal:
    return sum((line.total for line in eligible_lines(voucher, lines)), ZERO)


def uses_by_buyer(voucher: Voucher, *, user_id: int | None, email: str) -> int:
    """Orders that used the voucher: a signed-in buyer's by account, a guest's by email."""
    if user_id is not None:
        mine = Q(user_id=user_id)
    elif email:
        mine = Q(email__iexact=email)
    else:
        return 0
    return VoucherUsage.objects.filter(mine, voucher=voucher).count()


def voucher_problem(
    voucher: Voucher | None,
    *,
    checkout: Checkout,
    lines: Iterable[LineInfo],
    now: datetime | None = None,
) -> object | None:
    """Why `voucher` cannot be used on `checkout` now (a translatable message), or None.
    Cheap checks first: the per-buyer count is the only query."""
    if voucher is None:
        return _("This promo code does not exist.")
    if not voucher.is_active:
        return _("This promo code is not active.")
    if voucher.channel_id != checkout.channel_id:
        return _("This promo code cannot be used in this shop.")
    now = now or timezone.now()
    if voucher.valid_from is not None and now < voucher.valid_from:
        return _("This promo code is not valid yet.")
    if voucher.valid_until is not None and now > voucher.valid_until:
        return _("This promo code has expired.")
    if voucher.usage_limit is not None and voucher.used >= voucher.usage_limit:
        return _("This promo code has been used up.")
    lines = list(lines)
    eligible = eligible_lines(voucher, lines)
    if not eligible:
        if voucher.seller_id is not None:
            return _("This promo code applies only to another seller's products.")
        return _("Add something to the cart before using a promo code.")
    subtotal = sum((line.total for line in eligible), ZERO)
    if voucher.min_spend is not None and subtotal < voucher.min_spend:
        currency = checkout.channel.currency_code
        return _("Spend at least %(amount)s %(currency)s to use this promo code.") % {
            "amount": f"{money.quantize(voucher.min_spend, currency):,}",
            "currency": currency,
        }
    if voucher.per_buyer_limit is not None:
        used = uses_by_buyer(voucher, user_id=checkout.user_id, email=checkout.email)
        if used >= voucher.per_buyer_limit:
            return _("You have already used this promo code as many times as allowed.")
    return None

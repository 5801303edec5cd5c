"""Reads about vouchers: finding one by the code a buyer typed, why it cannot be used on
a given checkout (each reason with its own message, so the buyer knows what to do), and
the discount it gives. The rule is written once, here: `voucher_problem` when a buyer
applies a code, `discount_now` whenever a checkout's total is computed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.channels import money
from marketplace.core.normalize import email_for_limits, normalize_digits
from marketplace.discounts.models import Voucher, VoucherKind, VoucherUsage

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
    """The lines a voucher discounts: sellable ones, and only its seller's when it has one."""
    return [
        line
        for line in lines
        if line.is_sellable and (voucher.seller_id is None or line.seller.pk == voucher.seller_id)
    ]


def eligible_subtotal(voucher: Voucher, lines: Iterable[LineInfo]) -> Decimal:
    return sum((line.total for line in eligible_lines(voucher, lines)), ZERO)


def _terms_problem(voucher: Voucher, *, channel_id: int, now: datetime) -> object | None:
    """Why the voucher's own terms rule it out: inactive, another shop, out of its dates."""
    if not voucher.is_active:
        return _("This promo code is not active.")
    if voucher.channel_id != channel_id:
        return _("This promo code cannot be used in this shop.")
    if voucher.valid_from is not None and now < voucher.valid_from:
        return _("This promo code is not valid yet.")
    if voucher.valid_until is not None and now > voucher.valid_until:
        return _("This promo code has expired.")
    return None


def _below_min_spend(voucher: Voucher, subtotal: Decimal) -> bool:
    return voucher.min_spend is not None and subtotal < voucher.min_spend


def discount_now(
    voucher: Voucher | None,
    *,
    channel_id: int,
    lines: Iterable[LineInfo],
    currency: str,
    now: datetime | None = None,
) -> Decimal:
    """The discount `voucher` gives these lines now: 0 when its terms rule it out or its
    lines do not reach its minimum spend (the limits on uses are checked when the code
    is applied and when the order is placed, not here)."""
    if voucher is None or _terms_problem(voucher, channel_id=channel_id, now=now or timezone.now()):
        return ZERO
    eligible = eligible_subtotal(voucher, lines)
    if eligible <= 0 or _below_min_spend(voucher, eligible):
        return ZERO
    if voucher.kind == VoucherKind.PERCENTAGE:
        amount = eligible * voucher.value / Decimal(100)
    else:
        amount = voucher.value
    return money.quantize(min(amount, eligible), currency)


def uses_by_buyer(
    voucher: Voucher, *, user_id: int | None, emails: Iterable[str], phones: Iterable[str]
) -> int:
    """Orders that used the voucher by this buyer: by the account, by any of the emails
    (however tagged or dotted, email_for_limits) or by any of the mobile numbers, so that
    neither a new guest address nor signing out gets the buyer another use."""
    mine = Q(user_id=user_id) if user_id is not None else Q()
    keys = {email_for_limits(email) for email in emails} - {""}
    if keys:
        # Also the uses of an account with this email, made with another address.
        mine |= Q(email_key__in=keys) | Q(user__email__in=keys)
    numbers = {phone for phone in phones if phone}
    if numbers:
        mine |= Q(phone__in=numbers) | Q(user__phone__in=numbers)
    if not mine:
        return 0
    return VoucherUsage.objects.filter(mine, voucher=voucher).count()


def buyer_identities(
    *, user, email: str, address_phone: str | None
) -> dict[str, int | list[str] | None]:
    """The keyword arguments of `uses_by_buyer` for a checkout's or an order's buyer: the
    account with its own email and mobile, the email given and the delivery mobile."""
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    return {
        "user_id": user.pk if signed_in else None,
        "emails": [email, *([user.email or ""] if signed_in else [])],
        "phones": [address_phone or "", *([user.phone or ""] if signed_in else [])],
    }


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
    problem = _terms_problem(voucher, channel_id=checkout.channel_id, now=now or timezone.now())
    if problem is not None:
        return problem
    if voucher.usage_limit is not None and voucher.used >= voucher.usage_limit:
        return _("This promo code has been used up.")
    lines = list(lines)
    eligible = eligible_lines(voucher, lines)
    if not eligible:
        if voucher.seller_id is not None:
            return _("This promo code applies only to another seller's products.")
        return _("Add something to the cart before using a promo code.")
    subtotal = sum((line.total for line in eligible), ZERO)
    if _below_min_spend(voucher, subtotal):
        currency = checkout.channel.currency_code
        return _("Spend at least %(amount)s %(currency)s to use this promo code.") % {
            "amount": f"{money.quantize(voucher.min_spend, currency):,}",
            "currency": currency,
        }
    if voucher.per_buyer_limit is not None:
        address = checkout.shipping_address if checkout.shipping_address_id else None
        buyer = buyer_identities(
            user=checkout.user if checkout.user_id else None,
            email=checkout.email,
            address_phone=address.phone if address is not None else None,
        )
        used = uses_by_buyer(voucher, **buyer)
        if used >= voucher.per_buyer_limit:
            return _("You have already used this promo code as many times as allowed.")
    return None

"""Writes to vouchers. Platform staff create them (here or in the admin, which applies the
same rules through `clean_voucher`); buyers only use them, through the checkout and the
order placement."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from marketplace.channels import money
from marketplace.channels.models import Channel
from marketplace.core.errors import DomainError, ErrorCode, ErrorCollector
from marketplace.discounts.models import Voucher, VoucherKind
from marketplace.discounts.selectors import MAX_CODE_LENGTH, clean_code
from marketplace.sellers import permissions as seller_permissions
from marketplace.sellers.models import Seller

# Letters (any script), digits, hyphens and underscores: easy to read out and to type.
CODE_PATTERN = re.compile(r"^[\w-]+$")
MANAGE_PERMISSION = "discounts.add_voucher"


@dataclass
class VoucherFields:
    code: str
    kind: str
    value: Decimal
    channel: Channel
    seller: Seller | None = None
    min_spend: Decimal | None = None
    usage_limit: int | None = None
    per_buyer_limit: int | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    is_active: bool = True


def _positive_money(
    value: Decimal | None, currency: str, field: str, errors: ErrorCollector
) -> Decimal | None:
    if value is None:
        return None
    amount = money.parse_price(value, currency)
    if amount is None:
        errors.add(ErrorCode.INVALID, field, _("Enter a positive amount."))
    return amount


def _percentage(value: Decimal | float | None) -> Decimal | None:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None
    return amount if Decimal(0) < amount <= Decimal(100) else None


def clean_voucher(fields: VoucherFields, *, instance: Voucher | None = None) -> VoucherFields:
    """The fields checked and normalised; every problem reported at once."""
    errors = ErrorCollector()
    code = clean_code(fields.code)
    if not code:
        errors.add(ErrorCode.REQUIRED, "code")
    elif len(code) > MAX_CODE_LENGTH or not CODE_PATTERN.match(code):
        errors.add(
            ErrorCode.INVALID,
            "code",
            _("Use up to 40 letters, digits, hyphens or underscores."),
        )
    else:
        taken = Voucher.objects.filter(code__iexact=code)
        if instance is not None and instance.pk:
            taken = taken.exclude(pk=instance.pk)
        if taken.exists():
            errors.add(ErrorCode.UNIQUE, "code")
    currency = fields.channel.currency_code
    if fields.kind not in VoucherKind.values:
        errors.add(ErrorCode.INVALID, "kind")
        value = None
    elif fields.kind == VoucherKind.PERCENTAGE:
        value = _percentage(fields.value)
        if value is None:
            errors.add(ErrorCode.INVALID, "value", _("A percentage is from 0 to 100."))
    else:
        value = _positive_money(fields.value, currency, "value", errors)
        if value is None and fields.value is None:
            errors.add(ErrorCode.REQUIRED, "value")
    min_spend = _positive_money(fields.min_spend, currency, "min_spend", errors)
    for name, limit in (
        ("usage_limit", fields.usage_limit),
        ("per_buyer_limit", fields.per_buyer_limit),
    ):
        if limit is not None and limit < 1:
            errors.add(ErrorCode.INVALID, name, _("Enter at least 1, or nothing for no limit."))
    if (
        instance is not None
        and fields.usage_limit is not None
        and fields.usage_limit < instance.used
    ):
        errors.add(
            ErrorCode.INVALID,
            "usage_limit",
            _("It has been used %(n)d times already.") % {"n": instance.used},
        )
    if fields.valid_from and fields.valid_until and fields.valid_from >= fields.valid_until:
        errors.add(ErrorCode.INVALID, "valid_until", _("The end must come after the start."))
    errors.raise_if_any()
    fields.code = code
    fields.value = Decimal(value)
    fields.min_spend = min_spend
    return fields


@transaction.atomic
def create_voucher(*, actor, fields: VoucherFields) -> Voucher:
    """A new promo code; platform staff allowed to add vouchers only."""
    if not seller_permissions.has_platform_perm(actor, MANAGE_PERMISSION):
        raise DomainError.of(ErrorCode.PERMISSION_DENIED)
    cleaned = clean_voucher(fields)
    return Voucher.objects.create(
        code=cleaned.code,
        kind=cleaned.kind,
        value=cleaned.value,
        channel=cleaned.channel,
        seller=cleaned.seller,
        min_spend=cleaned.min_spend,
        usage_limit=cleaned.usage_limit,
        per_buyer_limit=cleaned.per_buyer_limit,
        valid_from=cleaned.valid_from,
        valid_until=cleaned.valid_until,
        is_active=cleaned.is_active,
    )


@transaction.atomic
def deactivate_voucher(*, actor, voucher: Voucher) -> Voucher:
    """Stop a code from being used from now on; orders that used it keep their discount.
    Checkouts holding it lose the discount at once (it is computed, not stored)."""
    if not seller_permissions.has_platform_perm(actor, "discounts.change_voucher"):
        raise DomainError.of(ErrorCode.PERMISSION_DENIED)
    Voucher.objects.filter(pk=voucher.pk).update(is_active=False)
    voucher.is_active = False
    return voucher

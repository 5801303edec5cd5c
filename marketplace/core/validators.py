"""Input checks shared by every domain. Each returns the cleaned value or raises DomainError."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from marketplace.core.errors import DomainError, ErrorCode
from marketplace.core.normalize import multi_line, normalize_digits, single_line


def clean_text(
    value: str | None,
    *,
    field: str,
    max_length: int,
    required: bool = False,
    multiline: bool = False,
) -> str:
    """Text as stored: one line (names, labels) unless `multiline` (descriptions), with
    no bidi or control characters; only invisible characters count as empty."""
    value = (multi_line if multiline else single_line)(value or "")
    if required and not value:
        raise DomainError.of(ErrorCode.REQUIRED, field)
    if len(value) > max_length:
        raise DomainError.of(
            ErrorCode.TOO_LONG,
            field,
            _("At most %(limit)d characters are allowed.") % {"limit": max_length},
        )
    return value


def clean_email(value: str | None, *, field: str = "email", required: bool = True) -> str:
    value = normalize_digits((value or "").strip())
    if not value:
        if required:
            raise DomainError.of(ErrorCode.REQUIRED, field)
        return ""
    if len(value) > 254:
        raise DomainError.of(ErrorCode.TOO_LONG, field)
    try:
        validate_email(value)
    except ValidationError:
        raise DomainError.of(ErrorCode.INVALID, field, _("Enter a valid email address.")) from None
    local, _at, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def clean_mobile(value: str | None, *, field: str = "phone", required: bool = True) -> str:
    """A mobile number in E.164 (+98912…); Persian or Arabic digits are accepted."""
    value = normalize_digits((value or "").strip())
    if not value:
        if required:
            raise DomainError.of(ErrorCode.REQUIRED, field)
        return ""
    invalid = DomainError.of(ErrorCode.INVALID, field, _("Enter a valid mobile number."))
    if len(value) > 32:
        raise invalid
    try:
        number = phonenumbers.parse(value, settings.DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException:
        raise invalid from None
    number_type = phonenumbers.number_type(number)
    mobile_types = {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }
    if not phonenumbers.is_valid_number(number) or number_type not in mobile_types:
        raise invalid
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_iban(value: str | None, *, field: str, required: bool = False) -> str:
    """A Sheba (Iranian IBAN) or any IBAN, checked with its mod-97 checksum."""
    value = normalize_digits((value or "").strip()).replace(" ", "").replace("-", "").upper()
    if not value:
        if required:
            raise DomainError.of(ErrorCode.REQUIRED, field)
        return ""
    if len(value) > 34:
        raise DomainError.of(ErrorCode.INVALID, field, _("Enter a valid Sheba (IBAN) number."))
    if value.isdigit():
        value = "IR" + value
    try:
        return IBAN(value).compact
    except SchwiftyException:
        raise DomainError.of(
            ErrorCode.INVALID, field, _("Enter a valid Sheba (IBAN) number.")
        ) from None


def clean_slug(value: str | None, *, field: str = "slug", fallback: str = "") -> str:
    raw = (value or "").strip()
    if len(raw) > 100:
        raise DomainError.of(ErrorCode.TOO_LONG, field)
    slug = slugify(raw or fallback, allow_unicode=True)[:100].strip("-")
    if raw and not slug:
        raise DomainError.of(ErrorCode.INVALID, field)
    return slug


def clean_rate(value: float | Decimal | None, *, field: str, default: Decimal) -> Decimal:
    if value is None:
        return default
    try:
        rate = Decimal(str(value)).quantize(Decimal("0.0001"))
    except (InvalidOperation, ValueError):
        raise DomainError.of(ErrorCode.INVALID, field) from None
    if not rate.is_finite() or rate < 0 or rate >= 1:
        raise DomainError.of(
            ErrorCode.INVALID, field, _("Enter a share between 0 and 1, for example 0.05.")
        )
    return rate


def unique_slug(model, base: str, *, fallback: str, max_length: int = 100) -> str:
    """`base` (or `fallback`), with -2, -3… appended until no `model` row has it."""
    base = (base or fallback)[:max_length]
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        suffix = f"-{n}"
        slug = f"{base[: max_length - len(suffix)]}{suffix}"
        n += 1
    return slug

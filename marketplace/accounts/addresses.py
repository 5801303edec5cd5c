"""Postal addresses: validation of address input and the buyer's saved addresses.

Iranian addresses come first (one of the 31 provinces, a 10-digit postal code, an Iranian
mobile); other countries follow the basic rules the `intl` channel needs. Persian and
Arabic digits are accepted everywhere: read as numbers in phones and postal codes, kept as
typed in free text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import phonenumbers
import pycountry
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import Address, User
from marketplace.core.errors import DomainError, ErrorCode, ErrorCollector, permission_denied
from marketplace.core.normalize import normalize_digits, normalize_text
from marketplace.core.validators import clean_mobile, clean_text
from marketplace.locations.models import Province

IRAN = "IR"
MAX_SAVED_ADDRESSES = 20
IR_POSTAL_CODE = re.compile(r"^\d{10}$")
# Other countries: letters, digits, spaces and hyphens, with 3 to 12 letters or digits.
FOREIGN_POSTAL_CODE = re.compile(r"^[A-Z0-9][A-Z0-9 -]*$")
# Words people add around a province's name that do not identify it.
_PROVINCE_NOISE = {"استان", "province", "ostan", "ostan-e", "e", "and", "و"}

# Address field → (maximum length, required for every country).
_TEXT_FIELDS = {
    "first_name": (150, True),
    "last_name": (150, True),
    "city": (100, True),
    "street_address_1": (300, True),
    "street_address_2": (300, False),
}
ADDRESS_FIELDS = (
    "first_name",
    "last_name",
    "phone",
    "country",
    "country_area",
    "province",
    "city",
    "street_address_1",
    "street_address_2",
    "postal_code",
)


def _squash(value: str) -> str:
    return normalize_text(value).replace(" ", "").replace("-", "")


def _words(value: str) -> str:
    words = normalize_text(value).replace("-", " ").split()
    return " ".join(sorted(w for w in words if w not in _PROVINCE_NOISE))


def _keys(value: str) -> tuple[str, str, str]:
    return _squash(value), _words(value), _squash(_words(value))


# A province name's forms, compared with what was typed: names rarely change, and each
# address would otherwise normalise all 31 of them again.
_name_keys = lru_cache(maxsize=256)(_keys)


def find_province(value: str, *, country: str = IRAN) -> Province | None:
    """The province named by its Persian or English name or ISO code (IR-09), whatever mix
    of Arabic or Persian letters, half-spaces or word order ("Khorasan Razavi") was typed."""
    text = normalize_text(value or "")
    if not text:
        return None
    wanted_code = text.upper()
    if wanted_code.isdigit():
        wanted_code = f"{country}-{wanted_code.zfill(2)}"
    squashed, words, stripped = _keys(value)
    fields = ("id", "country", "code", "name", "name_en")
    provinces = Province.objects.filter(country=country)
    for row in provinces.values_list(*fields):
        code, name, name_en = row[2:]
        if code.upper() == wanted_code or any(
            name and _matches(_name_keys(name), squashed, words, stripped)
            for name in (name, name_en)
        ):
            return Province.from_db(provinces.db, fields, row)
    return None


def _matches(keys: tuple[str, str, str], squashed: str, words: str, stripped: str) -> bool:
    name_squashed, name_words, name_stripped = keys
    return (
        squashed == name_squashed
        or bool(words and words == name_words)
        or bool(stripped and stripped == name_stripped)
    )


def _clean_country(value: str | None, errors: ErrorCollector, field: str) -> str | None:
    code = normalize_text(value or "").upper() or IRAN
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        errors.add(
            ErrorCode.INVALID, field, _("Enter a country as a two-letter ISO code, e.g. IR.")
        )
        return None
    return code


def _clean_foreign_mobile(value: str | None, *, country: str, field: str) -> str:
    """A mobile number valid in `country` (or any country, written with its + prefix)."""
    value = normalize_digits((value or "").strip())
    if not value:
        raise DomainError.of(ErrorCode.REQUIRED, field)
    invalid = DomainError.of(ErrorCode.INVALID, field, _("Enter a valid mobile number."))
    if len(value) > 32:
        raise invalid
    try:
        number = phonenumbers.parse(value, country)
    except phonenumbers.NumberParseException:
        raise invalid from None
    mobile_types = {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }
    if not phonenumbers.is_valid_number(number) or (
        phonenumbers.number_type(number) not in mobile_types
    ):
        raise invalid
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _clean_postal_code(value: str | None, *, country: str, field: str) -> str:
    raw = normalize_digits((value or "").strip()).upper()
    if not raw:
        raise DomainError.of(ErrorCode.REQUIRED, field)
    if country == IRAN:
        # People write 91775-12345 or with spaces; only digits are stored.
        compact = re.sub(r"[\s\-]", "", raw)
        if not IR_POSTAL_CODE.match(compact):
            raise DomainError.of(
                ErrorCode.INVALID, field, _("An Iranian postal code has exactly 10 digits.")
            )
        return compact
    compact = re.sub(r"\s+", " ", raw)
    alphanumerics = sum(ch.isalnum() for ch in compact)
    if not FOREIGN_POSTAL_CODE.match(compact) or not 3 <= alphanumerics <= 12:
        raise DomainError.of(
            ErrorCode.INVALID, field, _("Enter a postal code of 3 to 12 letters or digits.")
        )
    return compact


def clean_address(data: Mapping[str, Any], *, field_prefix: str = "shipping_address") -> Address:
    """Validate address input (keyed by the Address fields: first_name, country_area,
    postal_code…) and return an unsaved Address without a user.

    Every problem is reported at once, as one DomainError. Each error's field is the
    Address field under `field_prefix`, joined by a dot: with the default prefix a bad
    postal code is reported on "shipping_address.postal_code"; with an empty prefix on
    "postal_code".

    Iran (the default country): country_area names one of the 31 provinces (Persian or
    English name or ISO code; stored as the canonical Persian name, with the province
    row), the postal code has exactly 10 digits and the phone is a mobile number (read
    as Iranian unless it starts with another country's prefix).
    Other countries: country_area and city are required, the postal code has 3 to 12
    letters or digits and the phone is a mobile number valid in that country.
    """

    def name(attribute: str) -> str:
        return f"{field_prefix}.{attribute}" if field_prefix else attribute

    errors = ErrorCollector()
    cleaned: dict[str, Any] = {}
    for attribute, (limit, required) in _TEXT_FIELDS.items():
        try:
            cleaned[attribute] = clean_text(
                normalize_text_spacing(data.get(attribute)),
                field=name(attribute),
                max_length=limit,
                required=required,
            )
        except DomainError as exc:
            errors.extend(exc)

    country = _clean_country(data.get("country"), errors, name("country"))
    area = normalize_text_spacing(data.get("country_area"))
    province = None
    if not area:
        errors.add(ErrorCode.REQUIRED, name("country_area"))
    elif len(area) > 100:
        errors.add(ErrorCode.TOO_LONG, name("country_area"))
    elif country == IRAN:
        province = find_province(area)
        if province is None:
            errors.add(
                ErrorCode.INVALID,
                name("country_area"),
                _("Choose one of the provinces of Iran."),
            )
        else:
            area = province.name

    phone_value = data.get("phone")
    postal_value = data.get("postal_code")
    if country is not None:
        try:
            if country == IRAN:
                cleaned["phone"] = clean_mobile(phone_value, field=name("phone"))
            else:
                cleaned["phone"] = _clean_foreign_mobile(
                    phone_value, country=country, field=name("phone")
                )
        except DomainError as exc:
            errors.extend(exc)
        try:
            cleaned["postal_code"] = _clean_postal_code(
                postal_value, country=country, field=name("postal_code")
            )
        except DomainError as exc:
            errors.extend(exc)
    errors.raise_if_any()
    return Address(country=country, country_area=area, province=province, **cleaned)


def normalize_text_spacing(value: Any) -> str:
    """Trimmed text with runs of spaces (and half-spaces at the ends) collapsed; letters
    and digits are kept as typed so the address prints the way the buyer wrote it
    («پلاک ۱۲» stays «پلاک ۱۲»; search normalises its own copy)."""
    if value is None:
        return ""
    text = str(value).strip().strip("\u200c").strip()
    return re.sub(r"[ \t\r\n]+", " ", text)


def copy_address(address: Address, *, user: User | None = None) -> Address:
    """An unsaved copy (for a checkout or an order, or to save one for a user)."""
    return Address(user=user, **{f: getattr(address, f) for f in ADDRESS_FIELDS})


# ---------- saved addresses


def _require_owner(user: User, address: Address) -> None:
    if not _is_signed_in(user) or address.user_id is None or address.user_id != user.pk:
        raise permission_denied("id")


def _is_signed_in(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def saved_addresses(user: User | None) -> list[Address]:
    """The user's saved addresses, the default one first."""
    if not _is_signed_in(user):
        return []
    return list(
        Address.objects.filter(user_id=user.pk)
        .select_related("province")
        .order_by("-is_default", "id")
    )


@transaction.atomic
def create_address(
    *,
    user: User,
    data: Mapping[str, Any],
    set_default: bool = False,
    field_prefix: str = "input",
) -> Address:
    """Save an address for the user; the first one becomes the default."""
    if not _is_signed_in(user):
        raise permission_denied()
    # Lock the user row: two concurrent requests cannot both pass the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    count = Address.objects.filter(user_id=user.pk).count()
    if count >= MAX_SAVED_ADDRESSES:
        raise DomainError.of(
            ErrorCode.INVALID,
            None,
            _("At most %(limit)d addresses can be saved.") % {"limit": MAX_SAVED_ADDRESSES},
        )
    address = clean_address(data, field_prefix=field_prefix)
    address.user = user
    make_default = set_default or count == 0
    if make_default:
        Address.objects.filter(user_id=user.pk, is_default=True).update(is_default=False)
    address.is_default = make_default
    address.save()
    return address


@transaction.atomic
def update_address(
    *,
    user: User,
    address: Address,
    data: Mapping[str, Any],
    field_prefix: str = "input",
) -> Address:
    """Replace a saved address's fields with new, validated ones."""
    _require_owner(user, address)
    cleaned = clean_address(data, field_prefix=field_prefix)
    for name in ADDRESS_FIELDS:
        setattr(address, name, getattr(cleaned, name))
    address.save(update_fields=list(ADDRESS_FIELDS))
    return address


@transaction.atomic
def delete_address(*, user: User, address: Address) -> None:
    """Delete a saved address; when it was the default, the oldest remaining one
    becomes the default. Checkouts and orders keep their own copies."""
    _require_owner(user, address)
    was_default = address.is_default
    address.delete()
    if was_default:
        successor = Address.objects.filter(user_id=user.pk).order_by("id").first()
        if successor is not None:
            successor.is_default = True
            successor.save(update_fields=["is_default"])


@transaction.atomic
def set_default_address(*, user: User, address: Address) -> Address:
    _require_owner(user, address)
    # Clear the old default first: the one-default constraint is checked per statement.
    Address.objects.filter(user_id=user.pk, is_default=True).exclude(pk=address.pk).update(
        is_default=False
    )
    if not address.is_default:
        address.is_default = True
        address.save(update_fields=["is_default"])
    return address

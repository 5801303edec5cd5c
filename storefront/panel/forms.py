"""The panel's forms: what a producer types on a phone (Persian or Arabic digits, toman
with separators) checked and turned into API input before anything is sent, and the
API's field errors mapped back onto the form's fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from storefront.client import FormErrors
from storefront.digits import latin_digits, plain_number, whole_number

RIALS_PER_TOMAN = 10
MAX_TOMAN = Decimal(10) ** 14
MAX_STOCK = 1_000_000
MAX_WEIGHT_KG = Decimal(10_000)


@dataclass
class Form:
    """Submitted values as typed (to show them again) and error messages by field."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def add(self, name: str | None, message: str) -> None:
        if name is None:
            self.general.append(message)
        else:
            self.errors.setdefault(name, []).append(message)

    def merge(self, api_errors: FormErrors, fields: dict[str, str]) -> None:
        """The API's errors on this form's fields (`fields`: API field → form field);
        others are shown above the form."""
        for item in api_errors.items:
            api_field = item.get("field") or ""
            name = fields.get(api_field) or fields.get(api_field.rsplit(".", 1)[-1])
            self.add(name, item.get("message") or item.get("code", ""))

    def __bool__(self) -> bool:
        return not (self.errors or self.general)

    @property
    def valid(self) -> bool:
        return bool(self)


def text(form: Form, data, name: str, *, required: bool = False, max_length: int = 250) -> str:
    value = (data.get(name) or "").strip()
    form.values[name] = value
    if required and not value:
        form.add(name, _("This field is required."))
    elif len(value) > max_length:
        form.add(name, _("At most %(n)d characters.") % {"n": max_length})
    return value


def price_in_rial(form: Form, data, name: str = "price") -> int | None:
    """A price typed in toman (any digits, with separators) as whole rials."""
    raw = (data.get(name) or "").strip()
    form.values[name] = raw
    if not raw:
        form.add(name, _("This field is required."))
        return None
    try:
        toman = Decimal(plain_number(raw))
    except InvalidOperation:
        toman = None
    if toman is None or not toman.is_finite() or toman != toman.to_integral_value():
        form.add(name, _("Enter the price in toman as a whole number."))
        return None
    if toman <= 0 or toman > MAX_TOMAN:
        form.add(name, _("Enter a price above zero."))
        return None
    return int(toman) * RIALS_PER_TOMAN


def quantity(form: Form, data, name: str = "stock") -> int | None:
    raw = (data.get(name) or "").strip()
    form.values[name] = raw
    # A blank field (or one of separators only) means none in stock.
    units = whole_number(raw) if plain_number(raw) else 0
    if units is None or units > MAX_STOCK:
        form.add(name, _("Enter a whole number of units from 0 to %(max)d.") % {"max": MAX_STOCK})
        return None
    return units


def weight_kg(form: Form, data, name: str = "weight") -> float | None:
    raw = (data.get(name) or "").strip()
    form.values[name] = raw
    if not raw:
        return None
    try:
        kilograms = Decimal(latin_digits(raw).replace("/", "."))
    except InvalidOperation:
        kilograms = None
    if kilograms is None or not kilograms.is_finite() or not 0 < kilograms <= MAX_WEIGHT_KG:
        form.add(name, _("Enter a weight in kilograms above zero."))
        return None
    return float(kilograms)


def choice(form: Form, data, name: str, allowed: set[str], *, required: bool = False) -> str:
    value = (data.get(name) or "").strip()
    form.values[name] = value
    if value and value not in allowed:
        form.add(name, _("Select a valid choice."))
        return ""
    if required and not value:
        form.add(name, _("This field is required."))
    return value

"""Form fields as the templates draw them (label, value, errors, input kind), filled from
what was posted and from the API's field errors; shared by the cart and account pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pycountry
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from storefront.client import FormErrors
from storefront.digits import latin_digits

MAX_INPUT = 500


@dataclass
class Field:
    name: str
    label: Any
    value: str = ""
    kind: str = "text"
    required: bool = True
    autocomplete: str = ""
    inputmode: str = ""
    hint: Any = ""
    options: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    prefix: str = "f"

    @property
    def id(self) -> str:
        return f"{self.prefix}-{self.name}"

    @property
    def is_select(self) -> bool:
        return self.kind == "select"


def posted(request, name: str) -> str:
    """A posted text value, trimmed and bounded; never raises on odd input."""
    value = request.POST.get(name, "")
    return value.strip()[:MAX_INPUT] if isinstance(value, str) else ""


def attach_errors(fields: list[Field], errors: FormErrors, *, prefix: str = "") -> list[str]:
    """Put each API error next to its field (the API names it `prefix.fieldName`); the
    messages no field takes are returned for the top of the form."""
    by_name = {f.name: f for f in fields}
    general: list[str] = []
    for item in errors.items:
        name = item.get("field") or ""
        if prefix and name.startswith(prefix + "."):
            name = name[len(prefix) + 1 :]
        target = by_name.get(name)
        if target is None:
            general.append(item["message"])
        else:
            target.errors.append(item["message"])
    return general


ADDRESS_NAMES = (
    "country",
    "firstName",
    "lastName",
    "phone",
    "countryArea",
    "city",
    "streetAddress1",
    "streetAddress2",
    "postalCode",
)


def _countries() -> list[tuple[str, str]]:
    found = sorted(
        ((c.alpha_2, c.name) for c in pycountry.countries if c.alpha_2 != "IR"),
        key=lambda pair: pair[1],
    )
    return [("", str(_("Choose a country"))), *found]


def address_fields(
    provinces: list[dict[str, str]],
    values: dict[str, str] | None = None,
    *,
    prefix: str = "a",
    foreign: bool = False,
) -> list[Field]:
    """The address form; `foreign` for the international channel (a country, and a free
    region instead of Iran's provinces)."""
    values = values or {}
    if foreign:
        return _foreign_address_fields(values, prefix)
    options = [("", str(_("Choose a province")))] + [(p["code"], p["name"]) for p in provinces]
    specs = [
        Field("firstName", _("First name"), autocomplete="given-name"),
        Field("lastName", _("Last name"), autocomplete="family-name"),
        Field(
            "phone",
            _("Mobile number"),
            kind="tel",
            autocomplete="tel",
            inputmode="tel",
            hint=_("For example 09121234567; Persian digits are fine."),
        ),
        Field("countryArea", _("Province"), kind="select", options=options),
        Field("city", _("City"), autocomplete="address-level2"),
        Field("streetAddress1", _("Street address"), autocomplete="address-line1"),
        Field(
            "streetAddress2",
            _("Unit, floor (optional)"),
            required=False,
            autocomplete="address-line2",
        ),
        Field(
            "postalCode",
            _("Postal code"),
            autocomplete="postal-code",
            inputmode="numeric",
            hint=_("10 digits, without a dash."),
        ),
    ]
    for spec in specs:
        spec.value = values.get(spec.name, "") or ""
        spec.prefix = prefix
    return specs


def _foreign_address_fields(values: dict[str, str], prefix: str) -> list[Field]:
    specs = [
        Field("country", _("Country"), kind="select", options=_countries()),
        Field("firstName", _("First name"), autocomplete="given-name"),
        Field("lastName", _("Last name"), autocomplete="family-name"),
        Field(
            "phone",
            _("Mobile number"),
            kind="tel",
            autocomplete="tel",
            inputmode="tel",
            hint=_("With the country code, for example +4915112345678."),
        ),
        Field("countryArea", _("State or region"), autocomplete="address-level1"),
        Field("city", _("City"), autocomplete="address-level2"),
        Field("streetAddress1", _("Street address"), autocomplete="address-line1"),
        Field(
            "streetAddress2",
            _("Unit, floor (optional)"),
            required=False,
            autocomplete="address-line2",
        ),
        Field("postalCode", _("Postal code"), autocomplete="postal-code"),
    ]
    for spec in specs:
        spec.value = values.get(spec.name, "") or ""
        spec.prefix = prefix
    return specs


def address_values(address: dict[str, Any] | None) -> dict[str, str]:
    """An API Address as form values (the province by its code)."""
    if not address:
        return {}
    values = {name: address.get(name) or "" for name in ADDRESS_NAMES}
    province = address.get("province") or {}
    values["countryArea"] = province.get("code") or values["countryArea"]
    return values


def same_address(one: dict[str, str], other: dict[str, str]) -> bool:
    """Whether two addresses' form values name the same place and person (digits and
    spacing as the API normalised them or as typed)."""

    def key(values: dict[str, str]) -> tuple[str, ...]:
        return tuple(
            " ".join(latin_digits(values.get(name) or "").split()) for name in ADDRESS_NAMES
        )

    return key(one) == key(other)


def posted_address(request) -> dict[str, str]:
    return {name: posted(request, name) for name in ADDRESS_NAMES}


def address_input(values: dict[str, str]) -> dict[str, str]:
    """The API's AddressInput; the API validates and normalises every field."""
    data = {name: values.get(name, "") for name in ADDRESS_NAMES}
    if not data["country"]:
        # Iran's forms have no country field: the API's default country.
        del data["country"]
    return data


def posted_int(request, name: str, default: int | None = None) -> int | None:
    """A posted whole number (Persian or Arabic digits too); `default` when absent, None
    when it is not a number."""
    text = latin_digits(posted(request, name))
    if not text:
        return default
    try:
        return int(text)
    except ValueError:
        return None


def next_url(request, default: str) -> str:
    """The posted (or asked) `next` when it points into this site, else `default`."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if isinstance(candidate, str) and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default

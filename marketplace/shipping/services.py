"""Writes to shipping: zones, delivery methods and their rates. Each function is one
transaction and checks who may act.

Who may act: platform methods belong to platform staff (Django permissions
shipping.add_deliverymethod / change_deliverymethod); a cooperative's methods to its
staff; a seller's to the seller's owner and their cooperative's staff, once the seller
is approved. Zones are shared by every owner's methods, so only platform staff add,
change or delete them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import pycountry
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import User
from marketplace.channels import money
from marketplace.channels.models import Channel
from marketplace.core.errors import DomainError, ErrorCode, ErrorCollector, permission_denied
from marketplace.core.normalize import normalize_digits
from marketplace.core.validators import clean_text
from marketplace.inventory.models import Warehouse
from marketplace.locations.models import Province
from marketplace.sellers import permissions as seller_permissions
from marketplace.sellers.models import Cooperative, Seller
from marketplace.shipping.models import DeliveryKind, DeliveryMethod, DeliveryRate, ShippingZone
from marketplace.shipping.selectors import can_manage_methods

MAX_RATES = 50
MAX_ZONES_PER_METHOD = 50
MAX_DAYS = 365
MAX_WEIGHT = Decimal("999999.999")
WEIGHT_QUANTUM = Decimal("0.001")


class _Keep:
    """Marks an update argument that was not given (None may mean "clear")."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()


@dataclass(frozen=True)
class RateInput:
    """One weight bracket in one channel; amounts in the channel currency's units."""

    channel: str
    price: float | str | Decimal
    max_weight: float | str | Decimal | None = None  # kilograms; None: any weight
    free_above: float | str | Decimal | None = None


def _decimal(value: Any) -> Decimal | None:
    try:
        number = Decimal(normalize_digits(str(value)).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


# ---------- zones


def _clean_countries(errors: ErrorCollector, countries: Sequence[str] | None) -> list[str]:
    cleaned: list[str] = []
    for i, value in enumerate(countries or []):
        code = (value or "").strip().upper()
        if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
            errors.add(
                ErrorCode.INVALID,
                f"countries.{i}",
                _("Enter a country as a two-letter ISO code, e.g. IR."),
            )
        elif code not in cleaned:
            cleaned.append(code)
    return sorted(cleaned)


def _zone_fields(
    errors: ErrorCollector,
    *,
    name: str | None,
    countries: Sequence[str] | None,
    provinces: Sequence[Province] | None,
    require_place: bool,
) -> tuple[str | None, list[str], list[Province]]:
    cleaned_name = errors.collect(clean_text, name, field="name", max_length=150, required=True)
    cleaned_countries = _clean_countries(errors, countries)
    unique_provinces = list({p.pk: p for p in provinces or []}.values())
    if require_place and not countries and not unique_provinces:
        errors.add(
            ErrorCode.REQUIRED, "provinces", _("Choose at least one province or one country.")
        )
    return cleaned_name, cleaned_countries, unique_provinces


@transaction.atomic
def create_zone(
    *,
    actor: User,
    name: str | None,
    countries: Sequence[str] | None = None,
    provinces: Sequence[Province] | None = None,
) -> ShippingZone:
    if not seller_permissions.has_platform_perm(actor, "shipping.add_shippingzone"):
        raise permission_denied()
    errors = ErrorCollector()
    name, countries, provinces = _zone_fields(
        errors, name=name, countries=countries, provinces=provinces, require_place=True
    )
    errors.raise_if_any()
    zone = ShippingZone.objects.create(name=name, countries=countries)
    zone.provinces.set(provinces)
    return zone


@transaction.atomic
def update_zone(
    *,
    actor: User,
    zone: ShippingZone,
    name: str | None = None,
    countries: Sequence[str] | None = None,
    provinces: Sequence[Province] | None = None,
) -> ShippingZone:
    """Change what is given (None: keep); lists replace the zone's places."""
    if not seller_permissions.has_platform_perm(actor, "shipping.change_shippingzone"):
        raise permission_denied()
    zone = ShippingZone.objects.select_for_update().get(pk=zone.pk)
    errors = ErrorCollector()
    new_name, new_countries, new_provinces = _zone_fields(
        errors,
        name=name if name is not None else zone.name,
        countries=countries if countries is not None else zone.countries,
        provinces=provinces if provinces is not None else list(zone.provinces.all()),
        require_place=True,
    )
    errors.raise_if_any()
    zone.name = new_name
    zone.countries = new_countries
    zone.save(update_fields=["name", "countries"])
    if provinces is not None:
        zone.provinces.set(new_provinces)
    return zone


@transaction.atomic
def delete_zone(*, actor: User, zone: ShippingZone) -> None:
    """Only a zone no active method uses; inactive methods simply lose it."""
    if not seller_permissions.has_platform_perm(actor, "shipping.delete_shippingzone"):
        raise permission_denied()
    if zone.methods.filter(is_active=True).exists():
        raise DomainError.of(
            ErrorCode.INVALID, "id", _("Active delivery methods still use this zone.")
        )
    zone.delete()


# ---------- methods


def _clean_owner(
    actor: User, cooperative: Cooperative | None, seller: Seller | None, perm: str
) -> None:
    if cooperative is not None and seller is not None:
        raise DomainError.of(
            ErrorCode.INVALID, "seller", _("A method belongs to a cooperative or a seller.")
        )
    if not can_manage_methods(actor, cooperative=cooperative, seller=seller, perm=perm):
        field = "cooperative" if cooperative else "seller" if seller else None
        raise permission_denied(field)


def _clean_kind(errors: ErrorCollector, kind: str | None) -> str | None:
    value = str(getattr(kind, "value", kind) or "")
    if not value:
        errors.add(ErrorCode.REQUIRED, "kind")
        return None
    if value not in DeliveryKind.values:
        errors.add(ErrorCode.INVALID, "kind")
        return None
    return value


def _clean_days(errors: ErrorCollector, value: int | None, field: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_DAYS:
        errors.add(
            ErrorCode.INVALID,
            field,
            _("Enter a number of days from 0 to %(limit)d.") % {"limit": MAX_DAYS},
        )
        return None
    return value


def _clean_pickup(
    errors: ErrorCollector,
    *,
    kind: str | None,
    warehouse: Warehouse | None,
    cooperative: Cooperative | None,
    seller: Seller | None,
) -> None:
    field = "pickup_warehouse"
    if kind != DeliveryKind.PICKUP:
        if warehouse is not None:
            errors.add(ErrorCode.INVALID, field, _("Only pickup methods have a pickup point."))
        return
    if warehouse is None:
        errors.add(ErrorCode.REQUIRED, field, _("A pickup method needs a pickup point."))
        return
    owns = (cooperative is not None and warehouse.cooperative_id == cooperative.pk) or (
        seller is not None and warehouse.seller_id == seller.pk
    )
    if cooperative is None and seller is None:
        errors.add(
            ErrorCode.INVALID, field, _("Pickup points belong to a cooperative or a seller.")
        )
    elif not owns:
        errors.add(
            ErrorCode.PERMISSION_DENIED,
            field,
            _("The pickup point must be a warehouse of the method's owner."),
        )


def _clean_amount(
    errors: ErrorCollector, value: Any, *, field: str, currency: str, required: bool
) -> Decimal | None:
    if value is None or value == "":
        if required:
            errors.add(ErrorCode.REQUIRED, field)
        return None
    amount = _decimal(value)
    limit = money.MAX_UNIT_PRICE.get(currency, money.DEFAULT_MAX_UNIT_PRICE)
    if amount is None or amount < 0 or amount > limit:
        errors.add(ErrorCode.INVALID, field, _("Enter an amount of zero or more."))
        return None
    return money.quantize(amount, currency)


def _clean_weight(errors: ErrorCollector, value: Any, *, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    weight = _decimal(value)
    if weight is None or weight <= 0 or weight > MAX_WEIGHT:
        errors.add(ErrorCode.INVALID, field, _("Enter a weight in kilograms above zero."))
        return None
    return weight.quantize(WEIGHT_QUANTUM)


def _clean_rates(
    errors: ErrorCollector, rates: Sequence[RateInput] | None, *, required: bool
) -> list[DeliveryRate]:
    if not rates:
        if required:
            errors.add(ErrorCode.REQUIRED, "rates", _("Give at least one rate."))
        return []
    if len(rates) > MAX_RATES:
        errors.add(
            ErrorCode.INVALID,
            "rates",
            _("At most %(limit)d rates are allowed.") % {"limit": MAX_RATES},
        )
        return []
    channels = {c.slug: c for c in Channel.objects.filter(slug__in={r.channel for r in rates})}
    cleaned: list[DeliveryRate] = []
    seen: set[tuple[int, Decimal | None]] = set()
    for i, rate in enumerate(rates):
        prefix = f"rates.{i}"
        channel = channels.get(rate.channel)
        if channel is None:
            errors.add(ErrorCode.NOT_FOUND, f"{prefix}.channel", _("There is no such channel."))
            continue
        currency = channel.currency_code
        price = _clean_amount(
            errors, rate.price, field=f"{prefix}.price", currency=currency, required=True
        )
        before = len(errors.errors)
        max_weight = _clean_weight(errors, rate.max_weight, field=f"{prefix}.max_weight")
        weight_ok = len(errors.errors) == before
        free_above = _clean_amount(
            errors, rate.free_above, field=f"{prefix}.free_above", currency=currency, required=False
        )
        key = (channel.pk, max_weight)
        if not weight_ok:
            continue
        if key in seen:
            errors.add(
                ErrorCode.UNIQUE,
                f"{prefix}.max_weight",
                _("This channel already has a bracket up to this weight."),
            )
            continue
        seen.add(key)
        if price is not None:
            cleaned.append(
                DeliveryRate(
                    channel=channel, max_weight=max_weight, price=price, free_above=free_above
                )
            )
    return cleaned


def _clean_zones(
    errors: ErrorCollector, zones: Sequence[ShippingZone] | None
) -> list[ShippingZone]:
    unique = list({z.pk: z for z in zones or []}.values())
    if not unique:
        errors.add(ErrorCode.REQUIRED, "zones", _("Choose at least one zone."))
    elif len(unique) > MAX_ZONES_PER_METHOD:
        errors.add(ErrorCode.INVALID, "zones")
    return unique


def _check_days_order(errors: ErrorCollector, min_days: int | None, max_days: int | None) -> None:
    if min_days is not None and max_days is not None and min_days > max_days:
        errors.add(
            ErrorCode.INVALID,
            "min_days",
            _("The minimum number of days cannot be above the maximum."),
        )


def _save_rates(method: DeliveryMethod, rates: list[DeliveryRate]) -> None:
    DeliveryRate.objects.filter(method=method).delete()
    for rate in rates:
        rate.method = method
    DeliveryRate.objects.bulk_create(rates)


@transaction.atomic
def create_method(
    *,
    actor: User,
    name: str | None,
    kind: str | None,
    zones: Sequence[ShippingZone] | None,
    rates: Sequence[RateInput] | None,
    cooperative: Cooperative | None = None,
    seller: Seller | None = None,
    name_en: str | None = None,
    pickup_warehouse: Warehouse | None = None,
    min_days: int | None = None,
    max_days: int | None = None,
    is_active: bool = True,
) -> DeliveryMethod:
    """A delivery method of the platform (no owner), a cooperative or a seller."""
    _clean_owner(actor, cooperative, seller, "shipping.add_deliverymethod")
    if seller is not None:
        seller_permissions.require_approved(seller, "seller")
    errors = ErrorCollector()
    name = errors.collect(clean_text, name, field="name", max_length=150, required=True)
    name_en = errors.collect(clean_text, name_en, field="name_en", max_length=150)
    kind = _clean_kind(errors, kind)
    min_days = _clean_days(errors, min_days, "min_days")
    max_days = _clean_days(errors, max_days, "max_days")
    _check_days_order(errors, min_days, max_days)
    _clean_pickup(
        errors, kind=kind, warehouse=pickup_warehouse, cooperative=cooperative, seller=seller
    )
    zone_list = _clean_zones(errors, zones)
    rate_list = _clean_rates(errors, rates, required=True)
    errors.raise_if_any()
    method = DeliveryMethod.objects.create(
        name=name,
        name_en=name_en or "",
        kind=kind,
        cooperative=cooperative,
        seller=seller,
        pickup_warehouse=pickup_warehouse,
        min_days=min_days,
        max_days=max_days,
        is_active=bool(is_active),
    )
    method.zones.set(zone_list)
    _save_rates(method, rate_list)
    return method


@transaction.atomic
def update_method(
    *,
    actor: User,
    method: DeliveryMethod,
    name: str | None = None,
    name_en: str | None = None,
    kind: str | None = None,
    zones: Sequence[ShippingZone] | None = None,
    rates: Sequence[RateInput] | None = None,
    pickup_warehouse: Warehouse | None = KEEP,
    min_days: int | None = KEEP,
    max_days: int | None = KEEP,
    is_active: bool | None = None,
) -> DeliveryMethod:
    """Change what is given. `zones` and `rates` replace the method's whole lists; the
    pickup point and the days may be cleared with None (left out: kept)."""
    method = DeliveryMethod.objects.select_for_update().get(pk=method.pk)
    cooperative = method.cooperative if method.cooperative_id else None
    seller = method.seller if method.seller_id else None
    _clean_owner(actor, cooperative, seller, "shipping.change_deliverymethod")
    errors = ErrorCollector()
    if name is not None:
        name = errors.collect(clean_text, name, field="name", max_length=150, required=True)
    if name_en is not None:
        name_en = errors.collect(clean_text, name_en, field="name_en", max_length=150)
    new_kind = _clean_kind(errors, kind) if kind is not None else method.kind
    new_min = method.min_days if min_days is KEEP else _clean_days(errors, min_days, "min_days")
    new_max = method.max_days if max_days is KEEP else _clean_days(errors, max_days, "max_days")
    _check_days_order(errors, new_min, new_max)
    if pickup_warehouse is not KEEP:
        warehouse = pickup_warehouse
    elif new_kind == DeliveryKind.PICKUP:
        warehouse = method.pickup_warehouse
    else:
        # A method that stops being a pickup method drops its pickup point.
        warehouse = None
    if new_kind is not None:
        _clean_pickup(
            errors, kind=new_kind, warehouse=warehouse, cooperative=cooperative, seller=seller
        )
    zone_list = _clean_zones(errors, zones) if zones is not None else None
    rate_list = _clean_rates(errors, rates, required=True) if rates is not None else None
    errors.raise_if_any()
    if name is not None:
        method.name = name
    if name_en is not None:
        method.name_en = name_en or ""
    method.kind = new_kind
    method.min_days, method.max_days = new_min, new_max
    method.pickup_warehouse = warehouse
    if is_active is not None:
        method.is_active = bool(is_active)
    method.save()
    if zone_list is not None:
        method.zones.set(zone_list)
    if rate_list is not None:
        _save_rates(method, rate_list)
    return method


@transaction.atomic
def deactivate_method(*, actor: User, method: DeliveryMethod) -> DeliveryMethod:
    """Stop offering a method; orders that used it keep pointing at it."""
    return update_method(actor=actor, method=method, is_active=False)

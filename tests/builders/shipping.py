"""Delivery methods, and the names of the platform's own (seeded by the migrations)."""

from __future__ import annotations

from decimal import Decimal

from marketplace.channels.models import Channel
from marketplace.shipping.models import DeliveryMethod, DeliveryRate, ShippingZone

EXPRESS_POST = "پست پیشتاز"
REGISTERED_POST = "پست سفارشی"


def make_method(
    *,
    name: str,
    zones: list[ShippingZone],
    rates: list[tuple[Channel, Decimal | None, Decimal, Decimal | None]],
    kind: str = "COURIER",
    **owner,
) -> DeliveryMethod:
    """A method with (channel, max weight, price, free above) rates, straight in the DB."""
    method = DeliveryMethod.objects.create(name=name, kind=kind, **owner)
    method.zones.set(zones)
    DeliveryRate.objects.bulk_create(
        DeliveryRate(method=method, channel=c, max_weight=w, price=p, free_above=f)
        for c, w, p, f in rates
    )
    return method

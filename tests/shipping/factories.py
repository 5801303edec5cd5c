"""Builders shared by the shipping tests."""

from __future__ import annotations

from decimal import Decimal

from marketplace.accounts.models import Address
from marketplace.channels.models import Channel
from marketplace.locations.models import Province
from marketplace.shipping.models import DeliveryMethod, DeliveryRate, ShippingZone


def ir_address(province: Province) -> Address:
    return Address(
        first_name="Sara",
        last_name="Ahmadi",
        phone="+989121234567",
        country="IR",
        country_area=province.name,
        province=province,
        city="مشهد",
        street_address_1="خیابان امام رضا، پلاک ۱",
        postal_code="9177948974",
    )


def foreign_address(country: str = "DE") -> Address:
    return Address(
        first_name="Anna",
        last_name="Schmidt",
        phone="+4915112345678",
        country=country,
        country_area="Berlin",
        city="Berlin",
        street_address_1="Unter den Linden 1",
        postal_code="10117",
    )


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

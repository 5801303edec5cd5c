"""Amounts and carrier requests of a parcel."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from marketplace.ledger.split import OrderSplit
from marketplace.logistics.carriers import Address, Carrier, ParcelRequest
from marketplace.orders.models import Order, OrderLine, Shipment
from marketplace.payments.models import Payment

COD_GATEWAY = "cod"
DEFAULT_LINE_GRAMS = 500


def is_cash_on_delivery(order: Order) -> bool:
    gateway = (
        Payment.objects.filter(order=order)
        .order_by("-created", "-id")
        .values_list("gateway", flat=True)
        .first()
    )
    return gateway == COD_GATEWAY


def shipment_due(split: OrderSplit, shipment_id: int) -> Decimal:
    """What the buyer pays for this parcel: its goods less their share of the voucher
    (only the lines of the seller who issued a seller's voucher), plus its delivery. As
    the ledger splits the order, so the cash collected is exactly the parcel's parts."""
    return sum(split.shipment_parts(shipment_id).values(), Decimal(0))


def short_amount(split: OrderSplit, short: Mapping[int, int]) -> Decimal:
    """The price of the units not packed, less their share of the voucher, as the
    ledger would give it back."""
    if not short:
        return Decimal(0)
    return sum(split.returned_parts(dict(short)).values(), Decimal(0))


def _recipient(order: Order) -> Address:
    address = order.shipping_address
    return Address(
        name=f"{address.first_name} {address.last_name}".strip(),
        phone=address.phone,
        province=address.country_area,
        city=address.city,
        street=" ".join(filter(None, [address.street_address_1, address.street_address_2])),
        postal_code=address.postal_code,
        country=address.country,
    )


def _sender(shipment: Shipment) -> Address:
    fulfiller = shipment.cooperative or shipment.seller
    county = getattr(fulfiller, "county", None)
    village = getattr(fulfiller, "village", None)
    if county is None and village is not None:
        county = village.county
    return Address(
        name=fulfiller.name,
        phone=fulfiller.phone or "",
        province=county.province.name if county else "",
        city=county.name if county else "",
        street=village.name if village else "",
        postal_code="",
    )


def weight_grams(shipment: Shipment) -> int:
    total = 0
    for line in OrderLine.objects.filter(shipment=shipment).select_related("variant", "packed"):
        units = line.packed.quantity if hasattr(line, "packed") else line.quantity
        weight = line.variant.weight if line.variant is not None else None
        total += units * (int(weight * 1000) if weight else DEFAULT_LINE_GRAMS)
    return max(total, 1)


def parcel_request(carrier: Carrier, order: Order, shipment: Shipment, parcel) -> ParcelRequest:
    return ParcelRequest(
        reference=f"{order.number}-{shipment.pk}",
        sender=_sender(shipment),
        recipient=_recipient(order),
        weight_grams=weight_grams(shipment),
        service=carrier.service_for(shipment.delivery_method.name_en or ""),
        cash_on_delivery=parcel.cash_to_collect,
        currency=order.currency,
    )

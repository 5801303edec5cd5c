"""Reads of fulfilment: timelines, parcels, the desk's lists and the day's route."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Count, QuerySet

from marketplace.ledger.split import split_order
from marketplace.logistics import carriers as carrier_registry
from marketplace.logistics import parcels
from marketplace.logistics.models import Parcel, ShipmentEvent
from marketplace.orders import permissions
from marketplace.orders.models import Shipment, ShipmentStatus
from marketplace.payments.models import Payment


def events_by_shipment(shipment_ids: list[int]) -> dict[int, list[ShipmentEvent]]:
    result: dict[int, list[ShipmentEvent]] = defaultdict(list)
    for item in ShipmentEvent.objects.filter(shipment_id__in=shipment_ids).order_by("date", "id"):
        result[item.shipment_id].append(item)
    return result


def parcels_by_shipment(shipment_ids: list[int]) -> dict[int, Parcel]:
    return Parcel.objects.defer("label_pdf").in_bulk(shipment_ids)


def cash_due_by_shipment(shipment_ids: list[int]) -> dict[int, Decimal]:
    """What each courier will collect for the parcels of cash-on-delivery orders that
    are not packed yet (packing fixes the amount in the parcel): the parcel's parts of
    the ledger's split of its order, computed once per order."""
    shipments = list(Shipment.objects.filter(pk__in=shipment_ids).select_related("order"))
    latest_gateway = dict(
        Payment.objects.filter(order_id__in={s.order_id for s in shipments})
        .order_by("order_id", "-created", "-id")
        .distinct("order_id")
        .values_list("order_id", "gateway")
    )
    orders = {shipment.order_id: shipment.order for shipment in shipments}
    splits = {
        order_id: split_order(order)
        for order_id, order in orders.items()
        if latest_gateway.get(order_id) == parcels.COD_GATEWAY
    }
    return {
        shipment.pk: parcels.shipment_due(splits[shipment.order_id], shipment.pk)
        for shipment in shipments
        if shipment.order_id in splits
    }


def tracking_url(shipment: Shipment) -> str | None:
    if not shipment.tracking_number:
        return None
    carrier = carrier_registry.get_carrier(shipment.carrier)
    return carrier.tracking_url(shipment.tracking_number) if carrier else None


def desk_shipments(
    *,
    cooperative_ids: list[int] | None = None,
    seller_ids: list[int] | None = None,
    statuses: list[str] | None = None,
    kinds: list[str] | None = None,
    day: date | None = None,
) -> QuerySet[Shipment]:
    """A fulfiller's shipments for the desk, oldest first (first come, first packed)."""
    queryset = Shipment.objects.select_related(
        "order", "order__shipping_address", "delivery_method"
    )
    if cooperative_ids is not None:
        queryset = queryset.filter(cooperative_id__in=cooperative_ids)
    if seller_ids is not None:
        queryset = queryset.filter(seller_id__in=seller_ids, cooperative__isnull=True)
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    if kinds:
        queryset = queryset.filter(delivery_method__kind__in=kinds)
    if day is not None:
        queryset = queryset.filter(order__created__date=day)
    return queryset.exclude(order__status="UNCONFIRMED").order_by("created", "id")


def status_counts(queryset: QuerySet[Shipment]) -> dict[str, int]:
    counts = {status: 0 for status in ShipmentStatus.values}
    for row in queryset.order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


def shipments_in_scope(user, ids: list[int]) -> list[Shipment]:
    scope = permissions.fulfiller_scope(user)
    return [
        shipment
        for shipment in Shipment.objects.filter(pk__in=ids).order_by("pk")
        if scope.covers(shipment.cooperative_id, shipment.seller_id)
    ]

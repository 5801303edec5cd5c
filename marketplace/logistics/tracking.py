"""Carriers' tracking reports, by webhook or by polling the carriers that do not call us.

A report is applied once: its carrier event id is unique (checked in bulk first, again
under the shipment's lock, and by a unique constraint last). A batch costs a few queries
to sort out seen and unknown events, then one transaction per shipment that has news."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection
from django.utils import timezone

from marketplace.logistics import carriers as carrier_registry
from marketplace.logistics.carriers import Carrier, CarrierError, TrackingEvent, TrackingStatus
from marketplace.logistics.models import Parcel, ShipmentEvent, ShipmentEventType
from marketplace.logistics.services import lock_shipment, mark_delivered
from marketplace.orders.models import Shipment, ShipmentStatus
from marketplace.orders.services import run_with_retries

logger = logging.getLogger("marketplace.logistics")
BATCH = 100


def _entry(shipment: Shipment, carrier_id: str, event: TrackingEvent) -> ShipmentEvent:
    kind = ShipmentEventType.IN_TRANSIT if event.status == TrackingStatus.ACCEPTED else event.status
    return ShipmentEvent(
        shipment=shipment,
        type=kind,
        carrier=carrier_id,
        external_id=event.id,
        date=event.date,
        data={"location": event.location, "description": event.description},
    )


def _confirms_delivery(shipment: Shipment, report: ShipmentEvent) -> bool:
    """The carrier's word for a delivery staff already recorded: kept on that step (so a
    replay stays a duplicate), not shown to the buyer as a second "Delivered"."""
    if shipment.status != ShipmentStatus.DELIVERED:
        return False
    confirmed = ShipmentEvent.objects.filter(
        shipment=shipment, type=ShipmentEventType.DELIVERED, external_id=""
    ).update(carrier=report.carrier, external_id=report.external_id)
    return confirmed > 0


def _apply(carrier_id: str, shipment_id: int, reported: list[TrackingEvent], durable: bool) -> int:
    """The shipment's new events, under its lock; returns how many were applied."""
    if not durable:
        # A polled report is asked for again on the next poll, so a commit lost in a
        # crash costs nothing: no need to wait for the disk on each of a thousand.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
    order, shipment = lock_shipment(shipment_id)
    seen = set(
        ShipmentEvent.objects.filter(
            carrier=carrier_id, external_id__in=[e.id for e in reported]
        ).values_list("external_id", flat=True)
    )
    fresh = [e for e in sorted(reported, key=lambda e: e.date) if e.id not in seen]
    entries = []
    for event in fresh:
        entry = _entry(shipment, carrier_id, event)
        if event.status == TrackingStatus.DELIVERED and shipment.status == ShipmentStatus.SHIPPED:
            # Parcels are written only under their shipment's lock, held here.
            parcel = shipment.parcel
            cash = event.cash_collected
            if cash is None and parcel.cash_to_collect > 0:
                cash = parcel.cash_to_collect
            mark_delivered(order, shipment, parcel, date=event.date, cash=cash, report=entry)
        elif event.status == TrackingStatus.DELIVERED and _confirms_delivery(shipment, entry):
            continue
        else:
            entries.append(entry)
    ShipmentEvent.objects.bulk_create(entries)
    return len(fresh)


def record_carrier_events(
    *, carrier: str, tracking_events: Iterable[TrackingEvent], durable: bool = True
) -> dict[str, int]:
    """Apply a carrier's reports (webhook or poll): a report seen before changes nothing;
    one for a tracking number nobody has of this carrier is skipped. Counts by outcome.
    `durable=False` (polls) lets commits return before they reach the disk."""
    reported = list(tracking_events)
    counts = {"applied": 0, "duplicate": 0, "unknown": 0}
    seen = set(
        ShipmentEvent.objects.filter(
            carrier=carrier, external_id__in=[e.id for e in reported]
        ).values_list("external_id", flat=True)
    )
    shipment_of = dict(
        Shipment.objects.filter(
            carrier=carrier, tracking_number__in={e.tracking_number for e in reported}
        ).values_list("tracking_number", "pk")
    )
    news: dict[int, list[TrackingEvent]] = defaultdict(list)
    for event in reported:
        if event.id in seen:
            counts["duplicate"] += 1
            continue
        seen.add(event.id)
        shipment_id = shipment_of.get(event.tracking_number)
        if shipment_id is None:
            counts["unknown"] += 1
            continue
        news[shipment_id].append(event)
    for shipment_id, items in news.items():
        applied = run_with_retries(
            lambda shipment_id=shipment_id, items=items: _apply(
                carrier, shipment_id, items, durable
            )
        )
        counts["applied"] += applied
        counts["duplicate"] += len(items) - applied
    return counts


def poll_carrier(carrier: Carrier, *, batch: int = BATCH) -> dict[str, int]:
    numbers = list(
        Shipment.objects.filter(carrier=carrier.id, status=ShipmentStatus.SHIPPED)
        .exclude(tracking_number="")
        .order_by("pk")
        .values_list("pk", "tracking_number")
    )
    totals = {"applied": 0, "duplicate": 0, "unknown": 0, "failed": 0}
    for start in range(0, len(numbers), batch):
        chunk = numbers[start : start + batch]
        try:
            reported = carrier.track([number for _pk, number in chunk])
        except CarrierError:
            logger.warning("tracking poll of %s failed for %d parcels", carrier.id, len(chunk))
            totals["failed"] += len(chunk)
            continue
        for outcome, count in record_carrier_events(
            carrier=carrier.id, tracking_events=reported, durable=False
        ).items():
            totals[outcome] += count
        Parcel.objects.filter(shipment_id__in=[pk for pk, _n in chunk]).update(
            last_polled_at=timezone.now()
        )
    return totals


def poll_all() -> dict[str, int]:
    totals: dict[str, int] = {}
    for carrier in carrier_registry.carriers().values():
        if not carrier.poll:
            continue
        for outcome, count in poll_carrier(carrier).items():
            totals[outcome] = totals.get(outcome, 0) + count
    return totals

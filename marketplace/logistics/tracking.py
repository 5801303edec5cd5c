"""Polling carriers that do not call us: the parcels on their way, asked in batches."""

from __future__ import annotations

import logging

from django.utils import timezone

from marketplace.logistics import carriers as carrier_registry
from marketplace.logistics.carriers import Carrier, CarrierError
from marketplace.logistics.models import Parcel
from marketplace.logistics.services import record_carrier_events
from marketplace.orders.models import Shipment, ShipmentStatus

logger = logging.getLogger("marketplace.logistics")
BATCH = 100


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
            carrier=carrier.id, tracking_events=reported
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

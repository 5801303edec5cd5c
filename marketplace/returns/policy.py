"""The return rules of an order line: how long after delivery, and for which reasons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from marketplace.logistics.models import Parcel, ShipmentEvent, ShipmentEventType
from marketplace.orders.models import OrderLine, Shipment
from marketplace.returns.models import ReturnPolicy, ReturnReason


@dataclass(frozen=True)
class Rules:
    window: timedelta
    reasons: frozenset[str]
    refund_on_receipt: bool


DEFAULT_REASONS = frozenset(ReturnReason.values)


def default_rules() -> Rules:
    return Rules(
        window=timedelta(days=settings.RETURN_WINDOW_DAYS),
        reasons=DEFAULT_REASONS,
        refund_on_receipt=False,
    )


def _from_policy(policy: ReturnPolicy) -> Rules:
    reasons = frozenset(policy.reasons or ()) & DEFAULT_REASONS
    return Rules(
        window=timedelta(hours=policy.window_hours),
        reasons=reasons or DEFAULT_REASONS,
        refund_on_receipt=policy.refund_on_receipt,
    )


def rules_for(line: OrderLine) -> Rules:
    """The policy of the line's category or its nearest parent that has one."""
    if line.variant_id is None:
        return default_rules()
    category = line.variant.product.category
    seen: set[int] = set()
    while category is not None and category.pk not in seen:
        seen.add(category.pk)
        policy = ReturnPolicy.objects.filter(category_id=category.pk).first()
        if policy is not None:
            return _from_policy(policy)
        category = category.parent
    return default_rules()


def delivered_at(shipment: Shipment) -> datetime | None:
    """When the parcel reached the buyer: the parcel's delivery time, else the last
    DELIVERED event of the shipment."""
    parcel = Parcel.objects.filter(shipment_id=shipment.pk).first()
    if parcel is not None and parcel.delivered_at is not None:
        return parcel.delivered_at
    last = (
        ShipmentEvent.objects.filter(shipment_id=shipment.pk, type=ShipmentEventType.DELIVERED)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    return last

"""Returns: orders placed by the real checkout and delivered by the fulfilment services,
and return requests on them."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from marketplace.catalog.models import ProductVariant
from marketplace.logistics import services as logistics
from marketplace.logistics.models import Parcel
from marketplace.orders import services as order_services
from marketplace.orders.models import Order, Shipment
from marketplace.returns.models import ReturnPolicy
from tests.builders.checkout import make_checkout


def delivered_order(
    buyer, lines: list[tuple[ProductVariant, int]], staff, *, delivered: datetime | None = None
) -> Order:
    """A cash-on-delivery order of one fulfiller (`staff` acts for it): packed, sent,
    delivered with its cash (so its payment is CHARGED), at `delivered` if given."""
    checkout = make_checkout(lines, user=buyer)
    order, _payment = order_services.complete_checkout(
        actor=buyer, checkout=checkout, gateway="cod"
    )
    shipment = order.shipments.get()
    deliver(shipment, staff)
    if delivered is not None:
        Parcel.objects.filter(shipment=shipment).update(delivered_at=delivered)
    order.refresh_from_db()
    return order


def deliver(shipment: Shipment, staff) -> None:
    logistics.pack_shipment(actor=staff, shipment=shipment)
    logistics.ship_shipment(actor=staff, shipment=shipment, tracking_number=f"9{shipment.pk:023d}")
    due = Parcel.objects.get(shipment=shipment).cash_to_collect
    logistics.deliver_shipment(actor=staff, shipment=shipment, cash_collected=due)


def placed_order(buyer, lines: list[tuple[ProductVariant, int]]) -> Order:
    """A cash-on-delivery order not yet sent."""
    checkout = make_checkout(lines, user=buyer)
    order, _payment = order_services.complete_checkout(
        actor=buyer, checkout=checkout, gateway="cod"
    )
    return order


def fresh_produce_policy(category) -> ReturnPolicy:
    """Fresh produce: only "arrived damaged", within 48 hours."""
    return ReturnPolicy.objects.create(category=category, window_hours=48, reasons=["DAMAGED"])


def hours_ago(hours: float) -> datetime:
    return timezone.now() - timezone.timedelta(hours=hours)

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


def return_waiting_for_cash(buyer, seller_a, seller_b, staff_b, *, price: int = 90_000):
    """A cash-on-delivery order of two fulfillers whose parcel of `seller_b` (one unit at
    `price`) is delivered and returned, the return accepted by `staff_b`, while the other
    parcel is still out: nothing is charged yet. Returns (order, payment, return)."""
    from marketplace.returns import services
    from marketplace.returns.services import AskedLine
    from tests.builders.catalog import make_variant

    goods = [make_variant(seller_a, quantity=5), make_variant(seller_b, quantity=5, price=price)]
    checkout = make_checkout([(goods[0], 1), (goods[1], 1)], user=buyer)
    order, payment = order_services.complete_checkout(actor=buyer, checkout=checkout, gateway="cod")
    shipment = order.shipments.get(cooperative_id=seller_b.cooperative_id)
    deliver(shipment, staff_b)
    request = services.create_return(
        actor=buyer, order=order, lines=[AskedLine(shipment.lines.get().pk, 1)], reason="DAMAGED"
    )
    request = services.decide_return(actor=staff_b, return_request=request, accept=True)
    return order, payment, request

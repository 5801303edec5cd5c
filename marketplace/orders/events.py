"""The order's history: who did what, when. Every service that changes an order records
an event in the same transaction, so the history never disagrees with the order."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.utils.translation import gettext_lazy as _

from marketplace.core import sql
from marketplace.orders.models import Order, OrderEvent


class EventType:
    PLACED = "PLACED"
    CONFIRMED = "CONFIRMED"
    PAYMENT_STARTED = "PAYMENT_STARTED"
    PAYMENT_FAILED = "PAYMENT_FAILED"
    PAYMENT_CAPTURED = "PAYMENT_CAPTURED"
    PAYMENT_REFUNDED = "PAYMENT_REFUNDED"
    VOUCHER_USED = "VOUCHER_USED"
    VOUCHER_RELEASED = "VOUCHER_RELEASED"
    STOCK_ALLOCATED = "STOCK_ALLOCATED"
    STOCK_RELEASED = "STOCK_RELEASED"
    CANCELED = "CANCELED"
    EXPIRED = "EXPIRED"
    SHIPMENT_PACKED = "SHIPMENT_PACKED"
    SHIPMENT_PACKED_SHORT = "SHIPMENT_PACKED_SHORT"
    SHIPMENT_SHIPPED = "SHIPMENT_SHIPPED"
    SHIPMENT_DELIVERED = "SHIPMENT_DELIVERED"
    FULFILLED = "FULFILLED"
    COMPLETED = "COMPLETED"
    RETURN_REQUESTED = "RETURN_REQUESTED"
    RETURN_ACCEPTED = "RETURN_ACCEPTED"
    RETURN_REJECTED = "RETURN_REJECTED"
    RETURN_RECEIVED = "RETURN_RECEIVED"
    RETURN_REFUNDED = "RETURN_REFUNDED"
    RETURN_DISPUTED = "RETURN_DISPUTED"
    RETURN_DISPUTE_DECIDED = "RETURN_DISPUTE_DECIDED"
    RETURN_REFUND_HELD = "RETURN_REFUND_HELD"
    RETURN_REFUNDED_BY_HAND = "RETURN_REFUNDED_BY_HAND"
    REFUND_PAID_OUT = "REFUND_PAID_OUT"


# Shown in the order's history (the buyer's and the staff's views).
DESCRIPTIONS = {
    EventType.PLACED: _("The order was placed."),
    EventType.CONFIRMED: _("The order was confirmed."),
    EventType.PAYMENT_STARTED: _("The payment was started."),
    EventType.PAYMENT_FAILED: _("The payment failed."),
    EventType.PAYMENT_CAPTURED: _("The payment was received."),
    EventType.PAYMENT_REFUNDED: _("The payment was refunded."),
    EventType.VOUCHER_USED: _("A promo code was used."),
    EventType.VOUCHER_RELEASED: _("The promo code was given back."),
    EventType.STOCK_ALLOCATED: _("The items were set aside in the warehouses."),
    EventType.STOCK_RELEASED: _("The items were returned to stock."),
    EventType.CANCELED: _("The order was canceled."),
    EventType.EXPIRED: _("The order was canceled because it was not paid in time."),
    EventType.SHIPMENT_PACKED: _("A parcel was packed."),
    EventType.SHIPMENT_PACKED_SHORT: _(
        "A parcel was packed with fewer items than ordered; the difference is given back."
    ),
    EventType.SHIPMENT_SHIPPED: _("A parcel was sent."),
    EventType.SHIPMENT_DELIVERED: _("A parcel was delivered."),
    EventType.FULFILLED: _("Everything was delivered."),
    EventType.COMPLETED: _("The order was completed."),
    EventType.RETURN_REQUESTED: _("The buyer asked to return items."),
    EventType.RETURN_ACCEPTED: _("The return was accepted."),
    EventType.RETURN_REJECTED: _("The return was rejected."),
    EventType.RETURN_RECEIVED: _("The returned items arrived back."),
    EventType.RETURN_REFUNDED: _("The returned items were refunded."),
    EventType.RETURN_DISPUTED: _("The buyer disputed the rejected return."),
    EventType.RETURN_DISPUTE_DECIDED: _("The platform decided the dispute."),
    EventType.RETURN_REFUND_HELD: _(
        "The return's refund could not be made; platform staff are seeing to it."
    ),
    EventType.RETURN_REFUNDED_BY_HAND: _("Platform staff refunded the returned items by hand."),
    EventType.REFUND_PAID_OUT: _(
        "A refund owed to the buyer was transferred to their bank account."
    ),
}


def event(order: Order, type: str, *, user=None, **data: Any) -> OrderEvent:
    """An unsaved event; services collect several and save them with `record`."""
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    return OrderEvent(order=order, type=type, user=user if signed_in else None, data=data)


_NEW = sql.NewRows(OrderEvent)


# Every checkout and payment records events: written out, as compiling the ORM's bulk
# insert cost several times the statement's own CPU.
@sql.statement("orders.record_events")
def _record_sql() -> str:
    return _NEW.insert()


def record(*events: OrderEvent) -> None:
    """Save events in one statement."""
    if not events:
        return
    with connection.cursor() as cursor:
        cursor.execute(_record_sql(), _NEW.parameters(events))


def describe(order_event: OrderEvent) -> str:
    return str(DESCRIPTIONS.get(order_event.type, order_event.type))

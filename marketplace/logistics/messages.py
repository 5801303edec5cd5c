"""Texts of fulfilment: the order history's new event types, the shipment timeline in
plain words, and the e-mails to buyers. Registered with the orders' history and the
notifications when the app is ready, so those apps need not know about logistics."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from marketplace.logistics.models import ShipmentEvent, ShipmentEventType


class OrderEventType:
    SHIPMENT_PACKED = "SHIPMENT_PACKED"
    SHIPMENT_PACKED_SHORT = "SHIPMENT_PACKED_SHORT"
    SHIPMENT_SHIPPED = "SHIPMENT_SHIPPED"
    SHIPMENT_DELIVERED = "SHIPMENT_DELIVERED"
    FULFILLED = "FULFILLED"
    COMPLETED = "COMPLETED"


ORDER_DESCRIPTIONS = {
    OrderEventType.SHIPMENT_PACKED: _("A parcel was packed."),
    OrderEventType.SHIPMENT_PACKED_SHORT: _(
        "A parcel was packed with fewer items than ordered; the difference is given back."
    ),
    OrderEventType.SHIPMENT_SHIPPED: _("A parcel was sent."),
    OrderEventType.SHIPMENT_DELIVERED: _("A parcel was delivered."),
    OrderEventType.FULFILLED: _("Everything was delivered."),
    OrderEventType.COMPLETED: _("The order was completed."),
}

# The shipment's timeline as buyers read it.
EVENT_MESSAGES = {
    ShipmentEventType.PACKED: _("Your parcel was packed."),
    ShipmentEventType.PACKED_SHORT: _(
        "Some items were not available; they were left out and their price is given back."
    ),
    ShipmentEventType.BOOKED: _("The parcel was handed to the carrier."),
    ShipmentEventType.SHIPPED: _("The parcel is on its way."),
    ShipmentEventType.IN_TRANSIT: _("The parcel is in transit."),
    ShipmentEventType.OUT_FOR_DELIVERY: _("The parcel is out for delivery."),
    ShipmentEventType.DELIVERY_FAILED: _("The carrier could not deliver the parcel."),
    ShipmentEventType.DELIVERED: _("The parcel was delivered."),
    ShipmentEventType.CASH_COLLECTED: _("The payment was collected on delivery."),
    ShipmentEventType.PICKUP_CODE_FAILED: _("A wrong pickup code was entered."),
}

TEMPLATES = {
    "shipment_packed_short": (
        _("Order %(number)s: some items could not be sent"),
        _(
            "Some items of your order %(number)s were not available when your parcel "
            "was packed:\n%(lines)s\n%(amount)s is given back to you."
        ),
    ),
    "shipment_shipped": (
        _("Order %(number)s is on its way"),
        _("A parcel of your order %(number)s was sent. %(tracking)s"),
    ),
}


def describe(event: ShipmentEvent) -> str:
    message = str(EVENT_MESSAGES.get(event.type, event.type))
    place = (event.data or {}).get("location")
    return f"{message} ({place})" if place else message


def register_templates() -> None:
    from marketplace.notifications.templates_text import TEMPLATES as NOTIFICATION_TEMPLATES
    from marketplace.orders.events import DESCRIPTIONS

    DESCRIPTIONS.update(ORDER_DESCRIPTIONS)
    NOTIFICATION_TEMPLATES.update(TEMPLATES)


def tell_buyer_short(order, lines, short, amount) -> None:
    from marketplace.notifications.services import queue_email

    names = "\n".join(
        f"- {line.product_name} × {short[line.pk]}" for line in lines if line.pk in short
    )
    queue_email(
        template="shipment_packed_short",
        email=order.email,
        language=order.language,
        context={"number": order.number, "lines": names, "amount": f"{amount} {order.currency}"},
    )


def tell_buyer_shipped(order, shipment, carrier) -> None:
    from marketplace.notifications.services import queue_email

    url = carrier.tracking_url(shipment.tracking_number) if carrier else None
    queue_email(
        template="shipment_shipped",
        email=order.email,
        language=order.language,
        context={"number": order.number, "tracking": url or shipment.tracking_number},
    )

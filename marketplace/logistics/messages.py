"""The shipment's timeline in plain words. (The order history's fulfilment events are
described in marketplace.orders.events; messages to buyers are sent through
marketplace.notifications.announce.)"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from marketplace.logistics.models import ShipmentEvent, ShipmentEventType

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


def describe(event: ShipmentEvent) -> str:
    message = str(EVENT_MESSAGES.get(event.type, event.type))
    place = (event.data or {}).get("location")
    return f"{message} ({place})" if place else message

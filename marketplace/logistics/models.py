"""What fulfilment adds to a shipment: its parcel (booking, label, cash, pickup code),
the units actually packed per line, and the shipment's timeline of events."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 20, "decimal_places": 2}


class Parcel(models.Model):
    """One per shipment, created when it is first packed."""

    shipment = models.OneToOneField(
        "orders.Shipment", primary_key=True, on_delete=models.CASCADE, related_name="parcel"
    )
    # What the buyer paid for units that were not packed; refunded (or not collected).
    short_amount = models.DecimalField(_("short amount"), default=0, **MONEY)
    # Cash on delivery: what the driver or carrier collects, and what was collected.
    cash_to_collect = models.DecimalField(_("cash to collect"), default=0, **MONEY)
    cash_collected = models.DecimalField(_("cash collected"), null=True, blank=True, **MONEY)
    # Bookings made with the carrier so far: the idempotency key names the current one,
    # so retrying a booking whose answer was lost returns the same parcel.
    bookings = models.PositiveIntegerField(default=0)
    carrier_reference = models.CharField(max_length=100, blank=True)
    label_pdf = models.BinaryField(null=True, blank=True, editable=False)
    pickup_code_hash = models.CharField(max_length=128, blank=True)
    pickup_tries = models.PositiveSmallIntegerField(default=0)
    packed_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("parcel")
        verbose_name_plural = _("parcels")
        constraints = [
            models.CheckConstraint(
                condition=Q(short_amount__gte=0) & Q(cash_to_collect__gte=0),
                name="logistics_parcel_amounts_nonneg",
            ),
        ]

    def __str__(self) -> str:
        return f"parcel {self.shipment_id}"


class PackedLine(models.Model):
    """Units of an order line that went into the parcel (fewer when produce was short)."""

    line = models.OneToOneField(
        "orders.OrderLine", primary_key=True, on_delete=models.CASCADE, related_name="packed"
    )
    quantity = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.quantity} of line {self.line_id}"


class ShipmentEventType(models.TextChoices):
    PACKED = "PACKED", _("Packed")
    PACKED_SHORT = "PACKED_SHORT", _("Packed short")
    BOOKED = "BOOKED", _("Booked with the carrier")
    SHIPPED = "SHIPPED", _("Shipped")
    IN_TRANSIT = "IN_TRANSIT", _("In transit")
    OUT_FOR_DELIVERY = "OUT_FOR_DELIVERY", _("Out for delivery")
    DELIVERY_FAILED = "DELIVERY_FAILED", _("Delivery attempt failed")
    DELIVERED = "DELIVERED", _("Delivered")
    CASH_COLLECTED = "CASH_COLLECTED", _("Cash collected")
    PICKUP_CODE_FAILED = "PICKUP_CODE_FAILED", _("Wrong pickup code")


class ShipmentEvent(models.Model):
    """One step of a shipment: by staff (user), or reported by its carrier (carrier and
    the carrier's own event id, unique, so a replayed report has one effect)."""

    shipment = models.ForeignKey("orders.Shipment", on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=32, choices=ShipmentEventType.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    carrier = models.CharField(max_length=32, blank=True)
    external_id = models.CharField(max_length=100, blank=True)
    data = models.JSONField(default=dict, blank=True)
    date = models.DateTimeField(db_index=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("date", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["carrier", "external_id"],
                condition=~Q(external_id=""),
                name="logistics_event_unique_external",
            ),
        ]
        indexes = [models.Index(fields=["shipment", "date"], name="logistics_event_shipment_idx")]

    def __str__(self) -> str:
        return f"{self.shipment_id}: {self.type}"

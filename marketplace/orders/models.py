from django.conf import settings
from django.db import models
from django.db.models import Func, Q, Value
from django.utils.translation import gettext_lazy as _

from marketplace.payments.models import PaymentStatus

MONEY = {"max_digits": 20, "decimal_places": 2}


class OrderStatus(models.TextChoices):
    UNCONFIRMED = "UNCONFIRMED", _("Awaiting payment")
    CONFIRMED = "CONFIRMED", _("Confirmed")
    FULFILLED = "FULFILLED", _("Delivered")
    COMPLETED = "COMPLETED", _("Completed")
    CANCELED = "CANCELED", _("Canceled")


class Order(models.Model):
    # From the orders_order_number sequence (migration 0002): short and sequential.
    # Taken from the sequence by the INSERT itself (and returned by it): no query of its own.
    number = models.PositiveBigIntegerField(
        _("number"),
        unique=True,
        editable=False,
        db_default=Func(
            Value("orders_order_number_seq"),
            function="nextval",
            output_field=models.PositiveBigIntegerField(),
        ),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
    )
    email = models.EmailField(_("email"), blank=True)
    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=OrderStatus.choices)
    payment_status = models.CharField(
        _("payment"),
        max_length=20,
        choices=PaymentStatus.choices,
        default=PaymentStatus.NOT_CHARGED,
    )
    shipping_address = models.ForeignKey(
        "accounts.Address", on_delete=models.PROTECT, related_name="+"
    )
    currency = models.CharField(max_length=3)
    subtotal = models.DecimalField(_("subtotal"), **MONEY)
    shipping_price = models.DecimalField(_("shipping"), **MONEY)
    discount = models.DecimalField(_("discount"), default=0, **MONEY)
    total = models.DecimalField(_("total"), **MONEY)
    voucher_code = models.CharField(_("promo code"), max_length=40, blank=True)
    language = models.CharField(max_length=8, default="fa")
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated = models.DateTimeField(auto_now=True)
    # Unpaid online orders are canceled (and their stock released) after this.
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ("-created", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(subtotal__gte=0)
                & Q(shipping_price__gte=0)
                & Q(discount__gte=0)
                & Q(total__gte=0),
                name="orders_amounts_nonneg",
            ),
        ]

    def __str__(self) -> str:
        return str(self.number)


class ShipmentStatus(models.TextChoices):
    UNFULFILLED = "UNFULFILLED", _("To prepare")
    PACKED = "PACKED", _("Packed")
    SHIPPED = "SHIPPED", _("Shipped")
    DELIVERED = "DELIVERED", _("Delivered")
    CANCELED = "CANCELED", _("Canceled")
    RETURNED = "RETURNED", _("Returned")


class Shipment(models.Model):
    """The part of an order one fulfiller packs and ships."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="shipments")
    cooperative = models.ForeignKey(
        "sellers.Cooperative",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shipments",
    )
    seller = models.ForeignKey(
        "sellers.Seller", null=True, blank=True, on_delete=models.PROTECT, related_name="shipments"
    )
    delivery_method = models.ForeignKey(
        "shipping.DeliveryMethod", on_delete=models.PROTECT, related_name="+"
    )
    shipping_price = models.DecimalField(_("shipping"), **MONEY)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ShipmentStatus.choices,
        default=ShipmentStatus.UNFULFILLED,
    )
    carrier = models.CharField(_("carrier"), max_length=100, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=100, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ("-created", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(cooperative__isnull=True, seller__isnull=False)
                | Q(cooperative__isnull=False, seller__isnull=True),
                name="orders_shipment_one_fulfiller",
            ),
        ]
        indexes = [
            models.Index(fields=["cooperative", "status"], name="orders_shipment_coop_idx"),
            models.Index(fields=["seller", "status"], name="orders_shipment_seller_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.pk}"


class OrderLine(models.Model):
    """What was bought, as it was at the time: names, SKU, seller and price are copied."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    shipment = models.ForeignKey(Shipment, on_delete=models.PROTECT, related_name="lines")
    variant = models.ForeignKey(
        "catalog.ProductVariant", null=True, on_delete=models.PROTECT, related_name="+"
    )
    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="+")
    product_name = models.CharField(max_length=250)
    variant_name = models.CharField(max_length=150, blank=True)
    sku = models.CharField(max_length=64, blank=True)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(**MONEY)
    total_price = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)

    class Meta:
        ordering = ("id",)
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orders_line_quantity_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_name}"


class OrderEvent(models.Model):
    """The order's history: who did what, when."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created", "id")

    def __str__(self) -> str:
        return f"{self.order_id}: {self.type}"

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Checkout(models.Model):
    """A buyer's cart. Its lines split into groups, one per fulfiller (the seller's
    cooperative, or the seller when independent), each with its own delivery."""

    token = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="checkouts",
    )
    email = models.EmailField(_("email"), blank=True)
    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="+")
    shipping_address = models.ForeignKey(
        "accounts.Address", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    voucher = models.ForeignKey(
        "discounts.Voucher", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=8, default="fa")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True, db_index=True)
    # When the checkout first held stock: writes renew its holds up to
    # CHECKOUT_MAX_HOLD_MINUTES after this, never later.
    holding_since = models.DateTimeField(null=True, blank=True)
    # Set in the same transaction that creates the order: completing again returns it.
    order = models.OneToOneField(
        "orders.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="checkout"
    )

    class Meta:
        verbose_name = _("checkout")
        verbose_name_plural = _("checkouts")
        ordering = ("-updated",)

    def __str__(self) -> str:
        return str(self.token)


class CheckoutLine(models.Model):
    checkout = models.ForeignKey(Checkout, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(
        "catalog.ProductVariant", on_delete=models.CASCADE, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    created = models.DateTimeField(auto_now_add=True)

    # Not a column: the units the line's live reservations hold, when read with them
    # (checkout.selectors.lines_with_held).
    held: int | None = None

    class Meta:
        ordering = ("created", "id")
        constraints = [
            models.UniqueConstraint(fields=["checkout", "variant"], name="checkout_line_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="checkout_line_quantity_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.variant_id}"


class CheckoutDelivery(models.Model):
    """The delivery method chosen for one group (fulfiller) of a checkout."""

    checkout = models.ForeignKey(Checkout, on_delete=models.CASCADE, related_name="deliveries")
    cooperative = models.ForeignKey(
        "sellers.Cooperative", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    seller = models.ForeignKey(
        "sellers.Seller", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    method = models.ForeignKey(
        "shipping.DeliveryMethod", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(cooperative__isnull=True, seller__isnull=False)
                | Q(cooperative__isnull=False, seller__isnull=True),
                name="checkout_delivery_one_fulfiller",
            ),
            models.UniqueConstraint(
                fields=["checkout", "cooperative"],
                condition=Q(cooperative__isnull=False),
                name="checkout_delivery_unique_coop",
            ),
            models.UniqueConstraint(
                fields=["checkout", "seller"],
                condition=Q(seller__isnull=False),
                name="checkout_delivery_unique_seller",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.checkout_id}: {self.method_id}"

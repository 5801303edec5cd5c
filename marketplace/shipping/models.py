from __future__ import annotations

from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 20, "decimal_places": 2}


class ShippingZone(models.Model):
    """Where deliveries go: a set of provinces (of Iran) and/or whole countries."""

    name = models.CharField(_("name"), max_length=150)
    countries = ArrayField(
        models.CharField(max_length=2), default=list, blank=True, verbose_name=_("whole countries")
    )
    provinces = models.ManyToManyField(
        "locations.Province", blank=True, related_name="+", verbose_name=_("provinces")
    )

    class Meta:
        verbose_name = _("shipping zone")
        verbose_name_plural = _("shipping zones")
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name


class DeliveryKind(models.TextChoices):
    POST = "POST", _("National post")
    COURIER = "COURIER", _("Courier")
    COOP_DELIVERY = "COOP_DELIVERY", _("Cooperative delivery")
    PICKUP = "PICKUP", _("Pickup point")


class DeliveryMethod(models.Model):
    """A way to deliver, owned by the platform (both owners empty: every fulfiller may
    use it) or by one cooperative or one seller."""

    name = models.CharField(_("name"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=DeliveryKind.choices)
    cooperative = models.ForeignKey(
        "sellers.Cooperative",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="delivery_methods",
    )
    seller = models.ForeignKey(
        "sellers.Seller",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="delivery_methods",
    )
    zones = models.ManyToManyField(ShippingZone, related_name="methods", verbose_name=_("zones"))
    pickup_warehouse = models.ForeignKey(
        "inventory.Warehouse",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pickup point"),
    )
    min_days = models.PositiveSmallIntegerField(_("minimum days"), null=True, blank=True)
    max_days = models.PositiveSmallIntegerField(_("maximum days"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    # Not columns: what shipping.selectors leaves on a method it read. Its rates in one
    # channel, lightest bracket first (open bracket last), and which channel that is;
    # and, on the copy offered to one checkout group, its price there.
    channel_rates: list[DeliveryRate] | None = None
    rates_channel_id: int | None = None
    group_price: Decimal | None = None
    group_currency: str | None = None

    class Meta:
        verbose_name = _("delivery method")
        verbose_name_plural = _("delivery methods")
        ordering = ("kind", "name", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(cooperative__isnull=True) | Q(seller__isnull=True),
                name="shipping_method_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(min_days__isnull=True)
                | Q(max_days__isnull=True)
                | Q(min_days__lte=models.F("max_days")),
                name="shipping_method_days_order",
            ),
            models.CheckConstraint(
                condition=~Q(kind="PICKUP") | Q(pickup_warehouse__isnull=False),
                name="shipping_pickup_has_point",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DeliveryRate(models.Model):
    """Price by weight in one channel: the first bracket whose limit fits the parcel."""

    method = models.ForeignKey(DeliveryMethod, on_delete=models.CASCADE, related_name="rates")
    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="+")
    max_weight = models.DecimalField(
        _("up to (kg)"),
        max_digits=9,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("Empty: any weight."),
    )
    price = models.DecimalField(_("price"), **MONEY)
    free_above = models.DecimalField(
        _("free above"),
        null=True,
        blank=True,
        **MONEY,
        help_text=_("Subtotal from which delivery is free."),
    )

    class Meta:
        verbose_name = _("delivery rate")
        verbose_name_plural = _("delivery rates")
        ordering = ("method", "channel", models.F("max_weight").asc(nulls_last=True))
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="shipping_rate_price_nonneg"),
            models.UniqueConstraint(
                fields=["method", "channel", "max_weight"], name="shipping_rate_unique_bracket"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.method} ≤ {self.max_weight or '∞'} kg: {self.price}"

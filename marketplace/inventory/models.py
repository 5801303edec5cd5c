from django.db import models
from django.utils.translation import gettext_lazy as _


class Warehouse(models.Model):
    """Where goods are kept: a cooperative's (holding its members' goods) or a seller's own."""

    name = models.CharField(_("name"), max_length=200)
    cooperative = models.ForeignKey(
        "sellers.Cooperative",
        verbose_name=_("cooperative"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="warehouses",
    )
    seller = models.ForeignKey(
        "sellers.Seller",
        verbose_name=_("seller"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="warehouses",
    )
    village = models.ForeignKey(
        "locations.Village",
        verbose_name=_("village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    address = models.CharField(_("address"), max_length=500, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        ordering = ("name", "id")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(cooperative__isnull=False, seller__isnull=True)
                    | models.Q(cooperative__isnull=True, seller__isnull=False)
                ),
                name="inventory_warehouse_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Stock(models.Model):
    """Units of one variant in one warehouse; allocations (orders) never exceed them."""

    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="stocks")
    variant = models.ForeignKey(
        "catalog.ProductVariant", on_delete=models.CASCADE, related_name="stocks"
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=0)
    quantity_allocated = models.PositiveIntegerField(_("allocated"), default=0)

    class Meta:
        verbose_name = _("stock")
        verbose_name_plural = _("stock")
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "variant"], name="inventory_stock_unique"),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=0) & models.Q(quantity_allocated__gte=0)
                & models.Q(quantity_allocated__lte=models.F("quantity")),
                name="inventory_stock_allocated_within_quantity",
            ),
        ]

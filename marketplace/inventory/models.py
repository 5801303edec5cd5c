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
                condition=models.Q(quantity__gte=0)
                & models.Q(quantity_allocated__gte=0)
                & models.Q(quantity_allocated__lte=models.F("quantity")),
                name="inventory_stock_allocated_within_quantity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} of {self.variant_id} in {self.warehouse_id}"


class Reservation(models.Model):
    """Units a checkout line holds for a while; they stop counting when `reserved_until`
    passes, whether or not the cleanup task has deleted the row yet."""

    checkout_line = models.ForeignKey(
        "checkout.CheckoutLine", on_delete=models.CASCADE, related_name="reservations"
    )
    stock = models.ForeignKey(Stock, on_delete=models.CASCADE, related_name="reservations")
    quantity = models.PositiveIntegerField()
    reserved_until = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["checkout_line", "stock"], name="inventory_reservation_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="inventory_reservation_pos"
            ),
        ]
        indexes = [models.Index(fields=["stock", "reserved_until"], name="inventory_res_stock_idx")]

    def __str__(self) -> str:
        return f"{self.quantity} of {self.stock_id} until {self.reserved_until}"


class Allocation(models.Model):
    """Units of a stock held for an order line; counted in Stock.quantity_allocated."""

    order_line = models.ForeignKey(
        "orders.OrderLine", on_delete=models.CASCADE, related_name="allocations"
    )
    stock = models.ForeignKey(Stock, on_delete=models.PROTECT, related_name="allocations")
    quantity = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["order_line", "stock"], name="inventory_allocation_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="inventory_allocation_pos"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} of {self.stock_id} for line {self.order_line_id}"

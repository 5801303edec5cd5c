"""Orders and shipments in the back office: found by number, buyer, seller, cooperative
or tracking number, filtered by status and date. Changes go through the order services
(the panels and the API), so the admin shows them read-only."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from marketplace.core.admin_dates import admin_date
from marketplace.orders.models import Order, OrderLine, Shipment


class ReadOnlyAdmin(admin.ModelAdmin):
    class Media:
        css = {"all": ("admin/bazarcheh/filters.css",)}

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class LineInline(ReadOnlyInline):
    model = OrderLine
    fields = ("product_name", "variant_name", "seller", "quantity", "unit_price", "total_price")
    show_change_link = False


class ShipmentInline(ReadOnlyInline):
    model = Shipment
    fields = ("seller", "cooperative", "delivery_method", "status", "tracking_number")


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ("number", "placed", "user", "status", "payment_status", "total", "currency")
    list_filter = ("status", "payment_status", "channel", "created")
    search_fields = ("=number", "user__email", "user__phone", "voucher_code")
    list_select_related = ("user",)
    date_hierarchy = "created"
    inlines = (LineInline, ShipmentInline)

    @admin.display(description=_("created"), ordering="created")
    def placed(self, order: Order) -> str:
        return admin_date(order.created)


@admin.register(Shipment)
class ShipmentAdmin(ReadOnlyAdmin):
    list_display = ("id", "order", "made", "seller", "cooperative", "status", "tracking_number")
    list_filter = ("status", "cooperative", "created")
    search_fields = ("=order__number", "tracking_number", "seller__name", "cooperative__name")
    list_select_related = ("order", "seller", "cooperative")

    @admin.display(description=_("created"), ordering="created")
    def made(self, shipment: Shipment) -> str:
        return admin_date(shipment.created)

from django.contrib import admin

from marketplace.inventory.models import Stock, Warehouse


@admin.register(Warehouse)
class WarehouseAdmin(admin.ModelAdmin):
    list_display = ("name", "cooperative", "seller", "village")
    search_fields = ("name", "cooperative__name", "seller__name")
    list_select_related = ("cooperative", "seller", "village")
    raw_id_fields = ("cooperative", "seller", "village")


@admin.register(Stock)
class StockAdmin(admin.ModelAdmin):
    list_display = ("variant", "warehouse", "quantity", "quantity_allocated")
    list_select_related = ("variant__product", "warehouse")
    raw_id_fields = ("variant", "warehouse")

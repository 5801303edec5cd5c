from django.contrib import admin

from marketplace.inventory.models import Warehouse


@admin.register(Warehouse)
class WarehouseAdmin(admin.ModelAdmin):
    list_display = ("name", "cooperative", "seller", "village")
    search_fields = ("name", "cooperative__name", "seller__name")
    list_select_related = ("cooperative", "seller", "village")
    raw_id_fields = ("cooperative", "seller", "village")

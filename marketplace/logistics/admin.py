from django.contrib import admin

from marketplace.logistics.models import Parcel, ShipmentEvent


@admin.register(ShipmentEvent)
class ShipmentEventAdmin(admin.ModelAdmin):
    list_display = ("shipment", "type", "date", "carrier", "external_id", "user")
    list_filter = ("type", "carrier")
    search_fields = ("external_id", "shipment__tracking_number")
    readonly_fields = ("shipment", "type", "user", "carrier", "external_id", "data", "date")


@admin.register(Parcel)
class ParcelAdmin(admin.ModelAdmin):
    list_display = ("shipment", "cash_to_collect", "cash_collected", "short_amount", "delivered_at")
    readonly_fields = ("shipment", "pickup_code_hash", "pickup_tries", "bookings")
    exclude = ("label_pdf",)

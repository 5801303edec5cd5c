from django.contrib import admin

from marketplace.sellers.models import Cooperative, CooperativeStaff, Seller


class CooperativeStaffInline(admin.TabularInline):
    model = CooperativeStaff
    raw_id_fields = ("user",)
    extra = 0


@admin.register(Cooperative)
class CooperativeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "county", "fee_rate", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "slug")
    raw_id_fields = ("county",)
    inlines = [CooperativeStaffInline]


@admin.register(Seller)
class SellerAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "cooperative", "status", "village", "created")
    list_filter = ("status", "cooperative")
    search_fields = ("name", "slug", "phone", "owner__email")
    list_select_related = ("owner", "cooperative", "village")
    raw_id_fields = ("owner", "village", "approved_by")
    readonly_fields = ("approved_at", "approved_by", "created")

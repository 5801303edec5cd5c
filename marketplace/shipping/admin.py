from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from marketplace.shipping.models import DeliveryMethod, DeliveryRate, ShippingZone


@admin.register(ShippingZone)
class ShippingZoneAdmin(admin.ModelAdmin):
    list_display = ("name", "province_count", "country_list")
    search_fields = ("name",)
    filter_horizontal = ("provinces",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("provinces")

    @admin.display(description=_("provinces"))
    def province_count(self, zone: ShippingZone) -> int:
        return len(zone.provinces.all())

    @admin.display(description=_("whole countries"))
    def country_list(self, zone: ShippingZone) -> str:
        # The world zone lists about 240 countries: show the start only.
        shown = ", ".join(zone.countries[:8])
        return f"{shown}, … ({len(zone.countries)})" if len(zone.countries) > 8 else shown


class DeliveryRateInline(admin.TabularInline):
    model = DeliveryRate
    extra = 1
    fields = ("channel", "max_weight", "price", "free_above")
    ordering = ("channel", "max_weight")


class OwnerFilter(admin.SimpleListFilter):
    title = _("owner")
    parameter_name = "owner"

    def lookups(self, request, model_admin):
        return [
            ("platform", _("Platform")),
            ("cooperative", _("A cooperative")),
            ("seller", _("A seller")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "platform":
            return queryset.filter(cooperative__isnull=True, seller__isnull=True)
        if self.value() == "cooperative":
            return queryset.filter(cooperative__isnull=False)
        if self.value() == "seller":
            return queryset.filter(seller__isnull=False)
        return queryset


class DeliveryMethodForm(forms.ModelForm):
    class Meta:
        model = DeliveryMethod
        fields = (
            "name",
            "name_en",
            "kind",
            "is_active",
            "cooperative",
            "seller",
            "zones",
            "pickup_warehouse",
            "min_days",
            "max_days",
        )

    def clean(self):
        data = super().clean()
        warehouse = data.get("pickup_warehouse")
        cooperative, seller = data.get("cooperative"), data.get("seller")
        if warehouse is not None:
            # The same rule as the services: a pickup point is a warehouse of the owner.
            owns = (cooperative is not None and warehouse.cooperative_id == cooperative.pk) or (
                seller is not None and warehouse.seller_id == seller.pk
            )
            if not owns:
                self.add_error(
                    "pickup_warehouse",
                    _("The pickup point must be a warehouse of the method's owner."),
                )
        return data


@admin.register(DeliveryMethod)
class DeliveryMethodAdmin(admin.ModelAdmin):
    form = DeliveryMethodForm
    list_display = ("name", "kind", "owner", "min_days", "max_days", "is_active")
    list_filter = ("kind", "is_active", OwnerFilter)
    search_fields = ("name", "name_en", "cooperative__name", "seller__name")
    list_select_related = ("cooperative", "seller")
    raw_id_fields = ("cooperative", "seller", "pickup_warehouse")
    filter_horizontal = ("zones",)
    inlines = [DeliveryRateInline]
    fieldsets = (
        (None, {"fields": ("name", "name_en", "kind", "is_active")}),
        (
            _("Owner (both empty: the platform, for every fulfiller)"),
            {"fields": ("cooperative", "seller")},
        ),
        (
            _("Where and how fast"),
            {"fields": ("zones", "pickup_warehouse", "min_days", "max_days")},
        ),
    )

    @admin.display(description=_("owner"))
    def owner(self, method: DeliveryMethod) -> str:
        return str(method.cooperative or method.seller or _("Platform"))

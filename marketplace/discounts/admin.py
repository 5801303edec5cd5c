from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from marketplace.core.admin_dates import admin_date
from marketplace.core.errors import DomainError
from marketplace.discounts.models import Voucher, VoucherUsage
from marketplace.discounts.services import VoucherFields, clean_voucher


class VoucherForm(forms.ModelForm):
    class Meta:
        model = Voucher
        fields = (
            "code",
            "kind",
            "value",
            "channel",
            "seller",
            "min_spend",
            "usage_limit",
            "per_buyer_limit",
            "valid_from",
            "valid_until",
            "is_active",
        )

    def clean(self):
        data = super().clean()
        if self.errors or data.get("channel") is None:
            return data
        # The same rules as vouchers created through the services.
        try:
            cleaned = clean_voucher(
                VoucherFields(
                    code=data.get("code") or "",
                    kind=data.get("kind") or "",
                    value=data.get("value"),
                    channel=data["channel"],
                    seller=data.get("seller"),
                    min_spend=data.get("min_spend"),
                    usage_limit=data.get("usage_limit"),
                    per_buyer_limit=data.get("per_buyer_limit"),
                    valid_from=data.get("valid_from"),
                    valid_until=data.get("valid_until"),
                    is_active=data.get("is_active", True),
                ),
                instance=self.instance,
            )
        except DomainError as exc:
            for error in exc.errors:
                # The services name the voucher's own fields, as the form does.
                field = error.field if error.field in self.fields else None
                self.add_error(field, str(error.message))
            return data
        data.update(code=cleaned.code, value=cleaned.value, min_spend=cleaned.min_spend)
        return data


class VoucherUsageInline(admin.TabularInline):
    model = VoucherUsage
    extra = 0
    can_delete = False
    fields = ("order", "user", "email", "phone", "created")
    readonly_fields = fields
    ordering = ("-created",)

    def has_add_permission(self, request, obj=None) -> bool:
        # Uses are written when orders are placed, never by hand.
        return False


@admin.register(Voucher)
class VoucherAdmin(admin.ModelAdmin):
    form = VoucherForm
    list_display = (
        "code",
        "kind",
        "value",
        "channel",
        "seller",
        "usage",
        "starts",
        "ends",
        "is_active",
    )
    list_filter = ("is_active", "kind", "channel")
    search_fields = ("code", "seller__name")
    autocomplete_fields = ("seller",)
    readonly_fields = ("used",)
    inlines = (VoucherUsageInline,)
    list_select_related = ("channel", "seller")

    class Media:
        css = {"all": ("admin/bazarcheh/filters.css",)}

    @admin.display(description=_("valid from"), ordering="valid_from")
    def starts(self, voucher: Voucher) -> str:
        return admin_date(voucher.valid_from)

    @admin.display(description=_("valid until"), ordering="valid_until")
    def ends(self, voucher: Voucher) -> str:
        return admin_date(voucher.valid_until)

    @admin.display(description=_("uses"))
    def usage(self, voucher: Voucher) -> str:
        if voucher.usage_limit is None:
            return str(voucher.used)
        return f"{voucher.used} / {voucher.usage_limit}"

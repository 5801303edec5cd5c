from django.contrib import admin
from django.http import HttpRequest

from marketplace.site.models import SETTINGS_ID, SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    fieldsets = (
        (None, {"fields": ("phone", "email", "address", "address_en")}),
        (None, {"fields": ("about", "about_en", "return_policy", "return_policy_en")}),
        (None, {"fields": ("terms", "terms_en", "enamad_id", "enamad_code")}),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not SiteSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        obj.pk = SETTINGS_ID
        super().save_model(request, obj, form, change)

from django.contrib import admin

from marketplace.notifications.models import Notification, NotificationPreference
from marketplace.notifications.services import SECRET_TEMPLATES


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """A record of what was sent, for reading: editing a row (its phone, its status)
    would send a message, a sign-in code included, somewhere it was never meant to go."""

    list_display = (
        "template",
        "channel",
        "email",
        "phone",
        "status",
        "delivery_report",
        "attempts",
        "created",
    )
    list_filter = ("status", "delivery_report", "channel", "template")
    search_fields = ("email", "phone", "event_key")

    def get_exclude(self, request, obj=None):
        # A sign-in code waiting to be sent would let whoever reads it sign in as its phone.
        if obj is not None and obj.template in SECRET_TEMPLATES:
            return ("context",)
        return ()

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "delivery")
    list_filter = ("kind", "delivery")

from django.contrib import admin

from marketplace.notifications.models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("template", "channel", "email", "phone", "status", "attempts", "created")
    list_filter = ("status", "channel", "template")
    search_fields = ("email", "phone", "event_key")
    readonly_fields = (
        "created",
        "sent_at",
        "attempts",
        "last_error",
        "claimed_at",
        "provider_ref",
        "context",
    )


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "delivery")
    list_filter = ("kind", "delivery")

from django.contrib import admin

from marketplace.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("template", "email", "status", "attempts", "created", "sent_at")
    list_filter = ("status", "template")
    search_fields = ("email",)
    readonly_fields = ("created", "sent_at", "attempts", "last_error")

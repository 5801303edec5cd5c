from django.contrib import admin

from marketplace.core.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("task", "status", "dispatches", "created", "dispatch_after", "done_at")
    list_filter = ("status", "task")
    search_fields = ("dedup_key",)
    readonly_fields = ("created", "done_at", "dispatches", "last_error")

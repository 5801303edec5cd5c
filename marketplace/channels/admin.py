from django.contrib import admin

from marketplace.channels.models import Channel


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ("slug", "name", "currency_code", "default_country", "is_active", "is_default")
    prepopulated_fields = {"slug": ("name_en",)}

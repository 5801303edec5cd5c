from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogisticsConfig(AppConfig):
    name = "marketplace.logistics"
    label = "logistics"
    verbose_name = _("Logistics")

    def ready(self) -> None:
        from marketplace.logistics.messages import register_templates

        register_templates()

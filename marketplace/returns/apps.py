from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReturnsConfig(AppConfig):
    name = "marketplace.returns"
    label = "returns"
    verbose_name = _("Returns")

    def ready(self) -> None:
        from marketplace.logistics.signals import auto_complete_blocked
        from marketplace.payments.signals import payment_captured, payment_refunded
        from marketplace.returns.receivers import (
            captured_money_pays_owed_refunds,
            open_return_blocks_completion,
            refund_settles_its_return,
        )

        auto_complete_blocked.connect(
            open_return_blocks_completion, dispatch_uid="returns.auto_complete_blocked"
        )
        payment_refunded.connect(refund_settles_its_return, dispatch_uid="returns.refunded")
        payment_captured.connect(captured_money_pays_owed_refunds, dispatch_uid="returns.captured")

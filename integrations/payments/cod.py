"""Cash on delivery: the buyer pays the courier or the pickup point when the parcel
arrives, so nothing is charged when the order is placed and the order is confirmed at
once. Offered in rial channels only (couriers collect cash in Iran)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from marketplace.payments.gateways import GatewayResponse, PaymentGateway
from marketplace.payments.models import Payment, PaymentStatus


class CashOnDelivery(PaymentGateway):
    id = "cod"
    name = _("Cash on delivery")
    currencies = frozenset({"IRR"})
    confirms_at_once = True
    initial_status = PaymentStatus.NOT_CHARGED

    def start(self, payment: Payment, redirect_url: str | None) -> GatewayResponse:
        # No provider to call and nothing for the client to do: the money changes hands
        # at the door, when the shipment is delivered.
        return GatewayResponse(status=PaymentStatus.NOT_CHARGED)

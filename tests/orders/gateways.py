"""An online gateway for tests: it behaves like a redirect gateway (the order waits,
UNCONFIRMED, for a callback) without talking to any provider."""

from __future__ import annotations

from contextlib import contextmanager

from marketplace.payments.gateways import (
    ActionKind,
    GatewayResponse,
    PaymentAction,
    PaymentGateway,
    registry,
)
from marketplace.payments.models import PaymentStatus


class RedirectTestGateway(PaymentGateway):
    id = "test-redirect"
    name = "Test redirect gateway"
    currencies = frozenset({"IRR", "USD"})

    def start(self, payment, redirect_url):
        return GatewayResponse(
            status=PaymentStatus.PENDING,
            action=PaymentAction(
                kind=ActionKind.REDIRECT, url=f"https://pay.example.com/{payment.pk}"
            ),
            psp_reference=f"ref-{payment.pk}",
            raw={"redirect_url": redirect_url},
        )


@contextmanager
def online_gateway():
    gateway = RedirectTestGateway()
    registry.register(gateway)
    try:
        yield gateway
    finally:
        registry.unregister(gateway.id)

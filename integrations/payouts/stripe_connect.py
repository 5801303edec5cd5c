"""Stripe Connect transfers to a payee's connected account, through the official library.
Each call carries an idempotency key, so a retried payout never pays twice."""

from __future__ import annotations

from decimal import Decimal

import stripe
from django.conf import settings

from marketplace.channels.money import MINOR_UNITS
from marketplace.ledger.transfers import TransferResult


class StripeConnect:
    def __init__(self) -> None:
        self.client = stripe.StripeClient(
            settings.PAYOUT_STRIPE_SECRET_KEY,
            base_addresses={"api": settings.PAYOUT_STRIPE_API_BASE},
            max_network_retries=2,
        )

    def transfer(
        self, *, amount: Decimal, currency: str, destination: str, idempotency_key: str
    ) -> TransferResult:
        minor = int(amount.scaleb(MINOR_UNITS.get(currency, 2)))
        try:
            transfer = self.client.v1.transfers.create(
                params={
                    "amount": minor,
                    "currency": currency.lower(),
                    "destination": destination,
                    "metadata": {"payout": idempotency_key},
                },
                options={"idempotency_key": idempotency_key},
            )
        except stripe.StripeError as exc:
            return TransferResult(ok=False, error=str(exc.user_message or exc)[:300])
        return TransferResult(ok=True, reference=transfer.id)

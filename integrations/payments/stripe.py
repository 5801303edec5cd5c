"""Stripe: PaymentIntents, confirmed by the buyer's browser with the client secret
(Stripe.js), settled by the verified webhook `POST /payments/stripe/webhook/`.

The official `stripe` library does every call, with an idempotency key on each
(a retried request never creates a second intent or refund), a timeout, and no retries
of its own (a failure is reported and reconciliation asks again). Nothing is believed
on a webhook's word either: its signature is checked with `stripe.Webhook.construct_event`
(timestamp tolerance from settings), then the PaymentIntent is fetched from Stripe and
its status, amount and currency compared with the payment's.

`STRIPE_API_BASE` points the library at another Stripe-protocol server (tests use
localstripe); empty means Stripe itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import stripe
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from marketplace.channels.money import MINOR_UNITS
from marketplace.payments.gateways import (
    ActionKind,
    GatewayResponse,
    GatewayUnavailable,
    InvalidWebhook,
    PaymentAction,
    PaymentGateway,
    WebhookNotice,
)
from marketplace.payments.models import Payment, PaymentStatus, Refund, RefundStatus

TIMEOUT_SECONDS = 15
# The metadata key under which a Stripe refund keeps our Refund's id.
REFUND_KEY = "bazarcheh_refund"
# Events that say something about a PaymentIntent; others are acknowledged and ignored.
INTENT_EVENTS = frozenset(
    {
        "payment_intent.succeeded",
        "payment_intent.payment_failed",
        "payment_intent.canceled",
        "payment_intent.processing",
    }
)


def minor_units(amount: Decimal, currency: str) -> int:
    return int(amount.scaleb(MINOR_UNITS.get(currency, 2)))


class StripeGateway(PaymentGateway):
    id = "stripe"
    name = _("Card payment (Visa, Mastercard)")
    currencies = frozenset({"USD", "EUR"})
    calls_provider = True

    def is_enabled(self) -> bool:
        return bool(settings.STRIPE_SECRET_KEY)

    def http_client(self) -> stripe.HTTPClient:
        return stripe.RequestsClient(timeout=TIMEOUT_SECONDS)

    def client(self) -> stripe.StripeClient:
        base = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
        return stripe.StripeClient(
            settings.STRIPE_SECRET_KEY,
            base_addresses=base,
            max_network_retries=0,
            http_client=self.http_client(),
        )

    def _call(self, what: str, func, *args, **kwargs) -> tuple[Any, dict[str, Any]]:
        raw: dict[str, Any] = {"call": what}
        try:
            result = func(*args, **kwargs)
        except (stripe.APIConnectionError, stripe.RateLimitError) as exc:
            raw["error"] = str(exc)[:500]
            raise GatewayUnavailable(f"stripe {what}: {exc.__class__.__name__}", raw) from exc
        except stripe.APIError as exc:
            raw["error"] = str(exc)[:500]
            raise GatewayUnavailable(f"stripe {what}: {exc.__class__.__name__}", raw) from exc
        except stripe.StripeError as exc:
            raw["error"] = str(exc)[:500]
            raw["code"] = getattr(exc, "code", None)
            return None, raw
        raw["response"] = result.to_dict() if hasattr(result, "to_dict") else result
        return result, raw

    def start(self, payment: Payment, redirect_url: str | None) -> GatewayResponse:
        order = payment.order
        params = {
            "amount": minor_units(payment.total, payment.currency),
            "currency": payment.currency.lower(),
            "payment_method_types": ["card"],
            "metadata": {"payment_id": str(payment.pk), "order_number": str(order.number)},
        }
        options = {"idempotency_key": f"bazarcheh-payment-{payment.pk}"}
        intent, raw = self._call(
            "payment_intents.create", self.client().v1.payment_intents.create, params, options
        )
        if intent is None:
            return GatewayResponse(
                status=PaymentStatus.FAILED, kind="start", is_success=False, raw=raw
            )
        return GatewayResponse(
            status=PaymentStatus.PENDING,
            action=PaymentAction(kind=ActionKind.CLIENT_SECRET, client_secret=intent.client_secret),
            psp_reference=intent.id,
            kind="start",
            raw=raw,
        )

    def verify_callback(self, payment: Payment, data: Mapping[str, Any]) -> GatewayResponse:
        intent, raw = self._call(
            "payment_intents.retrieve",
            self.client().v1.payment_intents.retrieve,
            payment.psp_reference,
        )
        if intent is None:
            return GatewayResponse(status=PaymentStatus.PENDING, kind="verify", raw=raw)
        same_money = (
            intent.amount == minor_units(payment.total, payment.currency)
            and intent.currency == payment.currency.lower()
        )
        if intent.status == "succeeded" and same_money:
            return GatewayResponse(
                status=PaymentStatus.CHARGED,
                psp_reference=intent.id,
                kind="verify",
                amount=payment.total,
                raw=raw,
            )
        failed = intent.status == "canceled" or (
            intent.status == "requires_payment_method"
            and intent.to_dict().get("last_payment_error")
        )
        if failed or (intent.status == "succeeded" and not same_money):
            return GatewayResponse(
                status=PaymentStatus.FAILED,
                kind="verify",
                is_success=False,
                amount=Decimal(0),
                raw=raw,
            )
        return GatewayResponse(status=PaymentStatus.PENDING, kind="verify", raw=raw)

    def refund(self, payment: Payment, amount: Decimal, reference: str = "") -> GatewayResponse:
        params: dict[str, Any] = {
            "payment_intent": payment.psp_reference,
            "amount": minor_units(amount, payment.currency),
        }
        if reference:
            params["metadata"] = {REFUND_KEY: reference}
            key = f"bazarcheh-refund-{reference}"
        else:
            # refunded_amount already includes this refund: unique per refund of a payment.
            key = f"bazarcheh-refund-{payment.pk}-{payment.refunded_amount}"
        refund, raw = self._call(
            "refunds.create", self.client().v1.refunds.create, params, {"idempotency_key": key}
        )
        return self._refund_answer(refund, amount, raw, kind="refund")

    def _refund_answer(
        self, refund: Any, amount: Decimal, raw: dict[str, Any], *, kind: str
    ) -> GatewayResponse:
        if refund is None or refund.status in {"failed", "canceled"}:
            return GatewayResponse(status=RefundStatus.FAILED, kind=kind, is_success=False, raw=raw)
        return GatewayResponse(
            status=RefundStatus.DONE, kind=kind, amount=amount, psp_reference=refund.id, raw=raw
        )

    def inquire_refund(self, payment: Payment, refund: Refund) -> GatewayResponse:
        # The refund carries our id in its metadata: found, it is what Stripe did; not
        # found, the request never reached Stripe and is made now, under the same key.
        found, raw = self._call(
            "refunds.list",
            self.client().v1.refunds.list,
            {"payment_intent": payment.psp_reference, "limit": 100},
        )
        if found is None:
            return GatewayResponse(
                status=RefundStatus.PENDING, kind="refund_inquiry", is_success=False, raw=raw
            )
        for item in found.data:
            if (item.to_dict().get("metadata") or {}).get(REFUND_KEY) == str(refund.pk):
                return self._refund_answer(item, refund.amount, raw, kind="refund_inquiry")
        made = self.refund(payment, refund.amount, reference=str(refund.pk))
        made.raw = {"inquiry": raw, **(made.raw or {})}
        return made

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookNotice:
        secret = settings.STRIPE_WEBHOOK_SECRET
        signature = headers.get("Stripe-Signature")
        if not secret or not signature:
            raise InvalidWebhook("unsigned")
        try:
            event = stripe.Webhook.construct_event(
                body, signature, secret, tolerance=settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS
            )
        except (ValueError, stripe.SignatureVerificationError) as exc:
            raise InvalidWebhook(str(exc)[:200]) from exc
        reference = ""
        if event.type in INTENT_EVENTS:
            reference = str(getattr(event.data.object, "id", "") or "")
        return WebhookNotice(event_id=event.id, type=event.type, reference=reference)

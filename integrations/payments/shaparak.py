"""The Shaparak-protocol gateway: Zarinpal's v4 REST API, which Iranian payment
gateways speak.

The exchange: payment request (merchant id, amount in rial, callback URL, description,
the buyer's email) → an authority → the buyer goes to the gateway's StartPay page →
the gateway sends the buyer back to our callback with `Authority` and `Status` → we
verify with the same amount (code 100 paid, 101 already verified, i.e. paid; anything
else is not paid) and keep the reference id and the masked card.

When the provider is called: `calls_provider` is true, so the payment request runs after
the order's transaction has committed (marketplace.payments.services.request_payment),
never while the order's rows are locked; verification runs before the short
transaction that settles the payment. A timeout, a connection error, a redirect or a
5xx raises GatewayUnavailable: the payment stays as it was and reconciliation asks again.

The HTTP client is `requests` with a timeout on every call and redirects refused (a
payment API that redirects is misconfigured or hijacked, never followed).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import requests
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.channels.money import MINOR_UNITS
from marketplace.payments.gateways import (
    ActionKind,
    GatewayResponse,
    GatewayUnavailable,
    PaymentAction,
    PaymentGateway,
)
from marketplace.payments.models import Payment, PaymentStatus, Refund, RefundStatus

PAID_CODES = frozenset({100, 101})
API_PATH = "/pg/v4/payment/"


def _masked(merchant_id: str) -> str:
    # The merchant id is the account's credential: audits keep its end only.
    return f"…{merchant_id[-4:]}" if merchant_id else ""


def code_of(payload: Mapping[str, Any] | None) -> int | None:
    """The protocol's result code: data.code on success, errors.code on failure."""
    if not isinstance(payload, Mapping):
        return None
    for key in ("data", "errors"):
        part = payload.get(key)
        if isinstance(part, Mapping) and "code" in part:
            try:
                return int(part["code"])
            except (TypeError, ValueError):
                return None
    return None


def data_of(payload: Mapping[str, Any] | None) -> Mapping[str, Any]:
    data = payload.get("data") if isinstance(payload, Mapping) else None
    return data if isinstance(data, Mapping) else {}


class ShaparakGateway(PaymentGateway):
    id = "shaparak"
    name = _("Online payment with an Iranian bank card")
    currencies = frozenset({"IRR"})
    calls_provider = True

    def __init__(self) -> None:
        self._local = threading.local()

    # ---------------------------------------------------------------- configuration

    def is_enabled(self) -> bool:
        return bool(self.merchant_id())

    def merchant_id(self) -> str:
        return settings.SHAPARAK_MERCHANT_ID

    def api_base(self) -> str:
        return settings.SHAPARAK_API_BASE.rstrip("/")

    def startpay_base(self) -> str:
        return settings.SHAPARAK_STARTPAY_BASE.rstrip("/")

    def timeout(self) -> float:
        return settings.SHAPARAK_TIMEOUT_SECONDS

    def callback_url(self) -> str:
        return f"{settings.PAYMENT_PUBLIC_URL}/payments/{self.id}/callback/"

    def make_session(self) -> requests.Session:
        return requests.Session()

    def session(self) -> requests.Session:
        # One session (and its kept-alive connections) per thread.
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = self.make_session()
        return session

    # ---------------------------------------------------------------- the protocol

    def amount_of(self, payment: Payment) -> int:
        """The amount in the currency's smallest unit (rial for IRR)."""
        return int(payment.total.scaleb(MINOR_UNITS.get(payment.currency, 2)))

    def post(self, method: str, body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """POST `body` to one of the protocol's methods; returns (payload, raw exchange)."""
        url = f"{self.api_base()}{API_PATH}{method}"
        shown = {**body, "merchant_id": _masked(str(body.get("merchant_id", "")))}
        raw: dict[str, Any] = {"request": {"url": url, "body": shown}}
        try:
            response = self.session().post(
                url,
                json=body,
                timeout=self.timeout(),
                allow_redirects=False,
                headers={"Accept": "application/json"},
            )
        except requests.RequestException as exc:
            raw["error"] = repr(exc)[:500]
            raise GatewayUnavailable(f"{method}: {exc.__class__.__name__}", raw) from exc
        raw["status"] = response.status_code
        try:
            payload = response.json()
        except ValueError:
            payload = None
            raw["body"] = response.text[:2000]
        raw["response"] = payload
        if response.status_code >= 500 or 300 <= response.status_code < 400:
            raise GatewayUnavailable(f"{method}: HTTP {response.status_code}", raw)
        if not isinstance(payload, dict):
            raise GatewayUnavailable(f"{method}: not JSON", raw)
        return payload, raw

    def start(self, payment: Payment, redirect_url: str | None) -> GatewayResponse:
        order = payment.order
        body = {
            "merchant_id": self.merchant_id(),
            "amount": self.amount_of(payment),
            "currency": payment.currency,
            "callback_url": self.callback_url(),
            "description": f"Bazarcheh {order.number}",
            "metadata": {"email": order.email, "order_id": str(order.number)},
        }
        payload, raw = self.post("request.json", body)
        authority = str(data_of(payload).get("authority") or "")
        if code_of(payload) != 100 or not authority:
            return GatewayResponse(
                status=PaymentStatus.FAILED, kind="start", is_success=False, raw=raw
            )
        url = f"{self.startpay_base()}/pg/StartPay/{authority}"
        return GatewayResponse(
            status=PaymentStatus.PENDING,
            action=PaymentAction(kind=ActionKind.REDIRECT, url=url),
            psp_reference=authority,
            kind="start",
            raw=raw,
        )

    def verify_callback(self, payment: Payment, data: Mapping[str, Any]) -> GatewayResponse:
        body = {
            "merchant_id": self.merchant_id(),
            "amount": self.amount_of(payment),
            "authority": payment.psp_reference,
        }
        payload, raw = self.post("verify.json", body)
        if code_of(payload) in PAID_CODES:
            # The gateway checked our amount against what it took: paid means equal.
            return GatewayResponse(
                status=PaymentStatus.CHARGED,
                psp_reference=payment.psp_reference,
                kind="verify",
                amount=payment.total,
                raw=raw,
            )
        return GatewayResponse(
            status=PaymentStatus.FAILED, kind="verify", is_success=False, amount=Decimal(0), raw=raw
        )

    def refund(self, payment: Payment, amount: Decimal, reference: str = "") -> GatewayResponse:
        # The protocol reverses a whole verified payment, and only for a while; any
        # other refund is owed to the buyer and paid out to their bank account.
        window = timezone.timedelta(minutes=settings.SHAPARAK_REVERSE_MINUTES)
        reversible = (
            amount == payment.captured_amount
            and payment.refunded_amount == amount
            and payment.captured_at is not None
            and timezone.now() - payment.captured_at < window
        )
        if not reversible:
            return GatewayResponse(status=RefundStatus.OWED, kind="refund", amount=amount)
        body = {"merchant_id": self.merchant_id(), "authority": payment.psp_reference}
        payload, raw = self.post("reverse.json", body)
        status = RefundStatus.DONE if code_of(payload) == 100 else RefundStatus.OWED
        return GatewayResponse(status=status, kind="reverse", amount=amount, raw=raw)

    def inquire_refund(self, payment: Payment, refund: Refund) -> GatewayResponse:
        # A reverse whose answer was lost: the inquiry says whether the gateway reversed
        # the payment. Still verified means the reverse never happened, and asking for it
        # again is safe (a payment is reversed at most once); the window may have closed
        # meanwhile, and the refund is then owed.
        body = {"merchant_id": self.merchant_id(), "authority": payment.psp_reference}
        payload, raw = self.post("inquiry.json", body)
        status = str(data_of(payload).get("status") or "")
        if code_of(payload) == 100 and status == "REVERSED":
            return GatewayResponse(
                status=RefundStatus.DONE, kind="refund_inquiry", amount=refund.amount, raw=raw
            )
        if code_of(payload) == 100 and status == "VERIFIED":
            again = self.refund(payment, refund.amount, reference=str(refund.pk))
            again.raw = {"inquiry": raw, **(again.raw or {})}
            return again
        return GatewayResponse(
            status=RefundStatus.PENDING, kind="refund_inquiry", is_success=False, raw=raw
        )

    def unverified(self) -> list[str]:
        """Authorities the gateway says were paid but never verified."""
        payload, _raw = self.post("unVerified.json", {"merchant_id": self.merchant_id()})
        rows = data_of(payload).get("authorities") or []
        return [str(row.get("authority")) for row in rows if isinstance(row, Mapping)]

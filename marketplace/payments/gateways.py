"""The payment gateway interface and the registry of gateways.

The domain defines what a gateway must do; the implementations (cash on delivery, the
Shaparak-protocol gateway and its built-in sandbox, Stripe) live in
`integrations/payments/` and are found by their id ("cod", "shaparak", …) through the
registry. A checkout offers the enabled gateways that support its channel's currency.

Gateways that talk to a provider (`calls_provider`) are never called inside the order's
transaction: the order and a PENDING payment are committed first, then
marketplace.payments.services asks the provider and stores its answer. A slow or
failing provider thus holds no stock or voucher lock, and a provider's answer is never
lost to a rollback.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from threading import Lock
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from marketplace.core.errors import DomainError, ErrorCode
from marketplace.payments.models import Payment, PaymentStatus, Refund, RefundStatus

# Implementations the registry loads when it is first asked; settings.PAYMENT_GATEWAYS
# may replace the list (dotted paths of PaymentGateway subclasses). A gateway whose
# `is_enabled()` is false (no merchant configured, sandbox switched off) is not offered.
DEFAULT_GATEWAYS = (
    "integrations.payments.cod.CashOnDelivery",
    "integrations.payments.shaparak.ShaparakGateway",
    "integrations.payments.sandbox.SandboxGateway",
    "integrations.payments.stripe.StripeGateway",
)


class GatewayUnavailable(Exception):
    """The provider did not answer in time or answered with a server error: nothing is
    known, so nothing changes (reconciliation asks again later). `raw` is what was
    exchanged, kept for audits."""

    def __init__(self, message: str, raw: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.raw = raw or {"error": message}


class InvalidWebhook(Exception):
    """A webhook that is unsigned, badly signed, outside the time tolerance or garbled."""


@dataclass(frozen=True)
class WebhookNotice:
    """What a verified webhook says: the provider's event id (handled once), its type
    and the payment's reference at the provider ("" when it concerns no payment)."""

    event_id: str
    type: str
    reference: str


class ActionKind:
    REDIRECT = "REDIRECT"
    CLIENT_SECRET = "CLIENT_SECRET"


@dataclass(frozen=True)
class PaymentAction:
    """What the client must do next to pay: send the buyer to `url` (REDIRECT) or confirm
    the payment with `client_secret` (CLIENT_SECRET)."""

    kind: str
    url: str | None = None
    client_secret: str | None = None

    def as_json(self) -> dict[str, str]:
        data = {"kind": self.kind}
        if self.url is not None:
            data["url"] = self.url
        if self.client_secret is not None:
            data["client_secret"] = self.client_secret
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> PaymentAction | None:
        if not data or "kind" not in data:
            return None
        return cls(kind=data["kind"], url=data.get("url"), client_secret=data.get("client_secret"))


@dataclass
class GatewayResponse:
    """A gateway's answer when a payment starts (or a callback or refund is handled).

    `raw` is what the gateway exchanged with the provider; when given it is kept as a
    Transaction for audits and reconciliation."""

    status: str
    action: PaymentAction | None = None
    psp_reference: str = ""
    kind: str = "start"
    amount: Decimal | None = None
    is_success: bool = True
    raw: dict[str, Any] | None = field(default=None)


class PaymentGateway(ABC):
    """One way of paying. Subclasses set the class attributes and implement `start`."""

    id: str
    # Shown to buyers; a lazy translation, rendered in the request's language.
    name: str
    # ISO 4217 codes of the currencies this gateway takes.
    currencies: frozenset[str] = frozenset()
    # True when an order is confirmed as soon as it is placed (cash on delivery); False
    # when it waits, UNCONFIRMED, for the gateway's callback or webhook.
    confirms_at_once: bool = False
    # The status a new payment of this gateway starts with.
    initial_status: str = PaymentStatus.PENDING
    # True when `start` calls a provider over the network: it then runs after the
    # order's transaction has committed (see the module docstring).
    calls_provider: bool = False

    def is_enabled(self) -> bool:
        """Whether this gateway is configured to be offered at all."""
        return True

    def supports_currency(self, currency: str) -> bool:
        return currency in self.currencies and self.is_enabled()

    @abstractmethod
    def start(self, payment: Payment, redirect_url: str | None) -> GatewayResponse:
        """Begin paying `payment` (already saved, in the order's transaction). Must not
        block on slow calls that cannot be undone when the transaction rolls back."""

    def verify_callback(self, payment: Payment, data: Mapping[str, Any]) -> GatewayResponse:
        """Check a provider's callback or webhook about `payment` with the provider and
        say what it means: status CHARGED (with the amount taken), FAILED, or PENDING
        when nothing is known yet. Raises GatewayUnavailable when the provider cannot be
        reached."""
        raise DomainError.of(
            ErrorCode.PAYMENT_ERROR, None, _("This payment method sends no confirmations.")
        )

    def inquire(self, payment: Payment) -> GatewayResponse:
        """Ask the provider where a PENDING payment stands (reconciliation)."""
        return self.verify_callback(payment, {})

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookNotice:
        """Check a webhook's signature and read it; raises InvalidWebhook."""
        raise InvalidWebhook("this gateway sends no webhooks")

    def refund(self, payment: Payment, amount: Decimal, reference: str = "") -> GatewayResponse:
        """Give `amount` of a charged payment back to the buyer: status DONE when the
        provider gave it back, OWED when it cannot (the money issue pays it out), FAILED
        when the provider refused. Raises GatewayUnavailable when it cannot be reached.
        `reference` is our Refund's id: the provider keeps it, so the refund can be found
        (and is never made twice) when the answer is lost."""
        raise DomainError.of(
            ErrorCode.PAYMENT_ERROR, None, _("This payment method cannot refund online.")
        )

    def inquire_refund(self, payment: Payment, refund: Refund) -> GatewayResponse:
        """Ask the provider about a refund left PENDING because its answer was lost:
        DONE, OWED or FAILED as `refund` would have answered, PENDING while still
        unknown. Raises GatewayUnavailable when it cannot be reached."""
        return GatewayResponse(status=RefundStatus.PENDING, kind="refund_inquiry")


class Registry:
    """Gateways by id, loaded lazily from settings (or DEFAULT_GATEWAYS)."""

    def __init__(self) -> None:
        self._gateways: dict[str, PaymentGateway] | None = None
        self._lock = Lock()

    def _load(self) -> dict[str, PaymentGateway]:
        if self._gateways is None:
            with self._lock:
                if self._gateways is None:
                    paths = getattr(settings, "PAYMENT_GATEWAYS", None) or DEFAULT_GATEWAYS
                    loaded: dict[str, PaymentGateway] = {}
                    for path in paths:
                        module_name, _dot, class_name = path.rpartition(".")
                        gateway = getattr(importlib.import_module(module_name), class_name)()
                        loaded[gateway.id] = gateway
                    self._gateways = loaded
        return self._gateways

    def get(self, gateway_id: str | None) -> PaymentGateway | None:
        return self._load().get(gateway_id or "")

    def all(self) -> list[PaymentGateway]:
        return list(self._load().values())

    def for_currency(self, currency: str) -> list[PaymentGateway]:
        """The gateways a checkout in a channel with this currency may use."""
        return [g for g in self._load().values() if g.supports_currency(currency)]

    def register(self, gateway: PaymentGateway) -> None:
        """Add (or replace) a gateway, e.g. one configured at run time."""
        gateways = self._load()
        with self._lock:
            gateways[gateway.id] = gateway

    def unregister(self, gateway_id: str) -> None:
        gateways = self._load()
        with self._lock:
            gateways.pop(gateway_id, None)


registry = Registry()


def get_gateway(gateway_id: str | None) -> PaymentGateway | None:
    return registry.get(gateway_id)


def gateways_for_currency(currency: str) -> list[PaymentGateway]:
    return registry.for_currency(currency)


def gateways_for_channel(channel) -> list[PaymentGateway]:
    """What `availablePaymentGateways` lists for a checkout in `channel`."""
    return registry.for_currency(channel.currency_code)

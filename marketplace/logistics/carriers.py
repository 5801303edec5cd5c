"""The carrier interface and the registry of carriers.

The domain says what a carrier does (quote, book, label, track, cancel); the adapters in
`integrations/logistics/` speak each carrier's HTTP API. Carriers are configured in
settings.LOGISTICS_CARRIERS by id ("post", "courier"): the adapter's dotted path, its
base URL, API key and webhook secret, and whether it is polled for tracking. A delivery
method's kind names its carrier (settings.LOGISTICS_KIND_CARRIERS).
"""

from __future__ import annotations

import hashlib
import hmac
import importlib
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from threading import Lock
from typing import Any

from django.conf import settings


class CarrierError(Exception):
    """The carrier refused, failed or did not answer; nothing was booked or changed."""


class TrackingStatus:
    ACCEPTED = "ACCEPTED"
    IN_TRANSIT = "IN_TRANSIT"
    OUT_FOR_DELIVERY = "OUT_FOR_DELIVERY"
    DELIVERY_FAILED = "DELIVERY_FAILED"
    DELIVERED = "DELIVERED"
    ALL = frozenset({ACCEPTED, IN_TRANSIT, OUT_FOR_DELIVERY, DELIVERY_FAILED, DELIVERED})


@dataclass(frozen=True)
class Address:
    name: str
    phone: str
    province: str
    city: str
    street: str
    postal_code: str
    country: str = "IR"


@dataclass(frozen=True)
class ParcelRequest:
    """What a carrier needs to quote or book one parcel."""

    reference: str
    sender: Address
    recipient: Address
    weight_grams: int
    service: str = ""
    cash_on_delivery: Decimal = Decimal(0)
    currency: str = "IRR"


@dataclass(frozen=True)
class Quote:
    price: Decimal
    currency: str
    days: int | None = None


@dataclass(frozen=True)
class Booking:
    tracking_number: str
    reference: str = ""
    label_pdf: bytes | None = None


@dataclass(frozen=True)
class TrackingEvent:
    """One scan or step reported by a carrier; `id` is the carrier's own and unique."""

    id: str
    tracking_number: str
    status: str
    date: datetime
    location: str = ""
    description: str = ""
    cash_collected: Decimal | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False)


class Carrier(ABC):
    id: str
    # Checked before a tracking number is recorded or booked.
    tracking_pattern: re.Pattern[str]
    tracking_page: str = ""

    def __init__(
        self,
        *,
        base_url: str = "",
        api_key: str = "",
        webhook_secret: str = "",
        poll: bool = False,
        timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.5,
        **_options: Any,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.webhook_secret = webhook_secret
        self.poll = poll
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff

    def valid_tracking_number(self, value: str) -> bool:
        return bool(self.tracking_pattern.fullmatch(value))

    def tracking_url(self, tracking_number: str) -> str | None:
        return self.tracking_page.format(tracking_number) if self.tracking_page else None

    def service_for(self, method_name_en: str) -> str:
        """The carrier's service for a delivery method (e.g. express or registered)."""
        return ""

    @abstractmethod
    def quote(self, parcel: ParcelRequest) -> Quote: ...

    @abstractmethod
    def book(self, parcel: ParcelRequest, *, idempotency_key: str) -> Booking: ...

    @abstractmethod
    def label(self, tracking_number: str) -> bytes: ...

    @abstractmethod
    def track(self, tracking_numbers: list[str]) -> list[TrackingEvent]: ...

    @abstractmethod
    def cancel(self, tracking_number: str, *, idempotency_key: str) -> None: ...

    @abstractmethod
    def parse_webhook(self, body: bytes) -> list[TrackingEvent]:
        """The events of a verified webhook body; CarrierError when it is malformed."""

    def signature_header(self) -> str:
        return "X-Signature"

    def verify_signature(self, body: bytes, signature: str) -> bool:
        """HMAC-SHA256 of the raw body with the carrier's secret, hex, compared in
        constant time. No secret configured: nothing verifies."""
        if not self.webhook_secret or not signature:
            return False
        expected = hmac.new(self.webhook_secret.encode(), body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, signature.strip().lower())


DEFAULT_CARRIERS: dict[str, dict[str, Any]] = {
    "post": {"class": "integrations.logistics.post.NationalPost"},
    "courier": {"class": "integrations.logistics.courier.Courier", "poll": True},
}
DEFAULT_KIND_CARRIERS = {"POST": "post", "COURIER": "courier"}

_lock = Lock()
_carriers: dict[str, Carrier] | None = None


def _load() -> dict[str, Carrier]:
    configured = getattr(settings, "LOGISTICS_CARRIERS", None) or DEFAULT_CARRIERS
    carriers = {}
    for carrier_id, options in configured.items():
        options = dict(options)
        module_name, _dot, class_name = options.pop("class").rpartition(".")
        cls = getattr(importlib.import_module(module_name), class_name)
        carrier = cls(**options)
        carrier.id = carrier_id
        carriers[carrier_id] = carrier
    return carriers


def carriers() -> dict[str, Carrier]:
    global _carriers
    with _lock:
        if _carriers is None:
            _carriers = _load()
        return _carriers


def get_carrier(carrier_id: str) -> Carrier | None:
    return carriers().get(carrier_id or "")


def carrier_for_kind(kind: str) -> Carrier | None:
    mapping = getattr(settings, "LOGISTICS_KIND_CARRIERS", None) or DEFAULT_KIND_CARRIERS
    return get_carrier(mapping.get(kind, ""))


def reset() -> None:
    """Forget loaded carriers (after settings change, in tests)."""
    global _carriers
    with _lock:
        _carriers = None

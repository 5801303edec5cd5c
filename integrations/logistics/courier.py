"""A private courier's API (same-day and next-day parcels in cities).

The API, as this adapter speaks it (JSON; `X-Api-Key: <api key>`; writes carry an
`Idempotency-Key` header, and a repeated key returns the first answer):

    POST /api/v2/rates         {"weight_g": int, "from": {...}, "to": {...}}
                               → 200 {"amount": int, "currency": "IRR", "eta_days": int}
    POST /api/v2/shipments     {"ref": str, "weight_g": int, "cod": int,
                                "from": {name, phone, province, city, address, postal_code},
                                "to": {same}}
                               → 201 {"code": "CR" + 10 digits, "id": str}
    GET  /api/v2/shipments/<code>/label → 200 application/pdf
    POST /api/v2/shipments/<code>/cancel → 200 {"canceled": true}; 409 once picked up
    POST /api/v2/track         {"codes": [str, ≤100]}
                               → 200 {"updates": [update, …]}
    errors                     → 4xx/5xx {"error": str}

An update: {"id": str (unique), "code": str, "state": "ACCEPTED" | "IN_TRANSIT" |
"OUT_FOR_DELIVERY" | "DELIVERY_FAILED" | "DELIVERED", "at": ISO 8601 with offset,
"location": str, "description": str, "cash": int | null}.

The courier may also POST {"updates": [update, …]} to /logistics/courier/webhook/ with
header `X-Courier-Signature: <hex HMAC-SHA256 of the raw body>`; by default it is polled.
"""

from __future__ import annotations

import re
from decimal import Decimal

from integrations.logistics.http import JsonClient
from integrations.logistics.post import address_json, parse_events
from marketplace.logistics.carriers import (
    Booking,
    Carrier,
    CarrierError,
    ParcelRequest,
    Quote,
    TrackingEvent,
)

UPDATE_KEYS = {"status_key": "state", "time_key": "at", "number_key": "code", "cash_key": "cash"}


class Courier(Carrier):
    tracking_pattern = re.compile(r"CR\d{10}")
    tracking_page = ""

    @property
    def client(self) -> JsonClient:
        return JsonClient(
            self.base_url,
            headers={"X-Api-Key": self.api_key, "Accept": "application/json"},
            timeout=self.timeout,
            retries=self.retries,
            backoff=self.backoff,
        )

    def tracking_url(self, tracking_number: str) -> str | None:
        return f"{self.base_url}/track/{tracking_number}" if self.base_url else None

    def signature_header(self) -> str:
        return "X-Courier-Signature"

    def quote(self, parcel: ParcelRequest) -> Quote:
        answer = self.client.request(
            "POST",
            "/api/v2/rates",
            body={
                "weight_g": parcel.weight_grams,
                "from": address_json(parcel.sender),
                "to": address_json(parcel.recipient),
            },
        )
        return Quote(
            price=Decimal(str(answer["amount"])),
            currency=answer.get("currency", "IRR"),
            days=answer.get("eta_days"),
        )

    def book(self, parcel: ParcelRequest, *, idempotency_key: str) -> Booking:
        answer = self.client.request(
            "POST",
            "/api/v2/shipments",
            idempotency_key=idempotency_key,
            body={
                "ref": parcel.reference,
                "weight_g": parcel.weight_grams,
                "cod": int(parcel.cash_on_delivery),
                "from": address_json(parcel.sender),
                "to": address_json(parcel.recipient),
            },
        )
        if not isinstance(answer, dict) or "code" not in answer:
            raise CarrierError("no shipment code in the answer")
        code = str(answer["code"])
        return Booking(
            tracking_number=code,
            reference=str(answer.get("id", ""))[:100],
            label_pdf=self.label(code),
        )

    def label(self, tracking_number: str) -> bytes:
        return self.client.request("GET", f"/api/v2/shipments/{tracking_number}/label", raw=True)

    def track(self, tracking_numbers: list[str]) -> list[TrackingEvent]:
        answer = self.client.request("POST", "/api/v2/track", body={"codes": tracking_numbers})
        return parse_events(answer, "updates", **UPDATE_KEYS)

    def cancel(self, tracking_number: str, *, idempotency_key: str) -> None:
        self.client.request(
            "POST", f"/api/v2/shipments/{tracking_number}/cancel", idempotency_key=idempotency_key
        )

    def parse_webhook(self, body: bytes) -> list[TrackingEvent]:
        return parse_events(body, "updates", **UPDATE_KEYS)

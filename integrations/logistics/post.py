"""The national post's parcel API (registered and express parcels).

The API, as this adapter speaks it (JSON, UTF-8; `Authorization: Bearer <api key>`;
writes carry an `Idempotency-Key` header and the same key returns the first answer):

    POST /v1/quotes            {"service": "registered"|"express", "weight_grams": int,
                                "origin_province": str, "destination_postal_code": str}
                               → 200 {"price": int, "currency": "IRR", "days": int}
    POST /v1/parcels           {"service", "reference", "weight_grams", "cod_amount": int,
                                "sender": {name, phone, province, city, address, postal_code},
                                "recipient": {same}}
                               → 201 {"tracking_number": "<24 digits>", "parcel_id": str}
    GET  /v1/parcels/<tn>/label → 200 application/pdf
    DELETE /v1/parcels/<tn>    → 204; 409 once the parcel was accepted at a counter
    POST /v1/tracking          {"tracking_numbers": [str, ≤100]}
                               → 200 {"events": [event, …]}
    errors                     → 4xx/5xx {"error": str}

An event: {"id": str (unique), "tracking_number": str, "status": "ACCEPTED" |
"IN_TRANSIT" | "OUT_FOR_DELIVERY" | "DELIVERY_FAILED" | "DELIVERED", "time": ISO 8601
with offset, "location": str, "description": str, "cod_collected": int | null}.

Webhooks: the post POSTs {"events": [event, …]} to /logistics/post/webhook/ with header
`X-Post-Signature: <hex HMAC-SHA256 of the raw body with the webhook secret>`.
Tracking numbers are 24 digits; the public tracking page is tracking.post.ir.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from django.utils.dateparse import parse_datetime

from integrations.logistics.http import JsonClient
from marketplace.logistics.carriers import (
    Address,
    Booking,
    Carrier,
    CarrierError,
    ParcelRequest,
    Quote,
    TrackingEvent,
    TrackingStatus,
)

REGISTERED = "registered"
EXPRESS = "express"


def address_json(address: Address) -> dict[str, str]:
    return {
        "name": address.name,
        "phone": address.phone,
        "province": address.province,
        "city": address.city,
        "address": address.street,
        "postal_code": address.postal_code,
    }


def parse_event(
    item: Any,
    *,
    status_key: str = "status",
    time_key: str = "time",
    number_key: str = "tracking_number",
    cash_key: str = "cod_collected",
) -> TrackingEvent:
    if not isinstance(item, dict):
        raise CarrierError("an event is not an object")
    try:
        event_id = str(item["id"])[:100]
        number = str(item[number_key])
        status = str(item[status_key])
        date = parse_datetime(str(item[time_key]))
    except (KeyError, ValueError) as exc:
        raise CarrierError(f"bad event: {exc}") from None
    if not event_id or status not in TrackingStatus.ALL or date is None or date.tzinfo is None:
        raise CarrierError("bad event")
    cash = item.get(cash_key)
    return TrackingEvent(
        id=event_id,
        tracking_number=number,
        status=status,
        date=date,
        location=str(item.get("location") or "")[:200],
        description=str(item.get("description") or "")[:500],
        cash_collected=Decimal(str(cash)) if cash is not None else None,
        raw=item,
    )


def parse_events(body: bytes | Any, key: str = "events", **keys: str) -> list[TrackingEvent]:
    try:
        data = json.loads(body) if isinstance(body, (bytes, str)) else body
    except ValueError:
        raise CarrierError("not JSON") from None
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise CarrierError(f"no {key} list")
    return [parse_event(item, **keys) for item in items]


class NationalPost(Carrier):
    tracking_pattern = re.compile(r"\d{24}")
    tracking_page = "https://tracking.post.ir/?id={}"

    @property
    def client(self) -> JsonClient:
        return JsonClient(
            self.base_url,
            headers={"Authorization": f"Bearer {self.api_key}", "Accept": "application/json"},
            timeout=self.timeout,
            retries=self.retries,
            backoff=self.backoff,
        )

    def signature_header(self) -> str:
        return "X-Post-Signature"

    def service_for(self, method_name_en: str) -> str:
        return EXPRESS if "express" in method_name_en.lower() else REGISTERED

    def quote(self, parcel: ParcelRequest) -> Quote:
        answer = self.client.request(
            "POST",
            "/v1/quotes",
            body={
                "service": parcel.service or REGISTERED,
                "weight_grams": parcel.weight_grams,
                "origin_province": parcel.sender.province,
                "destination_postal_code": parcel.recipient.postal_code,
            },
        )
        return Quote(
            price=Decimal(str(answer["price"])),
            currency=answer.get("currency", "IRR"),
            days=answer.get("days"),
        )

    def book(self, parcel: ParcelRequest, *, idempotency_key: str) -> Booking:
        answer = self.client.request(
            "POST",
            "/v1/parcels",
            idempotency_key=idempotency_key,
            body={
                "service": parcel.service or REGISTERED,
                "reference": parcel.reference,
                "weight_grams": parcel.weight_grams,
                "cod_amount": int(parcel.cash_on_delivery),
                "sender": address_json(parcel.sender),
                "recipient": address_json(parcel.recipient),
            },
        )
        if not isinstance(answer, dict) or "tracking_number" not in answer:
            raise CarrierError("no tracking number in the answer")
        number = str(answer["tracking_number"])
        return Booking(
            tracking_number=number,
            reference=str(answer.get("parcel_id", ""))[:100],
            label_pdf=self.label(number),
        )

    def label(self, tracking_number: str) -> bytes:
        return self.client.request("GET", f"/v1/parcels/{tracking_number}/label", raw=True)

    def track(self, tracking_numbers: list[str]) -> list[TrackingEvent]:
        answer = self.client.request(
            "POST", "/v1/tracking", body={"tracking_numbers": tracking_numbers}
        )
        return parse_events(answer)

    def cancel(self, tracking_number: str, *, idempotency_key: str) -> None:
        self.client.request(
            "DELETE", f"/v1/parcels/{tracking_number}", idempotency_key=idempotency_key
        )

    def parse_webhook(self, body: bytes) -> list[TrackingEvent]:
        return parse_events(body)

"""SMS through a Kavenegar-style REST API.

    POST {base}/v1/{api_key}/sms/send.json      receptor, message, sender, localid
    GET  {base}/v1/{api_key}/sms/status.json?messageid=…

Answers are {"return": {"status": 200, "message": "…"}, "entries": [{"messageid": …,
"status": …}, …]}. `localid` is our notification id: the provider sends a message with a
`localid` it has seen once and answers with the first message's id, which makes a send
repeated after a crash harmless.
"""

from __future__ import annotations

import requests
from django.conf import settings

from marketplace.notifications.channels import ChannelError, Message

# Provider statuses that trying again will not fix (bad number, bad key, blocked text).
PERMANENT = frozenset({400, 401, 403, 404, 405, 407, 409, 411, 412, 414, 415, 422, 426})
# Delivery statuses of a message: 10 reached the handset; these never will (failed at
# the operator, undelivered, cancelled, blocked by the recipient, unknown id). Any other
# (queued, scheduled, at the operator) is not final yet.
DELIVERED = 10
UNDELIVERED = frozenset({6, 11, 13, 14, 100})


class Kavenegar:
    def __init__(
        self,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        sender: str | None = None,
        timeout: float | None = None,
    ) -> None:
        self.base_url = (base_url or settings.KAVENEGAR_BASE_URL).rstrip("/")
        self.api_key = api_key or settings.KAVENEGAR_API_KEY
        self.sender = sender if sender is not None else settings.KAVENEGAR_SENDER
        self.timeout = timeout or settings.SMS_TIMEOUT_SECONDS

    def _call(self, method: str, endpoint: str, params: dict) -> list[dict]:
        url = f"{self.base_url}/v1/{self.api_key}/sms/{endpoint}.json"
        try:
            if method == "POST":
                response = requests.post(url, data=params, timeout=self.timeout)
            else:
                response = requests.get(url, params=params, timeout=self.timeout)
        except requests.RequestException as exc:
            raise ChannelError(f"SMS provider unreachable: {exc.__class__.__name__}") from exc
        try:
            body = response.json()
            status = int(body["return"]["status"])
        except (ValueError, KeyError, TypeError):
            raise ChannelError(f"SMS provider answered HTTP {response.status_code}") from None
        if status != 200:
            message = str(body["return"].get("message", ""))[:200]
            raise ChannelError(
                f"SMS provider refused ({status}): {message}", temporary=status not in PERMANENT
            )
        return body.get("entries") or []

    def send(self, message: Message) -> str:
        entries = self._call(
            "POST",
            "send",
            {
                "receptor": message.to,
                "message": message.text,
                "sender": self.sender,
                "localid": message.reference,
            },
        )
        if not entries or "messageid" not in entries[0]:
            raise ChannelError("SMS provider answered without a message id")
        return str(entries[0]["messageid"])

    def status(self, message_id: str) -> int | None:
        """The provider's delivery status of a message (10: delivered), or None."""
        entries = self._call("GET", "status", {"messageid": message_id})
        return int(entries[0]["status"]) if entries else None

    def delivery_reports(self, message_ids: list[str]) -> dict[str, str]:
        """DELIVERED or UNDELIVERED for each message whose fate is known."""
        if not message_ids:
            return {}
        entries = self._call("GET", "status", {"messageid": ",".join(message_ids)})
        reports = {}
        for entry in entries:
            status = int(entry.get("status", 0))
            if status == DELIVERED:
                reports[str(entry["messageid"])] = "DELIVERED"
            elif status in UNDELIVERED:
                reports[str(entry["messageid"])] = "UNDELIVERED"
        return reports

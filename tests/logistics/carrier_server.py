"""Local servers that speak the national post's and the courier's APIs (as documented in
integrations/logistics/post.py and courier.py), for tests, the browser test and the
benchmark. In memory; failures can be scheduled; events are added with `scan` and can be
pushed to Bazarcheh as signed webhooks with `push`."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests

API_KEY = "test-carrier-key"
SECRET = "test-carrier-secret"


def _one_page_pdf() -> bytes:
    """A blank 10 × 15 cm page, with the cross-reference table PDF readers look for."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 283 425]>>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj" % number + body + b"endobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


MINIMAL_PDF = _one_page_pdf()


class CarrierState:
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.lock = threading.Lock()
        self.parcels: dict[str, dict[str, Any]] = {}
        self.by_key: dict[str, tuple[int, dict]] = {}
        self.events: dict[str, list[dict[str, Any]]] = {}
        self.failures: list[str] = []
        self.requests: list[tuple[str, str, str | None]] = []
        self.serial = itertools.count(1)
        self.event_serial = itertools.count(1)

    def new_number(self) -> str:
        n = next(self.serial)
        return f"{n:024d}" if self.kind == "post" else f"CR{n:010d}"

    def scan(
        self, number: str, status: str, *, cash: int | None = None, location: str = ""
    ) -> dict:
        event = {
            "id": f"{self.kind}-ev-{next(self.event_serial)}",
            "number": number,
            "status": status,
            "time": datetime.now(UTC).isoformat(),
            "location": location,
            "description": status.replace("_", " ").lower(),
            "cash": cash,
        }
        with self.lock:
            self.events.setdefault(number, []).append(event)
        return event

    def shaped(self, event: dict) -> dict:
        if self.kind == "post":
            return {
                "id": event["id"],
                "tracking_number": event["number"],
                "status": event["status"],
                "time": event["time"],
                "location": event["location"],
                "description": event["description"],
                "cod_collected": event["cash"],
            }
        return {
            "id": event["id"],
            "code": event["number"],
            "state": event["status"],
            "at": event["time"],
            "location": event["location"],
            "description": event["description"],
            "cash": event["cash"],
        }

    def webhook_body(self, events: list[dict]) -> bytes:
        key = "events" if self.kind == "post" else "updates"
        return json.dumps({key: [self.shaped(e) for e in events]}).encode()


def _handler(state: CarrierState):
    post = state.kind == "post"

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def _send(self, status: int, body: Any = None, *, pdf: bytes | None = None) -> None:
            data = (
                pdf if pdf is not None else (json.dumps(body).encode() if body is not None else b"")
            )
            self.send_response(status)
            self.send_header(
                "Content-Type", "application/pdf" if pdf is not None else "application/json"
            )
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _authorized(self) -> bool:
            if post:
                return self.headers.get("Authorization") == f"Bearer {API_KEY}"
            return self.headers.get("X-Api-Key") == API_KEY

        def _body(self) -> Any:
            length = int(self.headers.get("Content-Length") or 0)
            return json.loads(self.rfile.read(length) or b"null")

        def _fail(self) -> bool:
            with state.lock:
                failure = state.failures.pop(0) if state.failures else None
            if failure == "timeout":
                time.sleep(2)
                self._send(504, {"error": "slow"})
                return True
            if failure == "500":
                self._send(500, {"error": "internal"})
                return True
            return False

        def do_POST(self) -> None:
            body = self._body()
            state.requests.append(("POST", self.path, self.headers.get("Idempotency-Key")))
            if not self._authorized():
                return self._send(401, {"error": "unauthorized"})
            if self._fail():
                return None
            booking_path = "/v1/parcels" if post else "/api/v2/shipments"
            if self.path == booking_path:
                return self._book(body)
            if self.path in ("/v1/tracking", "/api/v2/track"):
                numbers = body.get("tracking_numbers" if post else "codes") or []
                if len(numbers) > 100:
                    return self._send(400, {"error": "at most 100"})
                with state.lock:
                    found = [state.shaped(e) for n in numbers for e in state.events.get(n, [])]
                return self._send(200, {"events" if post else "updates": found})
            if self.path in ("/v1/quotes", "/api/v2/rates"):
                grams = body.get("weight_grams" if post else "weight_g") or 0
                price = 400_000 + 50 * grams
                return self._send(
                    200,
                    {
                        "price" if post else "amount": price,
                        "currency": "IRR",
                        "days" if post else "eta_days": 3,
                    },
                )
            if not post and self.path.endswith("/cancel"):
                return self._cancel(self.path.split("/")[-2])
            return self._send(404, {"error": "not found"})

        def do_GET(self) -> None:
            state.requests.append(("GET", self.path, None))
            if not self._authorized():
                return self._send(401, {"error": "unauthorized"})
            parts = self.path.strip("/").split("/")
            if parts[-1] == "label" and parts[-2] in state.parcels:
                return self._send(200, pdf=MINIMAL_PDF)
            return self._send(404, {"error": "not found"})

        def do_DELETE(self) -> None:
            state.requests.append(("DELETE", self.path, self.headers.get("Idempotency-Key")))
            if not self._authorized():
                return self._send(401, {"error": "unauthorized"})
            return self._cancel(self.path.strip("/").split("/")[-1])

        def _cancel(self, number: str) -> None:
            parcel = state.parcels.get(number)
            if parcel is None:
                return self._send(404, {"error": "not found"})
            if state.events.get(number):
                return self._send(409, {"error": "already accepted"})
            parcel["canceled"] = True
            return self._send(204) if post else self._send(200, {"canceled": True})

        def _book(self, body: dict) -> None:
            key = self.headers.get("Idempotency-Key")
            if not key:
                return self._send(400, {"error": "Idempotency-Key required"})
            with state.lock:
                if key in state.by_key:
                    status, answer = state.by_key[key]
                    return self._send(status, answer)
                number = state.new_number()
                state.parcels[number] = {"request": body, "key": key}
                answer = (
                    {"tracking_number": number, "parcel_id": f"P{number[-6:]}"}
                    if post
                    else {"code": number, "id": f"S{number[-6:]}"}
                )
                state.by_key[key] = (201, answer)
            return self._send(201, answer)

    return Handler


class CarrierServer:
    def __init__(self, kind: str) -> None:
        self.state = CarrierState(kind)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.state))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> CarrierServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def scan(self, number: str, status: str, **kwargs) -> dict:
        return self.state.scan(number, status, **kwargs)

    def push(
        self, base_url: str, events: list[dict], *, secret: str = SECRET, signed: bool = True
    ) -> requests.Response:
        """POST events to Bazarcheh's webhook, signed as the carrier signs."""
        body = self.state.webhook_body(events)
        header = "X-Post-Signature" if self.state.kind == "post" else "X-Courier-Signature"
        headers = {"Content-Type": "application/json"}
        if signed:
            headers[header] = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        return requests.post(
            f"{base_url}/logistics/{self.state.kind}/webhook/",
            data=body,
            headers=headers,
            timeout=10,
        )

    def carrier_settings(self, *, poll: bool, timeout: float = 1.0) -> dict:
        path = (
            "integrations.logistics.post.NationalPost"
            if self.state.kind == "post"
            else "integrations.logistics.courier.Courier"
        )
        return {
            "class": path,
            "base_url": self.url,
            "api_key": API_KEY,
            "webhook_secret": SECRET,
            "poll": poll,
            "timeout": timeout,
            "retries": 2,
            "backoff": 0.01,
        }

"""localstripe (a stateful local Stripe server) on a free 127.0.0.1 port, and Stripe's
webhook signing, for the Stripe gateway's tests."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import requests

WEBHOOK_SECRET = "whsec_bazarcheh_test"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def localstripe() -> Iterator[str]:
    """Run localstripe; yields its base URL."""
    port = _free_port()
    script = "from localstripe.server import start; start()"
    proc = subprocess.Popen(
        [sys.executable, "-c", script, "--port", str(port), "--from-scratch"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(f"{base}/v1/customers", timeout=1, auth=("sk_test_x", ""))
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("localstripe did not start") from None
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def signed(event: dict, *, secret: str = WEBHOOK_SECRET, at: int | None = None) -> tuple[str, str]:
    """The body and the Stripe-Signature header, as Stripe signs a webhook."""
    payload = json.dumps(event)
    timestamp = int(time.time()) if at is None else at
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256)
    return payload, f"t={timestamp},v1={digest.hexdigest()}"


def intent_event(event_id: str, intent_id: str, kind: str = "payment_intent.succeeded") -> dict:
    return {
        "id": event_id,
        "object": "event",
        "api_version": "2024-06-20",
        "created": int(time.time()),
        "type": kind,
        "data": {"object": {"id": intent_id, "object": "payment_intent"}},
    }

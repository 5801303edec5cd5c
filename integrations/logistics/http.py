"""A small JSON-over-HTTP client for carriers: timeouts, retries with exponential
backoff on network errors, timeouts and 5xx answers (never on 4xx), and the same
Idempotency-Key on every attempt of a write, so a retried booking is booked once."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import requests

from marketplace.logistics.carriers import CarrierError

logger = logging.getLogger("integrations.logistics")


class JsonClient:
    def __init__(
        self,
        base_url: str,
        *,
        headers: dict[str, str],
        timeout: float,
        retries: int,
        backoff: float,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.headers = headers
        self.timeout = timeout
        self.retries = max(retries, 0)
        self.backoff = backoff
        self.session = requests.Session()

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        idempotency_key: str | None = None,
        raw: bool = False,
    ) -> Any:
        headers = dict(self.headers)
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body, ensure_ascii=False, default=str).encode()
        url = f"{self.base_url}{path}"
        for attempt in range(self.retries + 1):
            try:
                response = self.session.request(
                    method, url, data=data, headers=headers, timeout=self.timeout
                )
            except requests.RequestException as exc:
                problem = f"{type(exc).__name__}"
            else:
                if response.status_code < 500:
                    return self._answer(response, raw)
                problem = f"HTTP {response.status_code}"
            logger.info("%s %s: %s (attempt %d)", method, path, problem, attempt + 1)
            if attempt < self.retries:
                time.sleep(self.backoff * (2**attempt))
        raise CarrierError(problem)

    @staticmethod
    def _answer(response: requests.Response, raw: bool) -> Any:
        if response.status_code >= 400:
            try:
                message = response.json().get("error") or response.reason
            except ValueError:
                message = response.reason
            raise CarrierError(f"HTTP {response.status_code}: {str(message)[:200]}")
        if raw:
            return response.content
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise CarrierError("the answer is not JSON") from None

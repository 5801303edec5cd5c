"""A local server that speaks the part of Stripe's HTTP protocol the payouts use:
POST /v1/transfers with a bearer key and an Idempotency-Key. A repeated key answers the
first response again, as Stripe does; a destination "acct_closed" is refused."""

from __future__ import annotations

import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


class StripeState:
    def __init__(self) -> None:
        self.transfers: list[dict] = []
        self.responses: dict[str, tuple[int, dict]] = {}
        self.serial = itertools.count(1)
        self.lock = threading.Lock()


def _handler(state: StripeState):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def _answer(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            if not self.headers.get("Authorization", "").startswith("Bearer sk_"):
                self._answer(401, {"error": {"type": "invalid_request_error", "message": "key"}})
                return
            if self.path != "/v1/transfers":
                self._answer(404, {"error": {"type": "invalid_request_error", "message": "?"}})
                return
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            key = self.headers.get("Idempotency-Key", "")
            with state.lock:
                if key and key in state.responses:
                    self._answer(*state.responses[key])
                    return
                if form.get("destination") == "acct_closed":
                    answer = (
                        400,
                        {
                            "error": {
                                "type": "invalid_request_error",
                                "code": "account_invalid",
                                "message": "The destination account is closed.",
                            }
                        },
                    )
                else:
                    transfer = {
                        "id": f"tr_{next(state.serial):06d}",
                        "object": "transfer",
                        "amount": int(form["amount"]),
                        "currency": form["currency"],
                        "destination": form["destination"],
                    }
                    state.transfers.append(transfer)
                    answer = (200, transfer)
                if key:
                    state.responses[key] = answer
            self._answer(*answer)

    return Handler


def start() -> tuple[ThreadingHTTPServer, StripeState]:
    state = StripeState()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, state

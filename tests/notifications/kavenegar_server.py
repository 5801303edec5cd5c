"""A local server speaking the Kavenegar SMS REST API, for the tests.

It keeps what it was sent, deduplicates by `localid` as the provider does, and can be
told to answer 500, to refuse, or to hang before answering."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

API_KEY = "test-key"


@dataclass
class SmsLog:
    messages: list[dict] = field(default_factory=list)
    by_localid: dict[str, int] = field(default_factory=dict)
    fail_next: int = 0  # answer HTTP 500 this many times
    refuse_status: int | None = None  # answer this provider status (e.g. 411)
    hang_seconds: float = 0.0
    hang_after_accept: float = 0.0  # take the message, then answer late (or never)
    requests: int = 0
    statuses: dict[int, int] = field(default_factory=dict)  # delivery status by id; else 10
    lock: threading.Lock = field(default_factory=threading.Lock)


class KavenegarServer:
    def __init__(self) -> None:
        self.log = SmsLog()
        log = self.log

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def _answer(self, code: int, body: dict | str) -> None:
                data = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
                raw = data.encode()
                try:
                    self.send_response(code)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the timeout tests)

            def _params(self) -> dict[str, str]:
                url = urlparse(self.path)
                params = parse_qs(url.query)
                if self.command == "POST":
                    length = int(self.headers.get("Content-Length") or 0)
                    params.update(parse_qs(self.rfile.read(length).decode()))
                return {k: v[0] for k, v in params.items()}

            def _route(self) -> None:
                url = urlparse(self.path)
                params = self._params()
                with log.lock:
                    log.requests += 1
                    failing = log.fail_next > 0
                    if failing:
                        log.fail_next -= 1
                if log.hang_seconds:
                    time.sleep(log.hang_seconds)
                if failing:
                    return self._answer(500, "<html>Internal Server Error</html>")
                if url.path == f"/v1/{API_KEY}/sms/send.json":
                    return self._send(params)
                if url.path == f"/v1/{API_KEY}/sms/status.json":
                    ids = params.get("messageid", "").split(",")
                    entries = [
                        {"messageid": int(i), "status": log.statuses.get(int(i), 10)}
                        for i in ids
                        if i
                    ]
                    return self._answer(
                        200, {"return": {"status": 200, "message": "تایید شد"}, "entries": entries}
                    )
                return self._answer(
                    200,
                    {
                        "return": {"status": 401, "message": "حساب کاربری غیرفعال شده است"},
                        "entries": None,
                    },
                )

            def _send(self, params: dict[str, str]) -> None:
                if log.refuse_status is not None:
                    return self._answer(
                        200,
                        {
                            "return": {
                                "status": log.refuse_status,
                                "message": "شماره گیرنده نامعتبر است",
                            },
                            "entries": None,
                        },
                    )
                if not params.get("receptor") or not params.get("message"):
                    return self._answer(
                        200,
                        {"return": {"status": 411, "message": "گیرنده نامعتبر"}, "entries": None},
                    )
                with log.lock:
                    localid = params.get("localid")
                    if localid and localid in log.by_localid:
                        message_id = log.by_localid[localid]
                    else:
                        log.messages.append(params)
                        message_id = 8000 + len(log.messages)
                        if localid:
                            log.by_localid[localid] = message_id
                if log.hang_after_accept:
                    time.sleep(log.hang_after_accept)
                entry = {
                    "messageid": message_id,
                    "message": params["message"],
                    "status": 1,
                    "statustext": "در صف ارسال",
                    "sender": params.get("sender", ""),
                    "receptor": params["receptor"],
                    "date": int(time.time()),
                    "cost": 120,
                }
                return self._answer(
                    200, {"return": {"status": 200, "message": "تایید شد"}, "entries": [entry]}
                )

            do_GET = _route
            do_POST = _route

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> KavenegarServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def to(self, phone: str) -> list[dict]:
        return [m for m in self.log.messages if m["receptor"] == phone]

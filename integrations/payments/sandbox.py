"""The sandbox gateway: the Shaparak adapter pointed at the gateway Bazarcheh serves
itself (integrations/payments/sandbox_server.py), so the demo and the tests run the
production adapter's code end to end, payment page included.

Offered in every channel when settings.PAYMENT_SANDBOX is on (`make run`, the demo,
tests); never in production unless enabled. Its API calls reach the sandbox's views in
the same process (no socket, no second worker needed), unless SANDBOX_API_BASE names a
URL to reach them over HTTP.
"""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.urls import resolve
from django.utils.translation import gettext_lazy as _
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from integrations.payments.shaparak import ShaparakGateway

IN_PROCESS_BASE = "http://sandbox.invalid"
SANDBOX_MERCHANT_ID = "00000000-0000-0000-0000-00000000sand"


class InProcessAdapter(BaseAdapter):
    """A requests transport that hands a request to the sandbox's Django views
    directly, as its HTTP server would (no middleware: the sandbox API is plain JSON)."""

    def send(self, request, **kwargs):
        from integrations.payments import sandbox_server

        url = urlsplit(request.url)
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        environ = {
            "REQUEST_METHOD": request.method,
            "PATH_INFO": url.path,
            "QUERY_STRING": url.query,
            "CONTENT_TYPE": request.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "SERVER_NAME": url.hostname or "sandbox.invalid",
            "SERVER_PORT": "80",
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
        }
        django_request = WSGIRequest(environ)
        match = resolve(url.path.removeprefix("/payments/sandbox"), urlconf=sandbox_server)
        django_response = match.func(django_request, *match.args, **match.kwargs)
        response = requests.Response()
        response.status_code = django_response.status_code
        response._content = django_response.content
        response.headers = CaseInsensitiveDict(dict(django_response.items()))
        response.encoding = "utf-8"
        response.url = request.url
        response.request = request
        return response

    def close(self) -> None:
        return None


class SandboxGateway(ShaparakGateway):
    id = "sandbox"
    name = _("Test payment (sandbox, no real money)")
    currencies = frozenset({"IRR", "USD"})

    def is_enabled(self) -> bool:
        return settings.PAYMENT_SANDBOX

    def merchant_id(self) -> str:
        return SANDBOX_MERCHANT_ID

    def api_base(self) -> str:
        return settings.SANDBOX_API_BASE or f"{IN_PROCESS_BASE}/payments/sandbox"

    def startpay_base(self) -> str:
        return f"{settings.SANDBOX_PUBLIC_URL or settings.PAYMENT_PUBLIC_URL}/payments/sandbox"

    def make_session(self) -> requests.Session:
        session = requests.Session()
        session.mount(f"{IN_PROCESS_BASE}/", InProcessAdapter())
        if not settings.SANDBOX_API_BASE:
            # In process, no proxy or .netrc of the environment applies: not looking
            # them up spares requests' reading of the environment on every call.
            session.trust_env = False
        return session

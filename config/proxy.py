"""The client's address behind reverse proxies.

Behind a TLS proxy every request arrives from the proxy's address, and what is counted
per client address (sign-in code requests) would count every visitor as one. With
TRUSTED_PROXY_COUNT = n, REMOTE_ADDR becomes the address the outermost of our n proxies
saw: the n-th entry of X-Forwarded-For from the right. Entries further left are the
client's own word and may be forged, so they are never used.
"""

from __future__ import annotations

from collections.abc import Callable
from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def client_address(meta: dict) -> str | None:
    remote = meta.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < count:
        return remote
    try:
        return str(ip_address(hops[-count]))
    except ValueError:
        return remote


class ClientAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        address = client_address(request.META)
        if address:
            request.META["REMOTE_ADDR"] = address
        return self.get_response(request)

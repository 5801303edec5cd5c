"""What every storefront page knows: the signed-in viewer (fetched from the API only when
a template asks) and the cart's size."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from storefront import channel, client

VIEWER_QUERY = """
query Viewer {
  me {
    id email phone firstName lastName isStaff
    seller { id name slug status cooperative { id name slug } }
    cooperatives { id name slug }
  }
}
"""

CART_SIZE = "cart_size"


class Viewer:
    """The API's `me`, asked once per request and only if a template uses it."""

    def __init__(self, request) -> None:
        self.request = request

    @cached_property
    def me(self) -> dict[str, Any] | None:
        if not client.signed_in(self.request):
            return None
        try:
            return client.query(self.request, VIEWER_QUERY).get("me")
        except client.APIError:
            return None

    @property
    def is_authenticated(self) -> bool:
        return self.me is not None

    @property
    def seller(self) -> dict | None:
        return (self.me or {}).get("seller")

    @property
    def cooperatives(self) -> list[dict]:
        return (self.me or {}).get("cooperatives") or []

    @property
    def has_panel(self) -> bool:
        return bool(self.seller or self.cooperatives)

    @property
    def name(self) -> str:
        me = self.me or {}
        full = f"{me.get('firstName', '')} {me.get('lastName', '')}".strip()
        return full or me.get("email") or me.get("phone") or ""


def viewer(request) -> Viewer:
    found = getattr(request, "_storefront_viewer", None)
    if found is None:
        found = request._storefront_viewer = Viewer(request)
    return found


def site(request) -> dict[str, Any]:
    match = request.resolver_match
    if match is None or not match.func.__module__.startswith("storefront."):
        return {}
    return {
        "viewer": viewer(request),
        "cart_size": request.session.get(CART_SIZE, 0),
        "shop_channel": channel.current(request),
    }

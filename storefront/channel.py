"""Which sales channel the visitor shops in: `ir` (rial, the default) or `intl` (US
dollars), kept in the session. Prices, the cart and the ways to pay all follow it; the
cart's channel switch (storefront.cart.views.channel) forgets the session's cart, as a
checkout belongs to one channel."""

from __future__ import annotations

DEFAULT = "ir"
CHANNELS = ("ir", "intl")
KEY = "shop_channel"


def current(request) -> str:
    value = request.session.get(KEY) if hasattr(request, "session") else None
    return value if value in CHANNELS else DEFAULT

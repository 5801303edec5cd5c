"""Which checkout is the visitor's cart: its ID kept in the session, with its size for
the header, and the hand-over when the visitor signs in or out."""

from __future__ import annotations

from typing import Any

from storefront import channel, client
from storefront.cart import documents
from storefront.context import CART_SIZE

CHECKOUT = "cart_checkout"
LAST_ORDER = "cart_last_order"


def checkout_id(request) -> str | None:
    value = request.session.get(CHECKOUT)
    return value if isinstance(value, str) and value else None


def remember(request, checkout: dict[str, Any] | None) -> None:
    """Keep `checkout` (the API's, with `id` and `quantity`) as the cart, or forget the
    cart when it is None."""
    if not checkout:
        forget(request)
        return
    _keep(request, CHECKOUT, checkout["id"])
    _keep(request, CART_SIZE, int(checkout.get("quantity") or 0))


def _keep(request, key: str, value) -> None:
    # An unchanged session is not written back: a page view costs no UPDATE.
    if request.session.get(key) != value:
        request.session[key] = value


def forget(request) -> None:
    if CHECKOUT in request.session:
        del request.session[CHECKOUT]
    _keep(request, CART_SIZE, 0)


def my_checkout(request) -> dict[str, Any] | None:
    """The signed-in buyer's open checkout, from whichever device they filled it on."""
    if not client.signed_in(request):
        return None
    try:
        data = client.query(request, documents.MY_CHECKOUT, {"channel": channel.current(request)})
    except client.APIError:
        return None
    return data.get("myCheckout")


def current(request) -> str | None:
    """The cart's checkout ID: the session's, or else the signed-in buyer's own."""
    found = checkout_id(request)
    if found is None:
        mine = my_checkout(request)
        if mine:
            remember(request, mine)
            found = mine["id"]
    return found


def after_sign_in(request) -> None:
    """Give the session's anonymous cart to the buyer who just signed in (merged into
    their open checkout when they have one), or pick up their checkout from another
    device."""
    anonymous = checkout_id(request)
    if anonymous is not None:
        payload, errors = client.mutate(
            request, documents.ATTACH, {"id": anonymous}, root="checkoutCustomerAttach"
        )
        if not errors and payload.get("checkout"):
            remember(request, payload["checkout"])
            return
        # Completed or no longer reachable: their own checkout is the cart now.
        forget(request)
    remember(request, my_checkout(request))


def on_sign_out(request) -> None:
    """The checkout belongs to the account now; it stays with the account."""
    forget(request)
    request.session.pop(LAST_ORDER, None)

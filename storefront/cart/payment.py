"""Paying for a placed order: sending the buyer to the gateway, the page they come back
to, trying again, and the card step of Stripe.

Redirect gateways (shaparak, sandbox) need no JavaScript: the order is placed by a form
POST whose answer redirects to the gateway's page; the gateway sends the buyer back to
our callback, which redirects here. The order is confirmed by the backend only after it
verified the payment with the gateway: this page only reads the order through the API.

Stripe's card step uses Stripe.js where it loads (a publishable key is configured).
Without network (tests, a local Stripe-protocol server set as STRIPE_API_BASE), the
page offers a plain form instead and this server confirms the PaymentIntent through
that API base with the test card, as Stripe.js would in the browser. That form is never
offered against Stripe itself: card numbers must not pass through our servers.
"""

from __future__ import annotations

from typing import Any

import stripe
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from storefront import client
from storefront.cart import documents, session
from storefront.cart.fields import posted
from storefront.client import APIError, FormErrors

PAID_STATUSES = {"CHARGED", "PARTIALLY_REFUNDED", "REFUNDED"}
CARD = "cart_card"
# The waiting page reloads itself every WAIT_SECONDS, at most WAIT_TIMES times: the
# gateway's webhook usually confirms a card payment within seconds.
WAIT_SECONDS = 2
WAIT_TIMES = 30


def return_url(request) -> str:
    return request.build_absolute_uri(reverse("cart:paid"))


def gateways_of(request, token: str) -> list[dict]:
    """The gateways the checkout offers, kept to offer them again after a failure."""
    try:
        data = client.query(request, documents.GATEWAYS, {"id": token})
    except APIError:
        return []
    return (data.get("checkout") or {}).get("availablePaymentGateways") or []


def _cash_due(shipments: list[dict] | None) -> list[dict[str, Any]]:
    """What the courier of each cash-on-delivery parcel collects, by its sender."""
    return [
        {"name": (s.get("fulfiller") or {}).get("name", ""), "amount": s["cashToCollect"]}
        for s in shipments or []
        if (s.get("cashToCollect") or {}).get("amount")
    ]


def remember_order(request, order: dict[str, Any], gateways: list[dict] | None = None) -> None:
    last = request.session.get(session.LAST_ORDER) or {}
    request.session[session.LAST_ORDER] = {
        "id": order["id"],
        "number": order["number"],
        "email": order.get("email") or last.get("email", ""),
        "total": order["total"],
        "shipments": len(order.get("shipments") or []) or last.get("shipments", 0),
        "cash_due": _cash_due(order.get("shipments")) or last.get("cash_due", []),
        "paid": order.get("paymentStatus") in PAID_STATUSES,
        "online": order.get("status") == "UNCONFIRMED" or last.get("online", False),
        "gateways": gateways if gateways is not None else last.get("gateways", []),
    }


def go_pay(request, payment: dict[str, Any] | None, errors: FormErrors):
    """Where the buyer goes once an order (or a new attempt) exists."""
    action = (payment or {}).get("action") or {}
    if action.get("kind") == "REDIRECT" and action.get("url"):
        return redirect(action["url"])
    if action.get("kind") == "CLIENT_SECRET" and action.get("clientSecret"):
        request.session[CARD] = action["clientSecret"]
        return redirect("cart:card")
    if payment and payment.get("status") == "FAILED":
        for item in errors.items:
            messages.error(request, item["message"])
        return redirect(reverse("cart:paid") + "?payment=failed")
    return redirect("cart:done")


def _order(request) -> dict[str, Any] | None:
    last = request.session.get(session.LAST_ORDER) or {}
    order_id = request.GET.get("order") or last.get("id")
    if not order_id or not client.signed_in(request):
        return None
    try:
        return client.query(request, documents.PAID_ORDER, {"id": order_id}).get("order")
    except APIError:
        return None


@require_GET
def paid(request):
    """Back from the gateway: paid → the order; failed or canceled → try again."""
    order = _order(request)
    last = request.session.get(session.LAST_ORDER) or {}
    if order is not None:
        remember_order(request, order)
        if order["paymentStatus"] in PAID_STATUSES:
            messages.success(request, _("Payment received: your order is confirmed."))
            return redirect("cart:done")
        waiting = order["status"] == "UNCONFIRMED" and order["paymentStatus"] == "PENDING"
        if waiting and "wait" in request.GET:
            return _waiting(request, order)
    elif request.GET.get("payment") == "paid" and last and not client.signed_in(request):
        # A guest cannot read the order through the API; our callback said it verified
        # the payment before sending the buyer here (shown to this buyer only).
        request.session[session.LAST_ORDER] = {**last, "paid": True}
        return redirect("cart:done")
    elif request.GET.get("payment") == "pending" and "wait" in request.GET and last:
        return _waiting(request, last)
    context = {
        "order": order or last,
        "gateways": last.get("gateways") or [],
        "signed_in": client.signed_in(request),
        "can_retry": order is not None and order["status"] == "UNCONFIRMED",
    }
    return render(request, "storefront/cart/payment_failed.html", context)


def _waiting(request, order: dict[str, Any]):
    """The gateway took the card but has not told us yet: only its webhook (or the
    reconciliation asking it) confirms the order, so the page waits and looks again."""
    try:
        times = int(request.GET.get("wait") or 0)
    except ValueError:
        times = 0
    query = request.GET.copy()
    query["wait"] = str(times + 1)
    # A guest cannot read the order through the API: looking again would tell nothing.
    again = client.signed_in(request) and times < WAIT_TIMES
    context = {
        "order": order,
        "signed_in": client.signed_in(request),
        "refresh": f"{request.path}?{query.urlencode()}" if again else "",
        "seconds": WAIT_SECONDS,
    }
    return render(request, "storefront/cart/payment_waiting.html", context)


@require_POST
def pay_again(request):
    last = request.session.get(session.LAST_ORDER) or {}
    if not last.get("id"):
        return redirect("cart:index")
    variables = {
        "id": last["id"],
        "gateway": posted(request, "gateway") or "",
        "redirect": return_url(request),
    }
    payload, errors = client.mutate(request, documents.ORDER_PAY, variables, root="orderPay")
    if payload.get("order") is None:
        for item in errors.items:
            messages.error(request, item["message"])
        return redirect("cart:paid")
    remember_order(request, payload["order"])
    return go_pay(request, payload.get("payment"), errors)


def _confirm_locally(client_secret: str) -> bool:
    """Confirm the intent as Stripe.js would, against a local Stripe-protocol server."""
    intent_id = client_secret.split("_secret_")[0]
    api = stripe.StripeClient(
        settings.STRIPE_SECRET_KEY, base_addresses={"api": settings.STRIPE_API_BASE}
    )
    card = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2035, "cvc": "123"}
    try:
        method = api.v1.payment_methods.create({"type": "card", "card": card})
        api.v1.payment_intents.update(intent_id, {"payment_method": method.id})
        api.v1.payment_intents.confirm(intent_id)
    except stripe.StripeError:
        return False
    return True


@require_http_methods(["GET", "POST"])
def card(request):
    client_secret = request.session.get(CARD)
    last = request.session.get(session.LAST_ORDER) or {}
    if not client_secret or not last:
        return redirect("cart:index")
    local = bool(settings.STRIPE_API_BASE)
    if request.method == "POST" and local:
        if not _confirm_locally(client_secret):
            messages.error(request, _("The card was declined."))
            return redirect("cart:card")
        request.session.pop(CARD, None)
        if not client.signed_in(request):
            return redirect(reverse("cart:paid") + "?payment=pending&wait=0")
        return redirect(reverse("cart:paid") + f"?order={last['id']}&wait=0")
    context = {
        "order": last,
        "client_secret": client_secret,
        "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
        "local": local,
        "return_url": return_url(request) + f"?order={last['id']}&wait=0",
    }
    return render(request, "storefront/cart/card.html", context)

"""The HTTP endpoints gateways call: the buyer's return from a redirect gateway
(`GET /payments/<gateway>/callback/`) and Stripe's webhook. Only translation: the
rules are in marketplace.payments.services."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from marketplace.api.core.ids import to_global_id
from marketplace.core.db import prepared_statements
from marketplace.payments import services
from marketplace.payments.gateways import InvalidWebhook, get_gateway

logger = logging.getLogger("marketplace.payments")


def _page(request: HttpRequest, title, message, status: int = 200) -> HttpResponse:
    context = {"title": title, "message": message}
    return render(request, "payments/callback.html", context, status=status)


@never_cache
@require_GET
@prepared_statements()
def callback(request: HttpRequest, gateway: str) -> HttpResponse:
    authority = request.GET.get("Authority", "")[:255]
    status = request.GET.get("Status", "")[:10]
    outcome = services.handle_callback(gateway_id=gateway, authority=authority, status=status)
    payment = outcome.payment
    if payment is None:
        return _page(
            request,
            _("Payment not found"),
            _(
                "We do not know this payment. Nothing was changed; "
                "if money was taken, it will be returned."
            ),
            status=400,
        )
    result = "paid" if outcome.paid and not outcome.refunded else "failed"
    if payment.return_url:
        query = urlencode({"order": to_global_id("Order", payment.order_id), "payment": result})
        separator = "&" if "?" in payment.return_url else "?"
        return HttpResponseRedirect(f"{payment.return_url}{separator}{query}")
    if result == "paid":
        return _page(request, _("Payment received"), _("Thank you: your order is confirmed."))
    return _page(
        request,
        _("Payment not completed"),
        _(
            "The payment was canceled or failed. Nothing was charged; "
            "you can try again from your order."
        ),
    )


@csrf_exempt
@require_POST
@prepared_statements()
def webhook(request: HttpRequest, gateway: str) -> HttpResponse:
    found = get_gateway(gateway)
    if found is None:
        return HttpResponse(status=404)
    try:
        notice = found.parse_webhook(request.body, request.headers)
    except InvalidWebhook as exc:
        logger.warning("rejected %s webhook: %s", gateway, exc)
        return HttpResponse(status=400)
    if not services.handle_webhook(gateway_id=found.id, notice=notice):
        return HttpResponse(status=503)
    return HttpResponse(status=200)

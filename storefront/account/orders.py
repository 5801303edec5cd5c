"""The buyer's orders: the list, one order with each parcel's steps, lines and tracking,
canceling while nothing has shipped, and confirming receipt once everything arrived."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from storefront import client
from storefront.account import documents, returns, statuses
from storefront.account.guard import signed_in_required

PAGE_SIZE = 20
MAX_CURSOR = 200


# A parcel's way to the buyer, as the order page draws it.
STEPS = ("UNFULFILLED", "PACKED", "SHIPPED", "DELIVERED")


def _steps(status: str | None) -> list[dict[str, Any]]:
    if status not in STEPS:
        return []
    reached = STEPS.index(status)
    return [
        {
            "label": statuses.label(statuses.SHIPMENT, step),
            "done": i <= reached,
            "current": i == reached,
        }
        for i, step in enumerate(STEPS)
    ]


def _order_view(order: dict[str, Any]) -> dict[str, Any]:
    return {
        **order,
        "status_label": statuses.label(statuses.ORDER, order.get("status")),
        "payment_label": statuses.payment_label(order),
        "shipments": [
            {
                **shipment,
                "status_label": statuses.label(statuses.SHIPMENT, shipment.get("status")),
                "fulfiller_name": (shipment.get("fulfiller") or {}).get("name", ""),
                "steps": _steps(shipment.get("status")),
            }
            for shipment in order.get("shipments") or []
        ],
    }


@require_GET
@signed_in_required
def order_list(request):
    after = request.GET.get("after") or None
    if after is not None and len(after) > MAX_CURSOR:
        after = None
    try:
        data = client.query(request, documents.ORDERS, {"first": PAGE_SIZE, "after": after})
    except client.APIError:
        data = client.query(request, documents.ORDERS, {"first": PAGE_SIZE, "after": None})
    connection = (data.get("me") or {}).get("orders") or {"edges": [], "pageInfo": {}}
    orders = [_order_view(edge["node"]) for edge in connection["edges"]]
    context = {"orders": orders, "page": connection.get("pageInfo") or {}}
    return render(request, "storefront/account/orders.html", context)


def _order(request, order_id: str) -> dict[str, Any]:
    try:
        order = client.query(request, documents.ORDER, {"id": order_id}).get("order")
    except client.APIError:
        order = None
    if order is None:
        raise Http404(_("No such order."))
    return order


@require_GET
@signed_in_required
def order_detail(request, order_id: str):
    order = _order_view(_order(request, order_id))
    context = {"order": order, "return_reasons": returns.REASONS}
    return render(request, "storefront/account/order.html", context)


@require_POST
@signed_in_required
def order_received(request, order_id: str):
    """ "I received it": the buyer confirms receipt and the order is completed."""
    _payload, errors = client.mutate(
        request, documents.ORDER_CONFIRM_RECEIPT, {"id": order_id}, root="orderConfirmReceipt"
    )
    if errors:
        for item in errors.items:
            messages.error(request, item["message"])
    else:
        messages.success(request, _("Thank you: your order is complete."))
    return redirect("account:order", order_id=order_id)


@require_POST
@signed_in_required
def order_cancel(request, order_id: str):
    payload, errors = client.mutate(
        request, documents.ORDER_CANCEL, {"id": order_id}, root="orderCancel"
    )
    if errors:
        for item in errors.items:
            messages.error(request, item["message"])
    else:
        messages.success(request, _("Your order is canceled."))
    if payload.get("order") or not any(i.get("code") == "NOT_FOUND" for i in errors.items):
        return redirect("account:order", order_id=order_id)
    return redirect("account:orders")

"""The fulfilment desk: a cooperative's parcels (or an independent producer's own) by
status, with packing (also short), shipping, printing, delivering with cash and pickup
check-in, one parcel or many at once. Every change goes through the API; these views
only read the forms and show the answers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from storefront import client
from storefront.account import statuses
from storefront.digits import latin_digits, plain_number
from storefront.panel import fulfilment_queries as queries
from storefront.panel import labels
from storefront.panel.access import cooperative_of, seller_of, signed_in
from storefront.panel.paging import page

MAX_ID_LENGTH = 100
MAX_BULK = 200
KINDS = ("POST", "COURIER", "COOP_DELIVERY", "PICKUP")
STATUSES = ("UNFULFILLED", "PACKED", "SHIPPED", "DELIVERED", "CANCELED")
PRINTS = {"slip", "label", "picklist", "route"}


def _fulfiller(request: HttpRequest, slug: str | None) -> dict:
    if slug is not None:
        cooperative = cooperative_of(request, slug)
        return {"cooperative": cooperative, "id": cooperative["id"], "slug": slug}
    seller = seller_of(request)
    if seller is None or seller.get("cooperative"):
        raise Http404
    return {"cooperative": None, "id": None, "slug": None, "seller": seller}


def _desk_url(fulfiller: dict) -> str:
    if fulfiller["slug"]:
        return reverse("panel:shipments", args=[fulfiller["slug"]])
    return reverse("panel:own_shipments")


def _filters(request: HttpRequest) -> tuple[dict, dict]:
    chosen = {
        "status": request.GET.get("status") or "",
        "kind": request.GET.get("kind") or "",
        "day": request.GET.get("day") or "",
    }
    api_filter: dict = {}
    if chosen["status"] in STATUSES:
        api_filter["status"] = [chosen["status"]]
    else:
        chosen["status"] = ""
    if chosen["kind"] in KINDS:
        api_filter["deliveryKind"] = [chosen["kind"]]
    else:
        chosen["kind"] = ""
    try:
        api_filter["day"] = date.fromisoformat(latin_digits(chosen["day"])).isoformat()
    except ValueError:
        chosen["day"] = ""
    return chosen, api_filter


def _desk_page(
    request: HttpRequest,
    slug: str | None,
    template: str,
    preset: dict | None = None,
    order: Callable[[list[dict]], list[dict]] | None = None,
):
    fulfiller = _fulfiller(request, slug)
    chosen, api_filter = _filters(request)
    if preset:
        api_filter.update(preset)
    variables = {"cooperative": fulfiller["id"], "filter": api_filter}
    after = request.GET.get("after") or None
    try:
        data = client.query(request, queries.DESK, {**variables, "after": after})
    except client.APIError:
        data = client.query(request, queries.DESK, {**variables, "after": None})
    desk = data["shipmentDesk"]
    rows, next_cursor = page(desk["shipments"])
    if order is not None:
        rows = order(rows)
    labels.with_label(rows, "status", statuses.SHIPMENT)
    counts = [
        {**c, "label": statuses.SHIPMENT.get(c["status"], c["status"])}
        for c in desk["counts"]
        if c["status"] in STATUSES
    ]
    cash_due = sum(
        (row["cashToCollect"] or {}).get("amount") or 0
        for row in rows
        if row["status"] == "SHIPPED"
    )
    context = {
        **fulfiller,
        "shipments": rows,
        "counts": counts,
        "chosen": chosen,
        "kinds": [(k, labels.DELIVERY_KIND[k]) for k in KINDS],
        "next_cursor": next_cursor,
        "total": desk["shipments"]["totalCount"],
        "cash_due": cash_due,
        "action_url": _action_url(fulfiller),
        "desk_url": _desk_url(fulfiller),
    }
    return render(request, template, context)


def _action_url(fulfiller: dict) -> str:
    if fulfiller["slug"]:
        return reverse("panel:shipment_action", args=[fulfiller["slug"]])
    return reverse("panel:own_shipment_action")


@signed_in
def cooperative_desk(request: HttpRequest, slug: str) -> HttpResponse:
    return _desk_page(request, slug, "storefront/panel/desk.html")


@signed_in
def own_desk(request: HttpRequest) -> HttpResponse:
    return _desk_page(request, None, "storefront/panel/desk.html")


def _by_place(rows: list[dict]) -> list[dict]:
    """The driver's order: village (the address's city) then street, as the printed
    route lists them."""

    def key(row: dict) -> tuple[str, str, str]:
        address = (row.get("order") or {}).get("shippingAddress") or {}
        return tuple((address.get(k) or "").strip() for k in ("city", "streetAddress1", "lastName"))

    return sorted(rows, key=key)


@signed_in
def cooperative_route(request: HttpRequest, slug: str) -> HttpResponse:
    preset = {"deliveryKind": ["COOP_DELIVERY"], "status": ["SHIPPED"]}
    return _desk_page(request, slug, "storefront/panel/route.html", preset, order=_by_place)


def _ids(request: HttpRequest) -> list[str]:
    ids = [i.strip() for i in request.POST.getlist("shipment") if i.strip()]
    return [i for i in dict.fromkeys(ids) if len(i) <= MAX_ID_LENGTH][:MAX_BULK]


def _number(value: str) -> float | None:
    value = plain_number(value)
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        return None


def _pack_lines(request: HttpRequest, shipment_id: str) -> list[dict] | None:
    lines = []
    for key, value in request.POST.items():
        if not key.startswith(f"qty:{shipment_id}:"):
            continue
        quantity = _number(value)
        if quantity is None:
            continue
        lines.append({"lineId": key.split(":", 2)[2][:MAX_ID_LENGTH], "quantity": int(quantity)})
    return lines or None


def _one(request: HttpRequest, action: str, shipment_id: str) -> tuple[str, client.FormErrors]:
    if action == "pack":
        variables = {"id": shipment_id, "lines": _pack_lines(request, shipment_id)}
        return "shipmentPack", client.mutate(request, queries.PACK, variables, root="shipmentPack")[
            1
        ]
    if action == "ship":
        tracking = latin_digits(request.POST.get(f"tracking:{shipment_id}")).strip()
        carrier = (request.POST.get(f"carrier:{shipment_id}") or "").strip()[:32]
        variables = {
            "id": shipment_id,
            "input": {"trackingNumber": tracking or None, "carrier": carrier or None},
        }
        return "shipmentShip", client.mutate(request, queries.SHIP, variables, root="shipmentShip")[
            1
        ]
    if action == "deliver":
        cash = _number(request.POST.get(f"cash:{shipment_id}") or "")
        variables = {"id": shipment_id, "cash": cash}
        return "shipmentDeliver", client.mutate(
            request, queries.DELIVER, variables, root="shipmentDeliver"
        )[1]
    code = latin_digits(request.POST.get(f"code:{shipment_id}")).strip()[:12]
    variables = {"id": shipment_id, "code": code}
    return "shipmentPickupCheck", client.mutate(
        request, queries.PICKUP, variables, root="shipmentPickupCheck"
    )[1]


ACTIONS = frozenset({"pack", "ship", "deliver", "pickup"})


def _done_message(action: str, count: int) -> str:
    texts = {
        "pack": _("%(count)s parcel(s) packed."),
        "ship": _("%(count)s parcel(s) sent."),
        "deliver": _("%(count)s parcel(s) delivered."),
        "pickup": _("%(count)s parcel(s) handed over."),
    }
    return texts[action] % {"count": count}


def _act(request: HttpRequest, slug: str | None) -> HttpResponse:
    fulfiller = _fulfiller(request, slug)
    back = request.POST.get("back") or ""
    target = (
        back
        if back.startswith(_desk_url(fulfiller)) or back.startswith("/panel/")
        else _desk_url(fulfiller)
    )
    action = request.POST.get("action") or ""
    ids = _ids(request)
    # A row's own button names its action and its parcel: "pack:<id>".
    one = request.POST.get("one") or ""
    if ":" in one:
        action, shipment_id = one.split(":", 1)
        ids = [shipment_id[:MAX_ID_LENGTH]]
    if not ids:
        messages.error(request, _("Choose at least one parcel."))
        return redirect(target)
    if action.startswith("print:") and action[6:] in PRINTS:
        try:
            url = client.query(request, queries.DOCUMENTS, {"kind": action[6:], "ids": ids})[
                "shipmentDocumentsUrl"
            ]
        except client.APIError:
            messages.error(request, _("These papers cannot be printed."))
            return redirect(target)
        return redirect(url)
    if action not in ACTIONS:
        messages.error(request, _("Choose what to do."))
        return redirect(target)
    done = 0
    for shipment_id in ids:
        _root, errors = _one(request, action, shipment_id)
        if errors:
            for items in errors.by_field.values():
                messages.error(request, " ".join(items))
        else:
            done += 1
    if done:
        messages.success(request, _done_message(action, done))
    return redirect(target)


@signed_in
@require_POST
def cooperative_action(request: HttpRequest, slug: str) -> HttpResponse:
    return _act(request, slug)


@signed_in
@require_POST
def own_action(request: HttpRequest) -> HttpResponse:
    return _act(request, None)

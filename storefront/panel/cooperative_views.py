"""The cooperatives' desk: applicants to approve, members' products and warehouses
(the parcels are in fulfilment_views)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from storefront import client
from storefront.account import statuses
from storefront.panel import forms, fulfilment_queries, queries
from storefront.panel.access import cooperative_of, signed_in
from storefront.panel.paging import page, paged_query

MAX_ID_LENGTH = 100


def _desk(request: HttpRequest, slug: str) -> dict:
    cooperative_of(request, slug)
    found = client.query(request, queries.COOPERATIVE_DESK, {"slug": slug}).get("cooperative")
    if found is None:
        raise Http404
    return found


@signed_in
def cooperative_home(request: HttpRequest, slug: str) -> HttpResponse:
    cooperative = _desk(request, slug)
    applicants = [edge["node"] for edge in cooperative["applicants"]["edges"]]
    desk = client.query(
        request, fulfilment_queries.DESK_COUNTS, {"cooperative": cooperative["id"]}
    )["shipmentDesk"]
    counts = [
        {**c, "label": statuses.SHIPMENT.get(c["status"], c["status"])}
        for c in desk["counts"]
        if c["status"] in ("UNFULFILLED", "PACKED", "SHIPPED", "DELIVERED")
    ]
    context = {"cooperative": cooperative, "applicants": applicants, "counts": counts}
    return render(request, "storefront/panel/cooperative.html", context)


@signed_in
@require_POST
def approve(request: HttpRequest, slug: str) -> HttpResponse:
    cooperative_of(request, slug)
    seller_id = (request.POST.get("seller") or "").strip()
    if not seller_id or len(seller_id) > MAX_ID_LENGTH:
        messages.error(request, _("Choose an applicant to approve."))
        return redirect("panel:cooperative", slug)
    _payload, errors = client.mutate(
        request, queries.SELLER_APPROVE, {"id": seller_id}, root="sellerApprove"
    )
    if errors:
        for message in errors.by_field.values():
            messages.error(request, " ".join(message))
    else:
        messages.success(request, _("The producer was approved and can now list products."))
    return redirect("panel:cooperative", slug)


@signed_in
@require_POST
def reject(request: HttpRequest, slug: str) -> HttpResponse:
    cooperative_of(request, slug)
    seller_id = (request.POST.get("seller") or "").strip()
    reason = (request.POST.get("reason") or "").strip()
    if not seller_id or len(seller_id) > MAX_ID_LENGTH:
        messages.error(request, _("Choose an applicant to approve."))
        return redirect("panel:cooperative", slug)
    if not reason:
        messages.error(request, _("Say why the application is not accepted."))
        return redirect("panel:cooperative", slug)
    _payload, errors = client.mutate(
        request,
        queries.SELLER_REJECT,
        {"id": seller_id, "reason": reason[:2000]},
        root="sellerReject",
    )
    if errors:
        for message in errors.by_field.values():
            messages.error(request, " ".join(message))
    else:
        messages.success(request, _("The applicant was told why the application is not accepted."))
    return redirect("panel:cooperative", slug)


STOCK_FILTERS = {"in": True, "out": False}
MAX_SEARCH = 100


def _product_filters(request: HttpRequest, members: list[dict]) -> dict[str, str]:
    """The table's search and filters as chosen; an unknown member or stock choice is
    ignored rather than refused."""
    member = (request.GET.get("member") or "").strip()
    stock = (request.GET.get("stock") or "").strip()
    return {
        "q": (request.GET.get("q") or "").strip()[:MAX_SEARCH],
        "member": member if member in {m["id"] for m in members} else "",
        "stock": stock if stock in STOCK_FILTERS else "",
    }


def _table_row(product: dict) -> dict:
    return {
        **product,
        "stock": sum(v.get("quantityAvailable") or 0 for v in product.get("variants") or []),
        "status_label": statuses.product_label(product),
    }


@signed_in
def cooperative_products(request: HttpRequest, slug: str) -> HttpResponse:
    cooperative = _desk(request, slug)
    members = [edge["node"] for edge in cooperative["members"]["edges"]]
    chosen = _product_filters(request, members)
    variables = {
        "cooperatives": [cooperative["id"]],
        "sellers": [chosen["member"]] if chosen["member"] else None,
        "search": chosen["q"] or None,
        "available": STOCK_FILTERS.get(chosen["stock"]),
    }
    data = paged_query(request, queries.MEMBER_PRODUCTS, variables)
    rows, next_cursor = page(data["products"])
    filters = {key: value for key, value in chosen.items() if value}
    context = {
        "cooperative": cooperative,
        "products": [_table_row(product) for product in rows],
        "total": data["products"]["totalCount"],
        "more_query": urlencode({**filters, "after": next_cursor}) if next_cursor else "",
        "chosen": chosen,
        "filtered": bool(filters),
        "members": [m for m in members if m["status"] == "APPROVED"],
        "all_members": members,
    }
    return render(request, "storefront/panel/cooperative_products.html", context)


@signed_in
@require_http_methods(["GET", "POST"])
def warehouses(request: HttpRequest, slug: str) -> HttpResponse:
    cooperative = _desk(request, slug)
    form = forms.Form()
    status = 200
    if request.method == "POST":
        name = forms.text(form, request.POST, "name", required=True, max_length=200)
        if form.valid:
            variables = {"input": {"name": name, "cooperative": cooperative["id"]}}
            _payload, errors = client.mutate(
                request, queries.WAREHOUSE_CREATE, variables, root="warehouseCreate"
            )
            if not errors:
                messages.success(request, _("The warehouse was added."))
                return redirect("panel:warehouses", slug)
            form.merge(errors, {"name": "name"})
        status = 400
    context = {"cooperative": cooperative, "form": form}
    return render(request, "storefront/panel/warehouses.html", context, status=status)


@signed_in
@require_http_methods(["GET", "POST"])
def proposed_villages(request: HttpRequest, slug: str) -> HttpResponse:
    """Villages the members named that the list lacked: confirmed here; the operator
    merges one that turns out to be a known village."""
    cooperative = _desk(request, slug)
    if request.method == "POST":
        village_id = (request.POST.get("village") or "").strip()[:MAX_ID_LENGTH]
        _payload, errors = client.mutate(
            request, queries.VILLAGE_CONFIRM, {"id": village_id}, root="villageConfirm"
        )
        if errors:
            for message in errors.by_field.values():
                messages.error(request, " ".join(message))
        else:
            messages.success(request, _("The village was confirmed."))
        return redirect("panel:proposed_villages", slug)
    found = client.query(request, queries.PROPOSED_VILLAGES)["proposedVillages"]
    context = {"cooperative": cooperative, "villages": [e["node"] for e in found["edges"]]}
    return render(request, "storefront/panel/proposed_villages.html", context)

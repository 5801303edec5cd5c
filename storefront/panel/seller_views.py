"""The producers' pages: the panel's start, applying as a seller, their products and
the orders for their goods."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from storefront import client
from storefront.account import statuses
from storefront.digits import latin_digits
from storefront.panel import choices, forms, labels, queries
from storefront.panel.access import panel_me, seller_of, signed_in
from storefront.panel.paging import page, paged_query

APPLY_FIELDS = {
    "name": "name",
    "description": "description",
    "phone": "phone",
    "village": "village",
    "cooperative": "cooperative",
}


@signed_in
def index(request: HttpRequest) -> HttpResponse:
    me = panel_me(request)
    seller = me.get("seller")
    cooperatives = me.get("cooperatives") or []
    if seller is None and not cooperatives:
        return redirect("panel:apply")
    if seller is not None:
        seller = {**seller, "status_label": statuses.SELLER.get(seller["status"], "")}
    return render(
        request,
        "storefront/panel/index.html",
        {"seller": seller, "cooperatives": cooperatives},
    )


def _apply_page(request, form: forms.Form, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "cooperatives": choices.cooperatives(request),
        "villages": choices.villages(
            request, form.values.get("village_q", ""), form.values.get("proposed_village")
        ),
    }
    return render(request, "storefront/panel/apply.html", context, status=status)


@signed_in
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    if seller_of(request) is not None:
        return redirect("panel:index")
    form = forms.Form()
    if request.method == "GET":
        form.values["phone"] = (panel_me(request) or {}).get("phone") or ""
        return _apply_page(request, form)
    data = request.POST
    name = forms.text(form, data, "name", required=True, max_length=200)
    description = forms.text(form, data, "description", max_length=5000)
    phone = forms.text(form, data, "phone", required=True, max_length=20)
    village = forms.text(form, data, "village", max_length=100)
    cooperative = forms.text(form, data, "cooperative", max_length=100)
    form.values["village_q"] = (data.get("village_q") or "").strip()
    if "find_village" in data:
        form.errors.clear()
        return _apply_page(request, form)
    if form.valid:
        village = choices.chosen_village(request, form, data)
    if not form.valid:
        return _apply_page(request, form, status=400)
    seller_input = {"name": name, "description": description, "phone": latin_digits(phone)}
    if village:
        seller_input["village"] = village
    if cooperative:
        seller_input["cooperative"] = cooperative
    _payload, errors = client.mutate(
        request, queries.SELLER_CREATE, {"input": seller_input}, root="sellerCreate"
    )
    if errors:
        form.merge(errors, APPLY_FIELDS)
        return _apply_page(request, form, status=400)
    messages.success(request, _("Your application was sent. We will let you know."))
    return redirect("panel:index")


def _approved_seller(request: HttpRequest) -> dict | None:
    seller = seller_of(request)
    if seller is None or seller["status"] != "APPROVED":
        return None
    return seller


@signed_in
def products(request: HttpRequest) -> HttpResponse:
    seller = _approved_seller(request)
    if seller is None:
        return redirect("panel:index")
    connection = paged_query(request, queries.PRODUCT_LIST, {"sellers": [seller["id"]]})
    connection = connection["products"]
    rows, next_cursor = page(connection)
    for row in rows:
        row["status_label"] = statuses.product_label(row)
    context = {
        "seller": seller,
        "products": rows,
        "total": connection["totalCount"],
        "next_cursor": next_cursor,
    }
    return render(request, "storefront/panel/products.html", context)


@signed_in
def orders(request: HttpRequest) -> HttpResponse:
    seller = _approved_seller(request)
    if seller is None:
        return redirect("panel:index")
    data = paged_query(request, queries.SELLER_SALES, {"id": seller["id"]})
    connection = data["seller"]["sales"]
    rows, next_cursor = page(connection)
    labels.with_label(rows, "shipmentStatus", statuses.SHIPMENT)
    context = {"seller": seller, "sales": rows, "next_cursor": next_cursor}
    return render(request, "storefront/panel/orders.html", context)

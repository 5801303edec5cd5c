"""All packs (variants) of a product: each one's name, price, stock and weight can be
seen and edited, and a new pack added, by the producer or their cooperative's staff."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from storefront.panel import forms, queries, saving
from storefront.panel.access import signed_in
from storefront.panel.product_views import _query_or_404

NEW = "new"


def pack_values(variant: dict[str, Any]) -> dict[str, str]:
    price = ((variant.get("pricing") or {}).get("price") or {}).get("gross") or {}
    stocks = variant.get("stocks") or []
    weight = variant.get("weight")
    return {
        "unit": variant.get("name", ""),
        "price": str(int(Decimal(str(price["amount"])) / forms.RIALS_PER_TOMAN)) if price else "",
        "stock": str(stocks[0]["quantity"]) if stocks else "0",
        "weight": format(Decimal(str(weight)).normalize(), "f") if weight else "",
    }


def _read(request: HttpRequest, product: dict) -> tuple[forms.Form, saving.ProductData]:
    form = forms.Form()
    data = request.POST
    pack = saving.ProductData(
        name=product["name"],
        description="",
        category="",
        origin="",
        price_rial=forms.price_in_rial(form, data),
        stock=forms.quantity(form, data),
        weight=forms.weight_kg(form, data),
        unit=forms.text(form, data, "unit", max_length=150),
        photos=[],
        publish=False,
    )
    return form, pack


@signed_in
@require_http_methods(["GET", "POST"])
def packs(request: HttpRequest, product_id: str) -> HttpResponse:
    product = _query_or_404(request, queries.PRODUCT_FOR_EDIT, {"id": product_id}, "product")
    if product["seller"].get("warehouses") is None:
        raise Http404  # neither the producer nor their cooperative's staff
    variants = product.get("variants") or []
    forms_by_pack = {v["id"]: forms.Form(values=pack_values(v)) for v in variants}
    forms_by_pack[NEW] = forms.Form(values={"stock": "0"})
    status = 200
    if request.method == "POST":
        pack_id = request.POST.get("pack", "")
        if pack_id not in forms_by_pack:
            raise Http404
        form, data = _read(request, product)
        forms_by_pack[pack_id] = form
        if form.valid:
            if pack_id == NEW:
                saved = saving.create_pack(request, product["id"], product["seller"], data, form)
            else:
                variant = next(v for v in variants if v["id"] == pack_id)
                saved = saving.save_pack(request, product, variant, data, form)
            if saved:
                messages.success(request, _("The pack is saved."))
                return redirect("panel:product_packs", product_id=product["id"])
        status = 400
    context = {
        "product": product,
        "packs": [(v, forms_by_pack[v["id"]]) for v in variants],
        "new_form": forms_by_pack[NEW],
    }
    return render(request, "storefront/panel/packs.html", context, status=status)

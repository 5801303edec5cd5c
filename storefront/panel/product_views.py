"""Adding, editing, publishing and unpublishing a product: one form for a producer and
for their cooperative's staff acting on their behalf."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from storefront import client
from storefront.panel import choices, forms, queries, saving
from storefront.panel.access import safe_next, seller_of, signed_in

MAX_ID_LENGTH = 100


def _query_or_404(request: HttpRequest, document: str, variables: dict, root: str) -> dict:
    if any(len(str(value)) > MAX_ID_LENGTH for value in variables.values()):
        raise Http404
    try:
        found = client.query(request, document, variables).get(root)
    except client.APIError:
        raise Http404 from None
    if found is None:
        raise Http404
    return found


def _default_next(seller: dict[str, Any]) -> str:
    """Back to the list the visitor came from: their own, or the cooperative's members'."""
    cooperative = seller.get("cooperative")
    if cooperative and not seller.get("is_own"):
        return reverse("panel:cooperative_products", args=[cooperative["slug"]])
    return reverse("panel:products")


def _render(
    request: HttpRequest,
    form: forms.Form,
    *,
    seller: dict,
    product: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    current = None
    village_id = form.values.get("village")
    if village_id:
        proposed = form.values.get("proposed_village")
        for candidate in ((product or {}).get("origin"), seller.get("village"), proposed):
            if candidate and candidate["id"] == village_id:
                current = candidate
    context = {
        "form": form,
        "seller": seller,
        "product": product,
        "categories": choices.categories(request),
        "villages": choices.villages(request, form.values.get("village_q", ""), current),
        "next": safe_next(request, _default_next(seller)),
    }
    return render(request, "storefront/panel/product_form.html", context, status=status)


@signed_in
@require_GET
def village_options(request: HttpRequest) -> HttpResponse:
    """The village list of the form, for a search made without reloading it."""
    form = forms.Form()
    form.values["village_q"] = (request.GET.get("q") or "").strip()[:100]
    form.values["village"] = (request.GET.get("current") or "").strip()[:MAX_ID_LENGTH]
    context = {"form": form, "villages": choices.villages(request, form.values["village_q"])}
    return render(request, "storefront/panel/_village_options.html", context)


def _seller_for_new(request: HttpRequest) -> dict | None:
    seller_id = (request.POST.get("seller") or request.GET.get("seller") or "").strip()
    own = seller_of(request)
    if not seller_id or (own and own["id"] == seller_id):
        if own is None or own["status"] != "APPROVED":
            return None
        return {**own, "is_own": True}
    return _query_or_404(request, queries.SELLER_FOR_NEW_PRODUCT, {"id": seller_id}, "seller")


def _not_allowed(form: forms.Form) -> None:
    form.add(None, _("You do not have permission to do this."))


def _save(request, form, data, seller, product=None) -> HttpResponse:
    """Handle a submitted form: a village search, a rejected form or a saved product."""
    if "find_village" in request.POST:
        form.errors.clear()
        return _render(request, form, seller=seller, product=product)
    if form.valid:
        data.origin = choices.chosen_village(request, form, request.POST)
    if not form.valid:
        return _render(request, form, seller=seller, product=product, status=400)
    if product is None:
        saved = saving.create_product(request, seller, data, form) is not None
    else:
        saved = saving.update_product(request, product, data, form)
    if not saved:
        return _render(request, form, seller=seller, product=product, status=400)
    messages.success(request, _("The product was saved."))
    return redirect(safe_next(request, _default_next(seller)))


@signed_in
@require_http_methods(["GET", "POST"])
def product_new(request: HttpRequest) -> HttpResponse:
    seller = _seller_for_new(request)
    if seller is None:
        return redirect("panel:index")
    if request.method == "GET":
        form = forms.Form()
        village = seller.get("village") or {}
        form.values |= {
            "village": village.get("id", ""),
            "village_q": village.get("name", ""),
            "is_published": True,
            "stock": "0",
        }
        if seller.get("warehouses") is None:
            _not_allowed(form)
            return _render(request, form, seller=seller, status=403)
        return _render(request, form, seller=seller)
    categories = {option["id"] for option in choices.categories(request)}
    form, data = saving.read_form(request, categories)
    return _save(request, form, data, seller)


def _initial(product: dict) -> forms.Form:
    form = forms.Form()
    variant = (product.get("variants") or [{}])[0]
    price = ((variant.get("pricing") or {}).get("price") or {}).get("gross") or {}
    stocks = variant.get("stocks") or []
    origin = product.get("origin") or {}
    weight = variant.get("weight")
    form.values |= {
        "name": product["name"],
        "description": product["description"],
        "category": product["category"]["id"],
        "village": origin.get("id", ""),
        "village_q": origin.get("name", ""),
        "price": str(int(Decimal(str(price["amount"])) / forms.RIALS_PER_TOMAN)) if price else "",
        "stock": str(stocks[0]["quantity"]) if stocks else "0",
        "weight": format(Decimal(str(weight)).normalize(), "f") if weight else "",
        "unit": variant.get("name", ""),
        "is_published": product["isPublished"],
    }
    return form


@signed_in
@require_http_methods(["GET", "POST"])
def product_edit(request: HttpRequest, product_id: str) -> HttpResponse:
    product = _query_or_404(request, queries.PRODUCT_FOR_EDIT, {"id": product_id}, "product")
    seller = product["seller"]
    own = seller_of(request)
    if own and own["id"] == seller["id"]:
        seller = {**seller, "is_own": True}
    if request.method == "GET":
        form = _initial(product)
        if seller.get("warehouses") is None:
            _not_allowed(form)
            return _render(request, form, seller=seller, product=product, status=403)
        return _render(request, form, seller=seller, product=product)
    categories = {option["id"] for option in choices.categories(request)}
    form, data = saving.read_form(request, categories)
    return _save(request, form, data, seller, product)


@signed_in
@require_POST
def product_publish(request: HttpRequest, product_id: str) -> HttpResponse:
    if len(product_id) > MAX_ID_LENGTH:
        raise Http404
    publish = request.POST.get("publish") == "1"
    errors = saving.set_published(request, product_id, publish)
    if errors:
        for message in errors.by_field.values():
            messages.error(request, " ".join(message))
    elif publish:
        messages.success(request, _("The product is in the shop now."))
    else:
        messages.success(request, _("The product is hidden from the shop."))
    return redirect(safe_next(request, reverse("panel:products")))

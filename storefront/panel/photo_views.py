"""A product's photos in the panel: each one deleted or moved earlier or later (the
first is the one the shop shows on cards). New photos come with the product form."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from storefront import client
from storefront.panel import queries
from storefront.panel.access import safe_next, signed_in
from storefront.panel.product_views import _query_or_404

MOVES = {"earlier": -1, "later": 1}


def _moved(order: list[str], media_id: str, step: int) -> list[str] | None:
    if media_id not in order:
        return None
    index = order.index(media_id)
    target = index + step
    if not 0 <= target < len(order):
        return order
    moved = list(order)
    moved[index], moved[target] = moved[target], moved[index]
    return moved


def _report(request: HttpRequest, errors: client.FormErrors, success: str) -> None:
    if errors:
        for message in errors.by_field.values():
            messages.error(request, " ".join(message))
    else:
        messages.success(request, success)


@signed_in
@require_POST
def product_photos(request: HttpRequest, product_id: str) -> HttpResponse:
    product = _query_or_404(request, queries.PRODUCT_FOR_EDIT, {"id": product_id}, "product")
    back = safe_next(request, reverse("panel:product_edit", args=[product["id"]]))
    order = [media["id"] for media in product.get("media") or []]
    deleted = (request.POST.get("delete") or "").strip()
    if deleted:
        if deleted not in order:
            messages.error(request, _("That photo is no longer there."))
            return redirect(back)
        _payload, errors = client.mutate(
            request, queries.MEDIA_DELETE, {"id": deleted}, root="productMediaDelete"
        )
        _report(request, errors, _("The photo was deleted."))
        return redirect(back)
    for move, step in MOVES.items():
        media_id = (request.POST.get(move) or "").strip()
        if not media_id:
            continue
        moved = _moved(order, media_id, step)
        if moved is None:
            messages.error(request, _("That photo is no longer there."))
        elif moved != order:
            variables = {"product": product["id"], "media": moved}
            _payload, errors = client.mutate(
                request, queries.MEDIA_REORDER, variables, root="productMediaReorder"
            )
            _report(request, errors, _("The photos' order was saved."))
        return redirect(back)
    return redirect(back)

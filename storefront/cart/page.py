"""The cart page: one API request for the checkout, the provinces and the buyer's saved
addresses, shaped for the template. Views that could not apply a form render it again
through here, with what was posted and the API's errors."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from storefront import channel, client
from storefront.cart import documents, session
from storefront.cart.fields import (
    Field,
    address_fields,
    address_values,
    attach_errors,
    same_address,
)
from storefront.client import FormErrors

TEMPLATE = "storefront/cart/index.html"


@dataclass
class Forms:
    """What a failed POST hands back to the page."""

    address: dict[str, str] | None = None
    address_errors: FormErrors = field(default_factory=FormErrors)
    promo: str = ""
    promo_errors: list[str] = field(default_factory=list)
    place_errors: list[str] = field(default_factory=list)
    email: str | None = None
    email_errors: list[str] = field(default_factory=list)
    delivery_errors: dict[str, list[str]] = field(default_factory=dict)


def _group_view(group: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    chosen = (group.get("deliveryMethod") or {}).get("id")
    fulfiller = group.get("fulfiller") or {}
    return {
        **group,
        "name": fulfiller.get("name", ""),
        "is_cooperative": fulfiller.get("__typename") == "Cooperative",
        "chosen": chosen,
        "errors": errors.get(group["id"], []),
    }


def load(request) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """The cart's checkout (None when there is none) and the rest of the page's data."""
    token = session.current(request)
    if token is None:
        return None, {}
    signed_in = client.signed_in(request)
    try:
        data = client.query(request, documents.CART_PAGE, {"id": token, "signedIn": signed_in})
    except client.APIError:
        data = {}
    checkout = data.get("checkout")
    if checkout is None:
        # Ordered, merged away, expired, or not this visitor's: start afresh.
        session.forget(request)
        return None, {}
    session.remember(request, checkout)
    return checkout, data


def render_page(request, forms: Forms | None = None, *, status: int = 200) -> HttpResponse:
    forms = forms or Forms()
    checkout, data = load(request)
    context: dict[str, Any] = {
        "checkout": checkout,
        "forms": forms,
        "signed_in": client.signed_in(request),
    }
    if checkout is not None:
        foreign = channel.current(request) != channel.DEFAULT
        # The addresses this channel delivers to: Iran's in rial, the others in dollars.
        saved = [a for a in data.get("myAddresses") or [] if (a.get("country") != "IR") == foreign]
        context.update(
            _checkout_context(checkout, data.get("provinces") or [], saved, forms, foreign)
        )
        if not context["signed_in"]:
            context["email_field"] = _email_field(checkout, forms)
    return render(request, TEMPLATE, context, status=status)


def _email_field(checkout: dict[str, Any], forms: Forms) -> Field:
    """An anonymous buyer's email, given with the address: the order's confirmation goes
    there."""
    return Field(
        "email",
        _("Your email"),
        value=forms.email if forms.email is not None else checkout.get("email") or "",
        kind="email",
        autocomplete="email",
        hint=_("We send the order's confirmation and updates here."),
        errors=list(forms.email_errors),
        prefix="a",
    )


def _checkout_context(
    checkout: dict[str, Any],
    provinces: list[dict],
    saved: list[dict],
    forms: Forms,
    foreign: bool = False,
) -> dict[str, Any]:
    if forms.address is not None:
        values = forms.address
    elif checkout.get("shippingAddress"):
        values = address_values(checkout["shippingAddress"])
    else:
        default = next((a for a in saved if a.get("isDefault")), None)
        values = address_values(default)
    fields: list[Field] = address_fields(provinces, values, foreign=foreign)
    address_general = attach_errors(fields, forms.address_errors, prefix="shippingAddress")
    groups = [_group_view(g, forms.delivery_errors) for g in checkout["groups"]]
    shipping = address_values(checkout.get("shippingAddress"))
    chosen_saved = next(
        (a["id"] for a in saved if shipping and same_address(address_values(a), shipping)), None
    )
    return {
        "groups": groups,
        "address_fields": fields,
        "address_general": address_general,
        "has_address": bool(shipping),
        # The page's scripts keep the address form as the buyer left it unless this
        # changes (a quantity changed elsewhere on the page leaves it alone).
        "address_key": hashlib.sha256(
            json.dumps([shipping, checkout.get("email")], sort_keys=True).encode()
        ).hexdigest()[:16],
        "saved_addresses": saved,
        "chosen_saved": chosen_saved,
        "new_address_open": bool(
            forms.address_errors or forms.address or (shipping and not chosen_saved)
        ),
        "missing_delivery": any(not g["chosen"] for g in groups),
        "has_unavailable": any(
            not line["isAvailable"] for g in groups for line in g.get("lines", [])
        ),
        "promo_field": Field(
            "code",
            _("Promo code"),
            value=forms.promo,
            errors=list(forms.promo_errors),
            autocomplete="off",
            prefix="promo",
        ),
    }

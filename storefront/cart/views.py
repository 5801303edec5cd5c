"""The cart, which is the checkout: adding products, quantities, delivery per fulfiller,
promo code, shipping address and the cash-on-delivery order. Every form POSTs and
redirects back when it worked; when it did not, the page is drawn again with the errors
next to the fields."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from storefront import channel as channels
from storefront import client
from storefront.cart import documents, payment, session
from storefront.cart.fields import (
    address_input,
    address_values,
    next_url,
    posted,
    posted_address,
    posted_int,
    same_address,
)
from storefront.cart.page import Forms, render_page
from storefront.client import FormErrors

# Errors on the checkout ID itself: the cart was ordered, merged away or is not ours.
GONE_CODES = {"NOT_FOUND", "INVALID_STATUS", "INVALID"}


def _gone(errors: FormErrors) -> bool:
    return any(
        item.get("field") == "id" and item.get("code") in GONE_CODES for item in errors.items
    )


def _report(request, errors: FormErrors) -> None:
    for item in errors.items:
        messages.error(request, item["message"])


def _cart() -> Any:
    return redirect("cart:index")


def _update(request, document: str, root: str, variables: dict[str, Any]):
    """Run a checkout mutation on the cart; (payload, errors, token). A cart that is gone
    is forgotten and reported, with None as the token."""
    token = session.current(request)
    if token is None:
        messages.error(request, _("Your cart is empty."))
        return {}, FormErrors(), None
    payload, errors = client.mutate(request, document, {"id": token, **variables}, root=root)
    if _gone(errors):
        session.forget(request)
        messages.error(request, _("This cart has already been ordered or has expired."))
        return {}, FormErrors(), None
    if payload.get("checkout"):
        session.remember(request, payload["checkout"])
    return payload, errors, token


@require_GET
def index(request):
    return render_page(request)


@require_POST
def add(request):
    back = next_url(request, reverse("cart:index"))
    variant = posted(request, "variant")
    quantity = posted_int(request, "quantity", default=1)
    if not variant or quantity is None:
        messages.error(request, _("Choose a product and a quantity."))
        return redirect(back)
    lines = [{"variantId": variant, "quantity": quantity}]
    token = session.current(request)
    payload: dict[str, Any] = {}
    errors = FormErrors()
    if token is not None:
        payload, errors = client.mutate(
            request, documents.LINES_ADD, {"id": token, "lines": lines}, root="checkoutLinesAdd"
        )
        if _gone(errors):
            session.forget(request)
            token = None
    if token is None:
        # An anonymous visitor gives the email later, with the shipping address.
        data: dict[str, Any] = {"channel": channels.current(request), "lines": lines}
        payload, errors = client.mutate(
            request, documents.CREATE, {"input": data}, root="checkoutCreate"
        )
    if errors:
        _report(request, errors)
        return redirect(back)
    session.remember(request, payload.get("checkout"))
    messages.success(request, _("Added to your cart."))
    return redirect(back)


@require_POST
def update_line(request):
    variant = posted(request, "variant")
    quantity = 0 if "remove" in request.POST else posted_int(request, "quantity")
    if not variant or quantity is None:
        messages.error(request, _("Enter a quantity."))
        return _cart()
    lines = [{"variantId": variant, "quantity": quantity}]
    _payload, errors, _token = _update(
        request, documents.LINES_UPDATE, "checkoutLinesUpdate", {"lines": lines}
    )
    _report(request, errors)
    if not errors and quantity == 0:
        messages.success(request, _("Removed from your cart."))
    return _cart()


@require_POST
def delivery(request):
    group, method = posted(request, "group"), posted(request, "method")
    if not group or not method:
        return render_page(
            request, Forms(delivery_errors={group: [_("Choose a delivery method.")]})
        )
    _payload, errors, _token = _update(
        request,
        documents.DELIVERY_UPDATE,
        "checkoutDeliveryMethodUpdate",
        {"group": group, "method": method},
    )
    if errors:
        return render_page(
            request, Forms(delivery_errors={group: [e["message"] for e in errors.items]})
        )
    return redirect(reverse("cart:index") + "#delivery")


@require_POST
def promo(request):
    code = posted(request, "code")
    if not code:
        return render_page(request, Forms(promo_errors=[_("Enter a promo code.")]))
    _payload, errors, _token = _update(
        request, documents.PROMO_ADD, "checkoutAddPromoCode", {"code": code}
    )
    if errors:
        return render_page(
            request, Forms(promo=code, promo_errors=[e["message"] for e in errors.items])
        )
    messages.success(request, _("Promo code applied."))
    return _cart()


@require_POST
def promo_remove(request):
    _payload, errors, _token = _update(
        request, documents.PROMO_REMOVE, "checkoutRemovePromoCode", {}
    )
    _report(request, errors)
    return _cart()


def _saved_address(request, address_id: str) -> dict[str, str] | None:
    try:
        data = client.query(request, "query { myAddresses { id " + _ADDRESS + " } }")
    except client.APIError:
        return None
    found = next((a for a in data.get("myAddresses") or [] if a["id"] == address_id), None)
    return address_values(found) if found else None


_ADDRESS = (
    "country firstName lastName phone countryArea city streetAddress1 streetAddress2 postalCode "
    "province { code }"
)


def _save_email(request) -> tuple[str | None, list[str], bool]:
    """An anonymous buyer's email, posted with the address form: (what was typed, its
    errors, whether the cart is still there). Signed-in buyers' orders go to their
    account's email."""
    if "email" not in request.POST or client.signed_in(request):
        return None, [], True
    email = posted(request, "email")
    _payload, errors, token = _update(
        request, documents.EMAIL_UPDATE, "checkoutEmailUpdate", {"email": email}
    )
    return email, [e["message"] for e in errors.items], token is not None


@require_POST
def address(request):
    email, email_errors, present = _save_email(request)
    if not present:
        return _cart()
    saved_id = posted(request, "saved")
    values = posted_address(request)
    if saved_id:
        values = _saved_address(request, saved_id)
        if values is None:
            messages.error(request, _("That saved address was not found."))
            return _cart()
    _payload, errors, token = _update(
        request,
        documents.ADDRESS_UPDATE,
        "checkoutShippingAddressUpdate",
        {"address": address_input(values)},
    )
    if token is None:
        return _cart()
    if errors or email_errors:
        forms = Forms(address=values, address_errors=errors, email=email, email_errors=email_errors)
        return render_page(request, forms)
    if not saved_id and posted(request, "remember") and client.signed_in(request):
        _remember_address(request, token, values)
    messages.success(request, _("Shipping address saved; now choose how each parcel is sent."))
    return redirect(reverse("cart:index") + "#delivery")


def _remember_address(request, token: str, values: dict[str, str]) -> None:
    """Keep a signed-in buyer's new shipping address among their saved addresses, unless
    one of them is already the same (as the API normalised it on the checkout)."""
    try:
        data = client.query(request, documents.SAVED_AND_SHIPPING, {"id": token})
    except client.APIError:
        return
    shipping = address_values((data.get("checkout") or {}).get("shippingAddress"))
    saved = [address_values(a) for a in data.get("myAddresses") or []]
    if not shipping or any(same_address(a, shipping) for a in saved):
        return
    _payload, errors = client.mutate(
        request,
        documents.ACCOUNT_ADDRESS_CREATE,
        {"input": address_input(values)},
        root="accountAddressCreate",
    )
    if errors:
        messages.warning(
            request, _("The address is on your order but was not saved to your account.")
        )
    else:
        messages.success(request, _("The address is saved to your account too."))


@require_POST
def place(request):
    token = session.current(request)
    if token is None:
        messages.error(request, _("Your cart is empty."))
        return _cart()
    gateways = payment.gateways_of(request, token)
    gateway = posted(request, "gateway") or documents.PAYMENT_GATEWAY
    # Cash on delivery sends nobody anywhere: no return address needed.
    redirect_to = None if gateway == documents.PAYMENT_GATEWAY else payment.return_url(request)
    variables = {"id": token, "gateway": gateway, "redirect": redirect_to}
    payload, errors = client.mutate(request, documents.COMPLETE, variables, root="checkoutComplete")
    order = payload.get("order")
    if order is None:
        if _gone(errors):
            session.forget(request)
            messages.error(request, _("This cart has already been ordered or has expired."))
            return _cart()
        email_errors = [e["message"] for e in errors.items if e.get("field") == "email"]
        forms = Forms(place_errors=[e["message"] for e in errors.items], email_errors=email_errors)
        return render_page(request, forms)
    session.forget(request)
    payment.remember_order(request, order, gateways)
    return payment.go_pay(request, payload.get("payment"), errors)


@require_POST
def channel(request):
    """Shop in another channel (rial or US dollars); the cart of the other is forgotten."""
    chosen = posted(request, "channel")
    if chosen in channels.CHANNELS and chosen != channels.current(request):
        request.session[channels.KEY] = chosen
        session.forget(request)
    return redirect(next_url(request, reverse("shop:home")))


@require_GET
def done(request):
    order = request.session.get(session.LAST_ORDER)
    if not order:
        return _cart()
    context = {"order": order, "signed_in": client.signed_in(request)}
    return render(request, "storefront/cart/done.html", context)

"""The buyer's saved addresses: list, add, edit, delete and choose the default."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from storefront import channel, client
from storefront.account import documents
from storefront.account.guard import signed_in_required
from storefront.cart.fields import (
    address_fields,
    address_input,
    address_values,
    attach_errors,
    posted,
    posted_address,
)


@require_GET
@signed_in_required
def address_list(request):
    data = client.query(request, documents.ADDRESSES)
    return render(
        request, "storefront/account/addresses.html", {"addresses": data.get("myAddresses") or []}
    )


def _form_data(request) -> dict[str, Any]:
    return client.query(request, documents.ADDRESS_FORM)


def _edit(request, address_id: str | None):
    data = _form_data(request)
    existing = None
    if address_id is not None:
        existing = next((a for a in data["myAddresses"] if a["id"] == address_id), None)
        if existing is None:
            raise Http404(_("No such address."))
    values = posted_address(request) if request.method == "POST" else address_values(existing)
    # An address abroad keeps its country field; a new one is abroad in the dollar channel.
    if existing is not None:
        foreign = existing.get("country") not in ("", "IR")
    else:
        foreign = channel.current(request) != channel.DEFAULT
    fields = address_fields(data["provinces"], values, foreign=foreign)
    general: list[str] = []
    if request.method == "POST":
        if address_id is None:
            variables = {"input": address_input(values)}
            document, root = documents.ADDRESS_CREATE, "accountAddressCreate"
        else:
            variables = {"id": address_id, "input": address_input(values)}
            document, root = documents.ADDRESS_UPDATE, "accountAddressUpdate"
        _payload, errors = client.mutate(request, document, variables, root=root)
        if not errors:
            messages.success(request, _("Address saved."))
            return redirect("account:addresses")
        general = attach_errors(fields, errors, prefix="input")
    context = {"fields": fields, "general": general, "address": existing}
    return render(request, "storefront/account/address_form.html", context)


@require_http_methods(["GET", "POST"])
@signed_in_required
def address_new(request):
    return _edit(request, None)


@require_http_methods(["GET", "POST"])
@signed_in_required
def address_edit(request, address_id: str):
    return _edit(request, address_id)


def _act(request, document: str, root: str, done: str):
    address_id = posted(request, "id")
    if not address_id:
        messages.error(request, _("Choose an address."))
        return redirect("account:addresses")
    _payload, errors = client.mutate(request, document, {"id": address_id}, root=root)
    for item in errors.items:
        messages.error(request, item["message"])
    if not errors:
        messages.success(request, done)
    return redirect("account:addresses")


@require_POST
@signed_in_required
def address_delete(request):
    return _act(request, documents.ADDRESS_DELETE, "accountAddressDelete", _("Address deleted."))


@require_POST
@signed_in_required
def address_default(request):
    return _act(
        request,
        documents.ADDRESS_DEFAULT,
        "accountAddressSetDefault",
        _("This is now your default address."),
    )

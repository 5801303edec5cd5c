"""The buyer's returns on the order page: asking to return units of a delivered parcel
(with photos), and disputing a rejection."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from storefront import client
from storefront.account.guard import signed_in_required

_ERRORS = "errors { field code message }"
RETURN_CREATE = (
    "mutation Return($input: ReturnRequestInput!) { returnRequestCreate(input: $input) { "
    "returnRequest { id status } " + _ERRORS + " } }"
)
RETURN_DISPUTE = (
    "mutation Dispute($id: ID!, $text: String!) { returnRequestDispute(id: $id, text: $text) { "
    "returnRequest { id status } " + _ERRORS + " } }"
)

# The API's reasons, in the buyer's words.
REASONS = (
    ("DAMAGED", gettext_lazy("Arrived damaged")),
    ("WRONG_ITEM", gettext_lazy("Not what I ordered")),
    ("POOR_QUALITY", gettext_lazy("Poor quality")),
    ("MISSING_PARTS", gettext_lazy("Parts are missing")),
    ("NOT_WANTED", gettext_lazy("No longer wanted")),
)
MAX_LINES = 100


def _asked_lines(post) -> list[dict[str, object]]:
    lines = []
    for key, value in list(post.items())[: MAX_LINES * 2]:
        if not key.startswith("qty:"):
            continue
        try:
            quantity = int(str(value).strip() or "0")
        except ValueError:
            quantity = -1
        if quantity != 0:
            lines.append({"line": key[4:], "quantity": quantity})
    return lines


def _show(request, errors) -> None:
    for item in errors.items:
        messages.error(request, item["message"])


@require_POST
@signed_in_required
def return_create(request, order_id: str):
    variables = {
        "input": {
            "order": order_id,
            "lines": _asked_lines(request.POST),
            "reason": request.POST.get("reason", ""),
            "text": request.POST.get("text", ""),
            "photos": request.FILES.getlist("photos"),
        }
    }
    _payload, errors = client.mutate(request, RETURN_CREATE, variables, root="returnRequestCreate")
    if errors:
        _show(request, errors)
    else:
        messages.success(request, _("Your return request was sent to the seller."))
    return redirect("account:order", order_id=order_id)


@require_POST
@signed_in_required
def return_dispute(request, order_id: str, return_id: str):
    variables = {"id": return_id, "text": request.POST.get("text", "")}
    _payload, errors = client.mutate(
        request, RETURN_DISPUTE, variables, root="returnRequestDispute"
    )
    if errors:
        _show(request, errors)
    else:
        messages.success(request, _("Your objection was sent; our staff will decide."))
    return redirect("account:order", order_id=order_id)

"""Returns to decide: a cooperative's (or an independent producer's own) returns with the
buyer's reason, words and photos; accept (the refund follows), reject with a note, and
mark the goods received (back on sale when resellable). Every change goes through the
API; these views only read the forms and show the answers."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from storefront import client
from storefront.panel.access import signed_in
from storefront.panel.fulfilment_views import _fulfiller
from storefront.panel.paging import page, paged_query

_ERRORS = "errors { field code message }"
RETURNS = """
query Returns($cooperative: ID, $status: [String!], $after: String) {
  returnRequests(cooperative: $cooperative, status: $status, first: 30, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node {
      id status statusDisplay reasonDisplay text note created
      order { id number }
      amount { amount currency } refund { amount currency } refundPending refundHeld
      lines { line { id productName variantName } quantity }
      photos { url }
    } }
  }
}
"""
DECIDE = (
    "mutation Decide($id: ID!, $accept: Boolean!, $note: String) { "
    "returnRequestDecide(id: $id, accept: $accept, note: $note) { returnRequest { id status } "
    + _ERRORS
    + " } }"
)
RECEIVE = (
    "mutation Receive($id: ID!, $resellable: Boolean!) { "
    "returnRequestReceive(id: $id, resellable: $resellable) { returnRequest { id status } "
    + _ERRORS
    + " } }"
)
OPEN = ("REQUESTED", "ACCEPTED", "RECEIVED", "DISPUTED")
MAX_ID_LENGTH = 100


def _returns_url(fulfiller: dict) -> str:
    if fulfiller["slug"]:
        return reverse("panel:returns", args=[fulfiller["slug"]])
    return reverse("panel:own_returns")


def _page(request: HttpRequest, slug: str | None) -> HttpResponse:
    fulfiller = _fulfiller(request, slug)
    everything = request.GET.get("all") == "1"
    variables = {"cooperative": fulfiller["id"], "status": None if everything else list(OPEN)}
    data = paged_query(request, RETURNS, variables)
    rows, next_cursor = page(data["returnRequests"])
    context = {
        **fulfiller,
        "returns": rows,
        "everything": everything,
        "next_cursor": next_cursor,
        "total": data["returnRequests"]["totalCount"],
        "returns_url": _returns_url(fulfiller),
    }
    return render(request, "storefront/panel/returns.html", context)


def _act(request: HttpRequest, slug: str | None) -> HttpResponse:
    fulfiller = _fulfiller(request, slug)
    return_id = (request.POST.get("id") or "")[:MAX_ID_LENGTH]
    action = request.POST.get("action")
    if action in ("accept", "reject"):
        variables = {
            "id": return_id,
            "accept": action == "accept",
            "note": request.POST.get("note", ""),
        }
        _payload, errors = client.mutate(request, DECIDE, variables, root="returnRequestDecide")
        done = _("The return is accepted.") if action == "accept" else _("The return is rejected.")
    else:
        variables = {"id": return_id, "resellable": action == "resellable"}
        _payload, errors = client.mutate(request, RECEIVE, variables, root="returnRequestReceive")
        done = _("The returned goods are recorded as received.")
    if errors:
        for item in errors.items:
            messages.error(request, item["message"])
    else:
        messages.success(request, done)
    return redirect(_returns_url(fulfiller))


@signed_in
def cooperative_returns(request: HttpRequest, slug: str) -> HttpResponse:
    return _page(request, slug)


@signed_in
def own_returns(request: HttpRequest) -> HttpResponse:
    return _page(request, None)


@require_POST
@signed_in
def cooperative_return_action(request: HttpRequest, slug: str) -> HttpResponse:
    return _act(request, slug)


@require_POST
@signed_in
def own_return_action(request: HttpRequest) -> HttpResponse:
    return _act(request, None)

"""Money in the panel: a producer's earnings (balance, payouts, statement download) and
a cooperative's finance page (its fees and cash, its members' balances, the remittance
statement). Everything comes from the API; the statement is a link the API signs."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from storefront import client
from storefront.account import statuses
from storefront.panel import labels, queries
from storefront.panel.access import cooperative_of, seller_of, signed_in

FORMATS = ("pdf", "csv")


def _period(request: HttpRequest) -> tuple[str, str]:
    """The statement period from ?start=&end= (ISO dates), by default this month so far."""
    today = timezone.localdate()
    values = []
    for name, fallback in (("start", today.replace(day=1)), ("end", today)):
        raw = (request.GET.get(name) or "")[:10]
        try:
            values.append(date.fromisoformat(raw).isoformat())
        except ValueError:
            values.append(fallback.isoformat())
    return values[0], values[1]


def _payouts(found: dict) -> list[dict]:
    rows = [edge["node"] for edge in (found.get("payouts") or {}).get("edges", [])]
    labels.with_label(rows, "status", statuses.PAYOUT)
    return rows


def _download(request: HttpRequest, document: str, root: str, node_id: str, fallback: str):
    start, end = _period(request)
    fmt = request.GET.get("format") if request.GET.get("format") in FORMATS else "pdf"
    variables = {"id": node_id, "start": start, "end": end, "format": fmt}
    try:
        found = client.query(request, document, variables).get(root) or {}
    except client.APIError as exc:
        messages.error(request, str(exc))
        return redirect(fallback)
    url = found.get("statementUrl")
    if not url:
        raise Http404
    return redirect(url)


@signed_in
@require_GET
def earnings(request: HttpRequest) -> HttpResponse:
    seller = seller_of(request)
    if seller is None:
        return redirect("panel:index")
    found = client.query(request, queries.SELLER_EARNINGS, {"id": seller["id"]}).get("seller")
    if found is None:
        raise Http404
    start, end = _period(request)
    context = {
        "seller": found,
        "balance": found.get("balance"),
        "payouts": _payouts(found),
        "pending_orders": found.get("pendingOrders") or [],
        "start": start,
        "end": end,
    }
    return render(request, "storefront/panel/earnings.html", context)


@signed_in
@require_GET
def earnings_statement(request: HttpRequest) -> HttpResponse:
    seller = seller_of(request)
    if seller is None:
        return redirect("panel:index")
    return _download(request, queries.SELLER_STATEMENT, "seller", seller["id"], "panel:earnings")


def _finance(request: HttpRequest, slug: str) -> dict:
    cooperative_of(request, slug)
    start, end = _period(request)
    variables = {"slug": slug, "start": start, "end": end}
    try:
        found = client.query(request, queries.COOPERATIVE_FINANCE, variables).get("cooperative")
    except client.APIError:
        # A period the API refuses (backwards, longer than a year): this month so far.
        today = timezone.localdate()
        variables.update(start=today.replace(day=1).isoformat(), end=today.isoformat())
        found = client.query(request, queries.COOPERATIVE_FINANCE, variables).get("cooperative")
    if found is None:
        raise Http404
    return found


@signed_in
@require_GET
def cooperative_finance(request: HttpRequest, slug: str) -> HttpResponse:
    cooperative = _finance(request, slug)
    members = [edge["node"] for edge in cooperative["members"]["edges"]]
    start, end = _period(request)
    context = {
        "cooperative": cooperative,
        "balance": cooperative.get("balance"),
        "members": members,
        "payouts": _payouts(cooperative),
        "start": start,
        "end": end,
    }
    return render(request, "storefront/panel/cooperative_finance.html", context)


@signed_in
@require_GET
def cooperative_statement(request: HttpRequest, slug: str) -> HttpResponse:
    cooperative = _finance(request, slug)
    fallback = redirect("panel:cooperative_finance", slug).url
    return _download(
        request, queries.COOPERATIVE_STATEMENT, "cooperative", cooperative["id"], fallback
    )

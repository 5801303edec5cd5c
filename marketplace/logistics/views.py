"""HTTP endpoints of fulfilment that are not the API: carriers' tracking webhooks and
the signed links to a shipment's PDFs."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from marketplace.logistics import carriers as carrier_registry
from marketplace.logistics import documents, paperwork
from marketplace.logistics.carriers import CarrierError
from marketplace.logistics.permissions import is_fulfiller
from marketplace.logistics.tracking import record_carrier_events
from marketplace.orders.models import Shipment

logger = logging.getLogger("marketplace.logistics")
MAX_WEBHOOK_BYTES = 1024 * 1024


@csrf_exempt
@require_POST
def carrier_webhook(request: HttpRequest, carrier: str) -> HttpResponse:
    """A carrier's tracking report: 401 unsigned, 403 badly signed, 400 malformed, 404
    for an unknown carrier; each event has one effect however often it is sent."""
    found = carrier_registry.get_carrier(carrier)
    if found is None:
        return JsonResponse({"error": "unknown carrier"}, status=404)
    body = request.body
    if len(body) > MAX_WEBHOOK_BYTES:
        return JsonResponse({"error": "too large"}, status=413)
    signature = request.headers.get(found.signature_header(), "")
    if not signature:
        return JsonResponse({"error": "unsigned"}, status=401)
    if not found.verify_signature(body, signature):
        logger.warning("badly signed %s webhook", carrier)
        return JsonResponse({"error": "bad signature"}, status=403)
    try:
        reported = found.parse_webhook(body)
    except CarrierError as exc:
        return JsonResponse({"error": str(exc)[:200]}, status=400)
    counts = record_carrier_events(carrier=found.id, tracking_events=reported)
    return JsonResponse(counts)


def _allowed_shipments(data: dict) -> list[Shipment] | None:
    user = get_user_model().objects.filter(pk=data.get("u"), is_active=True).first()
    ids = [int(pk) for pk in data.get("s") or []]
    if user is None or not ids:
        return None
    shipments = list(Shipment.objects.filter(pk__in=ids).select_related("order", "delivery_method"))
    if len(shipments) != len(set(ids)) or not all(is_fulfiller(user, s) for s in shipments):
        return None
    order = {pk: index for index, pk in enumerate(ids)}
    return sorted(shipments, key=lambda s: order[s.pk])


@require_GET
def document(request: HttpRequest, token: str) -> HttpResponse:
    """A paper as a PDF, for the user the link was made for, while they may see every
    shipment in it."""
    data = documents.read_token(token)
    shipments = _allowed_shipments(data) if data else None
    if shipments is None:
        return HttpResponse(status=403)
    kind = data["k"]
    if kind == "label":
        pdf = paperwork.labels_pdf(shipments)
    else:
        pdf = paperwork.render(kind, shipments, language=request.GET.get("lang") or None)
    response = HttpResponse(bytes(pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{kind}-{shipments[0].pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response

"""The statement download behind a signed link (links.py)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from marketplace.ledger import documents, links, statements
from marketplace.sellers.models import Cooperative, Seller


@require_GET
def statement(request: HttpRequest, token: str) -> HttpResponse:
    data = links.read_link(token)
    if data is None:
        raise Http404
    user = get_user_model().objects.filter(pk=data["u"], is_active=True).first()
    model = Seller if data["k"] == "seller" else Cooperative
    payee = model.objects.filter(pk=data["id"]).first()
    if user is None or payee is None:
        raise Http404
    period = {"start": data["s"], "end": data["e"], "currency": data["c"]}
    if data["k"] == "seller":
        found = statements.seller_statement(actor=user, seller=payee, **period)
    else:
        found = statements.cooperative_statement(actor=user, cooperative=payee, **period)
    if found is None:
        raise Http404
    name = f"statement-{data['k']}-{payee.pk}-{data['s']}-{data['e']}.{data['f']}"
    if data["f"] == "csv":
        # A byte order mark so spreadsheet programs read the Persian names as UTF-8.
        response = HttpResponse(
            "\ufeff" + documents.statement_csv(found), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(documents.statement_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response

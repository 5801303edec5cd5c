"""Platform staff decide a disputed return in the admin: the decision is final, the
refund is paid, and an undisputed return cannot be changed there."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from marketplace.returns import services
from marketplace.returns.models import ReturnRequest, ReturnStatus
from marketplace.returns.services import AskedLine


def disputed(order, buyer, staff_a, variant) -> ReturnRequest:
    line = order.lines.get(variant=variant)
    request = services.create_return(
        actor=buyer, order=order, lines=[AskedLine(line.pk, 1)], reason="DAMAGED"
    )
    services.decide_return(actor=staff_a, return_request=request, accept=False, note="سالم بود")
    return services.dispute_return(actor=buyer, return_request=request, text="عکس را ببینید")


def test_operator_refunds_a_dispute_in_full_and_it_is_final(
    client, operator, delivered, buyer, staff_a, saffron, django_capture_on_commit_callbacks
):
    request = disputed(delivered, buyer, staff_a, saffron)
    client.force_login(operator)
    url = reverse("admin:returns_returnrequest_change", args=[request.pk])
    form = client.get(url)
    assert form.status_code == 200 and b'name="decision"' in form.content
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            url, {"decision": "FULL", "refund_amount": "", "staff_note": "حق با خریدار است"}
        )
    assert answer.status_code == 302
    request.refresh_from_db()
    assert request.status == ReturnStatus.REFUNDED
    assert request.refunded == Decimal(250_000) and request.resolution == "FULL"
    assert client.get(url).status_code == 200
    assert client.post(url, {"decision": "NONE"}).status_code == 403


def test_partial_needs_an_amount_and_none_closes(
    client, operator, delivered, buyer, staff_a, saffron
):
    request = disputed(delivered, buyer, staff_a, saffron)
    client.force_login(operator)
    url = reverse("admin:returns_returnrequest_change", args=[request.pk])
    answer = client.post(url, {"decision": "PART", "refund_amount": ""})
    assert answer.status_code == 200 and "refund_amount" in answer.context["adminform"].form.errors
    request.refresh_from_db()
    assert request.status == ReturnStatus.DISPUTED
    client.post(url, {"decision": "NONE", "staff_note": "عکس آسیبی نشان نمی‌دهد"})
    request.refresh_from_db()
    assert request.status == ReturnStatus.CLOSED and request.refunded is None

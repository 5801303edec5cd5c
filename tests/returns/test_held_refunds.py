"""A refund a return owes that can never be made is not asked for forever: a payment with
less left than is owed holds it at the first try, a gateway that keeps refusing holds it
after RETURN_REFUND_MAX_TRIES; staff who may decide returns are e-mailed once per hold,
and retry it from the admin, or mark it refunded once they gave it back by hand."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from marketplace.core.errors import DomainError
from marketplace.core.models import Job
from marketplace.notifications.models import ChannelKind, Notification
from marketplace.orders.events import EventType
from marketplace.payments.models import Refund, RefundStatus
from marketplace.payments.selectors import refundable_payment
from marketplace.payments.services import refund_payment
from marketplace.returns import refunds, services
from marketplace.returns.models import RefundProblem, ReturnRequest, ReturnStatus
from marketplace.returns.services import AskedLine
from tests.support import gid

NOW = timedelta(0)
HELD = "return.refund_held.staff"
CHANGELIST = "admin:returns_returnrequest_changelist"
FIND_RETURNS = "query Order($id: ID!) { order(id: $id) { returns { refundPending refundHeld } } }"


def held_emails() -> list[tuple[str, str]]:
    rows = Notification.objects.filter(template=HELD).order_by("id")
    return [(row.email, row.channel) for row in rows]


def accepted(order, buyer, staff, variant) -> ReturnRequest:
    line = order.lines.get(variant=variant)
    request = services.create_return(
        actor=buyer, order=order, lines=[AskedLine(line.pk, 1)], reason="DAMAGED"
    )
    services.decide_return(actor=staff, return_request=request, accept=True)
    return ReturnRequest.objects.get(pk=request.pk)


def retry_in_admin(client, user, request: ReturnRequest, action: str = "retry_refund") -> list[str]:
    """Staff choose the return in the admin's list and "Retry the refund now" (or another
    `action`), in English; what the admin tells them."""
    client.force_login(user)
    client.cookies.pop("messages", None)  # only what this action tells
    answer = client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [request.pk]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert answer.status_code == 302
    with translation.override("en"):
        return [str(m) for m in answer.wsgi_request._messages]


def test_a_payment_refunded_by_hand_holds_the_refund_at_once(
    client, api, operator, delivered, buyer, staff_a, saffron
):
    payment = refundable_payment(delivered)
    # Staff gave the whole payment back by hand before the return was decided.
    refund_payment(actor=operator, payment=payment, amount=payment.captured_amount)

    request = accepted(delivered, buyer, staff_a, saffron)
    assert request.status == ReturnStatus.ACCEPTED and request.refund_due == Decimal(250_000)
    assert request.refund_held_at is not None
    assert (request.refund_problem, request.refund_tries) == (RefundProblem.NOTHING_LEFT, 1)
    assert not Refund.objects.filter(idempotency_key=refunds.reason_of(request)).exists()
    assert held_emails() == [("operator@example.com", ChannelKind.EMAIL)]
    assert delivered.events.filter(type=EventType.RETURN_REFUND_HELD).count() == 1
    shown = api(FIND_RETURNS, {"id": gid(delivered)}, user=buyer)["data"]["order"]["returns"]
    assert shown == [{"refundPending": True, "refundHeld": True}]

    # Not asked again by itself: neither the periodic task nor the cash coming in.
    assert refunds.retry_owed(older_than=NOW) == 0
    refunds.queue_owed(order_id=delivered.pk)
    assert not Job.objects.filter(task=refunds.PAY_TASK).exists()
    assert ReturnRequest.objects.get(pk=request.pk).refund_tried_at == request.refund_tried_at

    # Staff see why on the return's page.
    client.force_login(operator)
    page = client.get(
        reverse("admin:returns_returnrequest_change", args=[request.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == 200
    assert str(RefundProblem.NOTHING_LEFT.label) in page.content.decode()

    # Staff retry: still nothing left, so it is held again, and they are told again.
    told = retry_in_admin(client, operator, request)
    assert told == [
        f"Return {request.pk}: the refund is held again: {RefundProblem.NOTHING_LEFT.label}."
    ]
    again = ReturnRequest.objects.get(pk=request.pk)
    assert again.refund_held_at > request.refund_held_at and again.refund_tries == 1
    assert len(held_emails()) == 2
    assert not Refund.objects.filter(idempotency_key=refunds.reason_of(request)).exists()


def test_a_refund_refused_too_often_is_held_until_staff_retry_it(
    settings, client, paid_usd_order, buyer, staff_a, operator
):
    settings.RETURN_REFUND_MAX_TRIES = 3
    order, payment, remote = paid_usd_order
    variant = order.lines.get().variant
    settings.STRIPE_SECRET_KEY = "sk_x"  # revoked: Stripe answers 401
    request = accepted(order, buyer, staff_a, variant)
    assert refunds.retry_owed(older_than=NOW) == 0
    request.refresh_from_db()
    assert request.refund_tries == 2 and request.refund_held_at is None
    assert held_emails() == []

    assert refunds.retry_owed(older_than=NOW) == 0
    request.refresh_from_db()
    assert request.refund_tries == 3 and request.refund_problem == RefundProblem.REFUSED
    assert request.refund_held_at is not None
    assert held_emails() == [("operator@example.com", ChannelKind.EMAIL)]
    failed = Refund.objects.filter(payment=payment, status=RefundStatus.FAILED).count()
    assert failed == 3

    # The gateway would answer now, but a held refund waits for staff.
    settings.STRIPE_SECRET_KEY = "sk_test_bazarcheh"
    assert refunds.retry_owed(older_than=NOW) == 0
    assert Refund.objects.filter(payment=payment).count() == failed

    assert retry_in_admin(client, operator, request) == [f"Return {request.pk} is refunded."]
    request.refresh_from_db()
    assert request.status == ReturnStatus.REFUNDED and request.refunded == request.amount
    assert request.refund_held_at is None and request.refund_problem == ""
    done = Refund.objects.get(payment=payment, status=RefundStatus.DONE)
    remote_refunds = remote.v1.refunds.list({"payment_intent": payment.psp_reference}).data
    assert [r.id for r in remote_refunds] == [done.psp_reference]
    assert held_emails() == [("operator@example.com", ChannelKind.EMAIL)]


def test_only_staff_who_decide_returns_retry_and_only_an_owed_refund(
    delivered, buyer, staff_a, operator, saffron, honey
):
    request = accepted(delivered, buyer, staff_a, saffron)
    assert request.status == ReturnStatus.REFUNDED
    with pytest.raises(DomainError) as denied:
        refunds.retry_held(actor=staff_a, return_request=request)
    assert denied.value.errors[0].code == "PERMISSION_DENIED"
    with pytest.raises(DomainError) as nothing:
        refunds.retry_held(actor=operator, return_request=request)
    assert nothing.value.errors[0].code == "INVALID_STATUS"
    assert Refund.objects.filter(idempotency_key=refunds.reason_of(request)).count() == 1


def test_staff_mark_a_held_refund_refunded_by_hand_and_no_gateway_is_asked(
    client, api, operator, delivered, buyer, staff_a, saffron
):
    payment = refundable_payment(delivered)
    refund_payment(actor=operator, payment=payment, amount=payment.captured_amount)
    request = accepted(delivered, buyer, staff_a, saffron)
    assert request.refund_problem == RefundProblem.NOTHING_LEFT
    refunds_made = Refund.objects.count()

    told = retry_in_admin(client, operator, request, "refund_by_hand")
    assert told == [f"Return {request.pk} is marked refunded by hand."]
    done = ReturnRequest.objects.get(pk=request.pk)
    assert (done.status, done.refunded, done.refund_due) == (
        ReturnStatus.REFUNDED,
        Decimal(250_000),
        None,
    )
    assert (done.refund_held_at, done.refund_problem) == (None, "")
    assert Refund.objects.count() == refunds_made
    [event] = delivered.events.filter(type=EventType.RETURN_REFUNDED_BY_HAND)
    assert event.user == operator
    assert (event.data["return_id"], Decimal(event.data["amount"])) == (request.pk, 250_000)
    told_buyer = Notification.objects.filter(template="return.refunded.buyer")
    assert told_buyer.count() == 1 and told_buyer.get().recipient == f"user:{buyer.pk}"
    shown = api(FIND_RETURNS, {"id": gid(delivered)}, user=buyer)["data"]["order"]["returns"]
    assert shown == [{"refundPending": False, "refundHeld": False}]

    # Chosen again: nothing more happens, and nothing can be retried any more.
    told = retry_in_admin(client, operator, request, "refund_by_hand")
    assert told == [f"Return {request.pk} is marked refunded by hand."]
    assert delivered.events.filter(type=EventType.RETURN_REFUNDED_BY_HAND).count() == 1
    assert told_buyer.count() == 1
    assert retry_in_admin(client, operator, request) == [
        f"{request.pk}: This return owes no refund."
    ]
    assert Refund.objects.count() == refunds_made


def test_only_staff_who_decide_returns_settle_by_hand_and_only_a_held_refund(
    delivered, buyer, staff_a, operator, saffron, honey
):
    payment = refundable_payment(delivered)
    refund_payment(actor=operator, payment=payment, amount=payment.captured_amount)
    held = accepted(delivered, buyer, staff_a, saffron)
    with pytest.raises(DomainError) as denied:
        refunds.refund_by_hand(actor=staff_a, return_request=held)
    assert denied.value.errors[0].code == "PERMISSION_DENIED"
    line = delivered.lines.get(variant=honey)
    undecided = services.create_return(
        actor=buyer, order=delivered, lines=[AskedLine(line.pk, 1)], reason="DAMAGED"
    )
    with pytest.raises(DomainError) as not_held:
        refunds.refund_by_hand(actor=operator, return_request=undecided)
    assert not_held.value.errors[0].code == "INVALID_STATUS"
    assert ReturnRequest.objects.get(pk=held.pk).status == ReturnStatus.ACCEPTED
    assert not delivered.events.filter(type=EventType.RETURN_REFUNDED_BY_HAND).exists()

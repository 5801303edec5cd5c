"""A refund an accepted return owes but that could not be made at once (the cash of a
cash-on-delivery order is not collected yet; the gateway refused) stays owed on the
return, is shown as pending, and is tried again until it is made: by the periodic task
and when the order's cash comes in. Never twice."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

import pytest
from celery import current_app
from django.db import IntegrityError, connection, transaction

from marketplace.orders.events import EventType
from marketplace.orders.services import complete_checkout
from marketplace.payments.models import Payment, PaymentStatus, Refund, RefundStatus
from marketplace.returns import refunds, services
from marketplace.returns.models import ReturnStatus
from marketplace.returns.services import AskedLine
from marketplace.returns.tasks import retry_owed_refunds
from tests.builders.catalog import make_variant
from tests.builders.checkout import make_checkout
from tests.builders.returns import deliver, return_waiting_for_cash
from tests.builders.seed import ensure_seeded
from tests.support import gid, run_jobs

NOW = timedelta(0)
FIND_RETURNS = """
query Order($id: ID!) { order(id: $id) { returns { status statusDisplay refundPending } } }
"""


def test_a_cod_refund_waits_for_the_cash_and_is_paid_when_it_comes_in(
    seeded, api, buyer, seller_a, seller_b, staff_a, staff_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order, payment, request = return_waiting_for_cash(buyer, seller_a, seller_b, staff_b)
    request.refresh_from_db()
    # The other parcel's cash is not in: nothing is charged to refund from yet.
    assert request.status == ReturnStatus.ACCEPTED and request.refund_due == Decimal(90_000)
    shown = api(FIND_RETURNS, {"id": gid(order)}, user=buyer)["data"]["order"]["returns"]
    assert shown == [
        {"status": "ACCEPTED", "statusDisplay": "Accepted, refund pending", "refundPending": True}
    ]
    assert retry_owed_refunds.apply().get() == 0
    assert not Refund.objects.exists()
    # The goods come back while the cash is still out: still owed, and said so.
    services.receive_return(actor=staff_b, return_request=request, resellable=False)
    shown = api(FIND_RETURNS, {"id": gid(order)}, user=buyer)["data"]["order"]["returns"]
    assert shown == [
        {
            "status": "RECEIVED",
            "statusDisplay": "Goods received, refund pending",
            "refundPending": True,
        }
    ]

    with django_capture_on_commit_callbacks(execute=True):
        deliver(order.shipments.get(cooperative_id=seller_a.cooperative_id), staff_a)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CHARGED
    assert run_jobs(refunds.PAY_TASK) == [ReturnStatus.REFUNDED]
    request.refresh_from_db()
    assert request.status == ReturnStatus.REFUNDED and request.refunded == Decimal(90_000)
    assert request.refund_due is None
    refund = Refund.objects.get()
    assert (refund.amount, refund.status) == (Decimal(90_000), RefundStatus.OWED)
    # The job run again, and the periodic task: nothing more is given back.
    current_app.tasks[refunds.PAY_TASK].apply(kwargs={"return_id": request.pk}).get()
    assert refunds.retry_owed(older_than=NOW) == 0
    assert Refund.objects.count() == 1
    payment.refresh_from_db()
    assert payment.refunded_amount == Decimal(90_000)
    assert order.events.filter(type=EventType.RETURN_REFUNDED).count() == 1
    shown = api(FIND_RETURNS, {"id": gid(order)}, user=buyer)["data"]["order"]["returns"]
    assert shown == [{"status": "REFUNDED", "statusDisplay": "Refunded", "refundPending": False}]


def test_a_refund_the_gateway_refused_is_tried_again_until_it_is_made(
    settings, paid_usd_order, buyer, staff_a, django_capture_on_commit_callbacks
):
    order, payment, remote = paid_usd_order
    line = order.lines.get()
    request = services.create_return(
        actor=buyer, order=order, lines=[AskedLine(line.pk, 1)], reason="POOR_QUALITY"
    )
    # A revoked key: Stripe answers 401, the refund is refused.
    settings.STRIPE_SECRET_KEY = "sk_x"
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_return(actor=staff_a, return_request=request, accept=True)
    request.refresh_from_db()
    assert request.status == ReturnStatus.ACCEPTED and request.refund_pending
    assert refunds.retry_owed(older_than=timedelta(hours=1)) == 0  # tried just now
    assert refunds.retry_owed(older_than=NOW) == 0
    assert list(Refund.objects.values_list("status", flat=True)) == [RefundStatus.FAILED] * 2
    payment.refresh_from_db()
    assert payment.refunded_amount == 0

    settings.STRIPE_SECRET_KEY = "sk_test_bazarcheh"
    assert refunds.retry_owed(older_than=NOW) == 1
    assert refunds.retry_owed(older_than=NOW) == 0
    request.refresh_from_db()
    assert request.status == ReturnStatus.REFUNDED and not request.refund_pending
    done = Refund.objects.get(status=RefundStatus.DONE)
    assert done.amount == request.refunded == request.amount
    remote_refunds = remote.v1.refunds.list({"payment_intent": payment.psp_reference}).data
    assert [r.id for r in remote_refunds] == [done.psp_reference]
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED
    assert payment.refunded_amount == request.amount
    assert order.events.filter(type=EventType.RETURN_REFUNDED).count() == 1


def test_a_live_refund_key_is_used_once(seeded, buyer, seller_a, staff_a):
    """The database's last line of defence: two live refunds under one key cannot be."""
    variant = make_variant(seller_a, quantity=5)
    checkout = make_checkout([(variant, 1)], user=buyer)
    _order, payment = complete_checkout(actor=buyer, checkout=checkout, gateway="cod")
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.CHARGED)
    Refund.objects.create(
        payment=payment, amount=1, status=RefundStatus.FAILED, idempotency_key="return:1"
    )
    Refund.objects.create(
        payment=payment, amount=1, status=RefundStatus.OWED, idempotency_key="return:1"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Refund.objects.create(
            payment=payment, amount=1, status=RefundStatus.PENDING, idempotency_key="return:1"
        )


@pytest.mark.django_db(transaction=True)
def test_two_retries_at_once_refund_once(buyer, seller_a, seller_b, staff_a, staff_b):
    ensure_seeded()
    order, payment, request = return_waiting_for_cash(buyer, seller_a, seller_b, staff_b)
    deliver(order.shipments.get(cooperative_id=seller_a.cooperative_id), staff_a)
    barrier = threading.Barrier(2)

    def retry(_i: int) -> str:
        try:
            barrier.wait(timeout=30)
            return refunds.pay(return_request=request).status
        except Exception as exc:  # a crash is what the test looks for
            return repr(exc)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(retry, range(2)))
    # The one that came second found the first's refund (made, or still being made).
    assert ReturnStatus.REFUNDED in answers
    assert set(answers) <= {ReturnStatus.REFUNDED, ReturnStatus.ACCEPTED}
    request.refresh_from_db()
    assert request.status == ReturnStatus.REFUNDED
    assert Refund.objects.filter(payment=payment).count() == 1
    payment.refresh_from_db()
    assert payment.refunded_amount == Decimal(90_000)
    assert order.events.filter(type=EventType.RETURN_REFUNDED).count() == 1

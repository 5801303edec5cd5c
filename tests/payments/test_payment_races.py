"""Callbacks and refunds racing on real PostgreSQL, each thread on its own connection:
one effect, never more refunded than captured."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

import pytest
import requests
from django.db import connection
from django.test import Client

from marketplace.core.errors import DomainError
from marketplace.orders.models import OrderEvent
from marketplace.payments import services
from marketplace.payments.models import PaymentStatus, Refund, RefundStatus
from tests.payments.conftest import place
from tests.payments.test_refund_reconciliation import LostAnswer

pytestmark = pytest.mark.django_db(transaction=True)


def race(count: int, work) -> list[tuple[str, object]]:
    barrier = threading.Barrier(count)

    def run(i: int):
        try:
            barrier.wait(timeout=60)
            return "ok", work(i)
        except DomainError as exc:
            return "domain", [e.code for e in exc.errors]
        except Exception as exc:  # a crash is what the test looks for
            return "crash", repr(exc)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_concurrent_callbacks_confirm_once(sandbox, buyer, goods):
    order, payment = place(buyer, goods)
    Client().post(payment.action["url"], {"result": "paid"})

    def back(_i: int) -> bool:
        outcome = services.handle_callback(
            gateway_id="sandbox", authority=payment.psp_reference, status="OK"
        )
        return outcome.paid

    answers = race(6, back)
    assert answers == [("ok", True)] * 6
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CHARGED and payment.captured_amount == payment.total
    assert OrderEvent.objects.filter(order=order, type="CONFIRMED").count() == 1
    assert OrderEvent.objects.filter(order=order, type="PAYMENT_CAPTURED").count() == 1


def test_concurrent_refunds_never_exceed_the_capture(sandbox, buyer, goods, operator):
    _order, payment = place(buyer, goods)
    Client().post(payment.action["url"], {"result": "paid"})
    services.handle_callback(gateway_id="sandbox", authority=payment.psp_reference, status="OK")
    share = (payment.total / 4).quantize(Decimal(1))

    def refund(_i: int):
        return services.refund_payment(actor=operator, payment=payment, amount=share).status

    answers = race(6, refund)
    assert sorted(kind for kind, _v in answers) == ["domain"] * 2 + ["ok"] * 4, answers
    payment.refresh_from_db()
    assert payment.refunded_amount == share * 4 == payment.captured_amount
    assert sum(Refund.objects.filter(payment=payment).values_list("amount", flat=True)) == share * 4
    assert payment.status == PaymentStatus.REFUNDED


def test_concurrent_refund_reconciliations_settle_once(sandbox, buyer, goods, operator):
    order, payment = place(buyer, goods)
    Client().post(payment.action["url"], {"result": "paid"})
    services.handle_callback(gateway_id="sandbox", authority=payment.psp_reference, status="OK")
    payment.refresh_from_db()
    lost = requests.Session()
    lost.mount("http://sandbox.invalid/", LostAnswer())
    sandbox._local.session = lost  # this thread only: the racing threads reach the sandbox
    try:
        refund = services.refund_payment(actor=operator, payment=payment, amount=payment.total)
    finally:
        sandbox._local.session = None
    assert refund.status == RefundStatus.PENDING
    answers = race(4, lambda _i: services.reconcile_refunds(older_than=timedelta(0)))
    assert sorted(answers) == [("ok", 0), ("ok", 0), ("ok", 0), ("ok", 1)]
    refund.refresh_from_db()
    payment.refresh_from_db()
    assert refund.status == RefundStatus.DONE and payment.refunded_amount == payment.total
    assert OrderEvent.objects.filter(order=order, type="PAYMENT_REFUNDED").count() == 1

"""Callbacks and refunds racing on real PostgreSQL, each thread on its own connection:
one effect, never more refunded than captured."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

import pytest
import requests
from django.db import connection, transaction
from django.test import Client

from marketplace.core.errors import DomainError
from marketplace.orders.models import Order, OrderEvent
from marketplace.payments import services
from marketplace.payments.locks import lock_order_and_payment
from marketplace.payments.models import Payment, PaymentStatus, Refund, RefundStatus
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


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


def test_a_waiting_lock_reads_both_rows_as_the_holder_left_them(sandbox, buyer, goods):
    """One statement locks the order and the payment: a caller that waited for them
    reads what the holder committed, not what was there when it began waiting."""
    order, payment = place(buyer, goods)
    locked = threading.Event()
    release = threading.Event()

    def hold(_i: int) -> None:
        with transaction.atomic():
            lock_order_and_payment(payment_id=payment.pk, order_id=order.pk)
            Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.FAILED)
            Order.objects.filter(pk=order.pk).update(payment_status=PaymentStatus.FAILED)
            locked.set()
            assert release.wait(timeout=60)
        connection.close()

    def wait(_i: int) -> tuple[str, str]:
        assert locked.wait(timeout=60)
        with transaction.atomic():
            again, its_payment = lock_order_and_payment(payment_id=payment.pk, order_id=order.pk)
        connection.close()
        return again.payment_status, its_payment.status

    with ThreadPoolExecutor(max_workers=2) as pool:
        holder, waiter = pool.submit(hold, 0), pool.submit(wait, 1)
        assert locked.wait(timeout=60)
        for _ in range(600):
            if _waiting_on_a_lock():
                break
            threading.Event().wait(0.05)
        else:
            pytest.fail("the second caller never waited for the lock")
        release.set()
        holder.result(timeout=60)
        assert waiter.result(timeout=60) == (PaymentStatus.FAILED, PaymentStatus.FAILED)


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

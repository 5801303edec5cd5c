"""Two returns racing for the last returnable unit of a line, on real PostgreSQL, each
on its own connection: one wins, the other is told no, and nothing is returned twice.
Two staff marking one held refund refunded by hand at once: it is marked once.

These tests commit (transactional_db): every thread sees what the others committed."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from marketplace.core.errors import DomainError
from marketplace.notifications.models import Notification
from marketplace.orders.events import EventType
from marketplace.payments.selectors import refundable_payment
from marketplace.payments.services import refund_payment
from marketplace.returns import refunds, services
from marketplace.returns.models import ReturnLine, ReturnRequest, ReturnStatus
from marketplace.returns.services import AskedLine
from tests.builders.catalog import make_variant
from tests.builders.returns import delivered_order
from tests.builders.seed import ensure_seeded

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_returns_race_for_the_last_unit(buyer, staff_a, seller_a):
    ensure_seeded()
    saffron = make_variant(seller_a, quantity=5, price=250_000)
    order = delivered_order(buyer, [(saffron, 2)], staff_a)
    line = order.lines.get()
    services.create_return(
        actor=buyer, order=order, lines=[AskedLine(line.pk, 1)], reason="DAMAGED"
    )
    barrier = threading.Barrier(2)

    def ask(_i: int) -> str:
        try:
            barrier.wait(timeout=30)
            services.create_return(
                actor=buyer, order=order, lines=[AskedLine(line.pk, 1)], reason="DAMAGED"
            )
            return "ok"
        except DomainError as exc:
            return ",".join(f"{e.field}:{e.code}" for e in exc.errors)
        except Exception as exc:  # a crash is what the test looks for
            return repr(exc)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = sorted(pool.map(ask, range(2)))
    assert answers == ["lines:INVALID", "ok"]
    assert ReturnRequest.objects.filter(order=order).count() == 2
    assert sum(ReturnLine.objects.filter(order_line=line).values_list("quantity", flat=True)) == 2


def test_two_staff_mark_one_held_refund_by_hand_at_once(buyer, staff_a, seller_a, operator):
    ensure_seeded()
    saffron = make_variant(seller_a, quantity=5, price=250_000)
    order = delivered_order(buyer, [(saffron, 2)], staff_a)
    payment = refundable_payment(order)
    refund_payment(actor=operator, payment=payment, amount=payment.captured_amount)
    line = order.lines.get()
    request = services.create_return(
        actor=buyer, order=order, lines=[AskedLine(line.pk, 1)], reason="DAMAGED"
    )
    services.decide_return(actor=staff_a, return_request=request, accept=True)
    assert ReturnRequest.objects.get(pk=request.pk).refund_held_at is not None
    barrier = threading.Barrier(2)

    def mark(_i: int) -> str:
        try:
            barrier.wait(timeout=30)
            return refunds.refund_by_hand(actor=operator, return_request=request).status
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(mark, range(2)))
    assert answers == [ReturnStatus.REFUNDED] * 2
    assert order.events.filter(type=EventType.RETURN_REFUNDED_BY_HAND).count() == 1
    told = Notification.objects.filter(template="return.refunded.buyer")
    assert told.values("event_key").distinct().count() == 1

"""Refunds whose gateway answer was lost (a timeout after the gateway acted, or before
it did) stay PENDING with their amount reserved; reconciliation asks the gateway (the
protocol's inquiry) and settles each exactly once."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests

from integrations.payments.sandbox import InProcessAdapter
from marketplace.orders.events import EventType
from marketplace.payments import services
from marketplace.payments.models import PaymentStatus, RefundStatus, SandboxSession
from tests.payments.conftest import Faulty, callback, decide, place

NOW = timedelta(0)


class LostAnswer(InProcessAdapter):
    """The gateway does what it is asked, but its answer never arrives."""

    def send(self, request, **kwargs):
        super().send(request, **kwargs)
        raise requests.Timeout("read timed out")


@pytest.fixture
def paid(client, shaparak, buyer, goods):
    order, payment = place(buyer, goods, gateway="shaparak")
    location = decide(client, payment.action["url"], "paid")
    callback(client, location.replace("/sandbox/callback/", "/shaparak/callback/"))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CHARGED
    return order, payment


def refunded_events(order) -> int:
    return order.events.filter(type=EventType.PAYMENT_REFUNDED).count()


def test_a_reverse_whose_answer_was_lost_is_settled_once(shaparak, paid, operator):
    order, payment = paid
    shaparak.fail(LostAnswer())
    refund = services.refund_payment(actor=operator, payment=payment, amount=payment.total)
    assert refund.status == RefundStatus.PENDING
    payment.refresh_from_db()
    # Reserved, so no second refund can give the same money back meanwhile.
    assert payment.refunded_amount == payment.total and payment.status == PaymentStatus.CHARGED
    assert SandboxSession.objects.get(authority=payment.psp_reference).status == "REVERSED"
    shaparak.heal()
    assert services.reconcile_refunds(older_than=timedelta(minutes=5)) == 0  # too young
    assert services.reconcile_refunds(older_than=NOW) == 1
    refund.refresh_from_db()
    payment.refresh_from_db()
    assert refund.status == RefundStatus.DONE
    assert payment.status == PaymentStatus.REFUNDED and payment.refunded_amount == payment.total
    assert payment.transactions.filter(kind="refund_inquiry", is_success=True).count() == 1
    assert services.reconcile_refunds(older_than=NOW) == 0
    assert refunded_events(order) == 1


def test_a_reverse_that_never_arrived_is_made_when_the_gateway_is_back(shaparak, paid, operator):
    order, payment = paid
    shaparak.fail(Faulty(None))
    refund = services.refund_payment(actor=operator, payment=payment, amount=payment.total)
    assert refund.status == RefundStatus.PENDING
    # Still unreachable: nothing changes, the exchange is kept.
    assert services.reconcile_refunds(older_than=NOW) == 0
    assert payment.transactions.filter(kind="refund_inquiry", is_success=False).exists()
    assert SandboxSession.objects.get(authority=payment.psp_reference).status == "VERIFIED"
    shaparak.heal()
    assert services.reconcile_refunds(older_than=NOW) == 1
    refund.refresh_from_db()
    assert refund.status == RefundStatus.DONE
    assert SandboxSession.objects.get(authority=payment.psp_reference).status == "REVERSED"
    assert services.reconcile_refunds(older_than=NOW) == 0
    assert refunded_events(order) == 1


def test_a_lost_reverse_past_the_window_is_owed(settings, shaparak, paid, operator):
    _order, payment = paid
    shaparak.fail(Faulty(503))
    refund = services.refund_payment(actor=operator, payment=payment, amount=payment.total)
    assert refund.status == RefundStatus.PENDING
    shaparak.heal()
    settings.SHAPARAK_REVERSE_MINUTES = 0
    assert services.reconcile_refunds(older_than=NOW) == 1
    refund.refresh_from_db()
    payment.refresh_from_db()
    assert refund.status == RefundStatus.OWED
    assert payment.status == PaymentStatus.REFUNDED
    assert SandboxSession.objects.get(authority=payment.psp_reference).status == "VERIFIED"

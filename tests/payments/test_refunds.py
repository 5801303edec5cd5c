"""Refunds through the gateway that took the money: reversal while allowed, otherwise
owed to the buyer; never more than captured less refunded."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.core.errors import DomainError
from marketplace.payments.models import Payment, PaymentStatus, RefundStatus, SandboxSession
from marketplace.payments.services import record_cash_payment, refund_payment
from marketplace.payments.signals import payment_refunded
from tests.builders.accounts import make_user
from tests.payments.conftest import callback, decide, place


@pytest.fixture
def paid(client, placed):
    order, payment = placed
    callback(client, decide(client, payment.action["url"], "paid"))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CHARGED
    return order, payment


def codes(exc) -> list[str]:
    return [e.code for e in exc.value.errors]


def test_a_full_refund_soon_after_paying_reverses_the_payment(paid, operator):
    order, payment = paid
    seen = []

    def listen(sender, **kw):
        seen.append(kw["refund"].amount)

    # Only this listener goes away afterwards: the ledger's receiver stays connected.
    payment_refunded.connect(listen, weak=False)
    try:
        refund = refund_payment(actor=operator, payment=payment, amount=payment.total, reason="x")
    finally:
        payment_refunded.disconnect(listen)
    assert refund.status == RefundStatus.DONE
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == order.payment_status == PaymentStatus.REFUNDED
    assert payment.refunded_amount == payment.total
    assert SandboxSession.objects.get(authority=payment.psp_reference).status == "REVERSED"
    assert seen == [payment.total]
    assert payment.transactions.filter(kind="reverse", is_success=True).count() == 1


def test_partial_refunds_are_owed_and_never_exceed_what_was_captured(paid, operator):
    _order, payment = paid
    first = refund_payment(actor=operator, payment=payment, amount=Decimal("1000000"))
    assert first.status == RefundStatus.OWED
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED
    assert payment.refunded_amount == Decimal("1000000")
    with pytest.raises(DomainError) as caught:
        refund_payment(actor=operator, payment=payment, amount=payment.total)
    assert codes(caught) == ["INVALID"]
    rest = payment.total - Decimal("1000000")
    refund_payment(actor=operator, payment=payment, amount=rest)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED and payment.refunded_amount == payment.total
    with pytest.raises(DomainError):
        refund_payment(actor=operator, payment=payment, amount=Decimal(1))


def test_after_the_reverse_window_a_full_refund_is_owed(paid, operator):
    _order, payment = paid
    Payment.objects.filter(pk=payment.pk).update(captured_at=timezone.now() - timedelta(minutes=31))
    payment.refresh_from_db()
    refund = refund_payment(actor=operator, payment=payment, amount=payment.total)
    assert refund.status == RefundStatus.OWED
    assert SandboxSession.objects.get(authority=payment.psp_reference).status == "VERIFIED"


@pytest.mark.parametrize("amount", [Decimal(0), Decimal(-5)])
def test_a_refund_must_be_positive(paid, operator, amount):
    _order, payment = paid
    with pytest.raises(DomainError) as caught:
        refund_payment(actor=operator, payment=payment, amount=amount)
    assert codes(caught) == ["INVALID"]


def test_only_platform_staff_refund(paid, buyer):
    _order, payment = paid
    for actor in (buyer, make_user("clerk@example.com", is_staff=True)):
        with pytest.raises(DomainError) as caught:
            refund_payment(actor=actor, payment=payment, amount=Decimal(1000))
        assert codes(caught) == ["PERMISSION_DENIED"]
    assert Payment.objects.get(pk=payment.pk).refunded_amount == 0


def test_an_unpaid_payment_cannot_be_refunded(placed, operator):
    _order, payment = placed
    with pytest.raises(DomainError) as caught:
        refund_payment(actor=operator, payment=payment, amount=Decimal(1000))
    assert codes(caught) == ["INVALID_STATUS"]


def test_cash_collected_at_the_door_is_recorded_once(buyer, goods, seeded):
    order, payment = place(buyer, goods, gateway="cod", redirect_url=None)
    assert payment.status == PaymentStatus.NOT_CHARGED
    captured = record_cash_payment(payment=payment)
    again = record_cash_payment(payment=payment)
    assert captured.status == again.status == PaymentStatus.CHARGED
    assert again.captured_amount == order.total
    assert order.events.filter(type="PAYMENT_CAPTURED").count() == 1


def test_cash_short_of_the_total_is_what_is_captured(buyer, goods, seeded):
    order, payment = place(buyer, goods, gateway="cod", redirect_url=None)
    with pytest.raises(DomainError) as caught:
        record_cash_payment(payment=payment, amount=order.total + 1)
    assert codes(caught) == ["INVALID"]
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.NOT_CHARGED
    captured = record_cash_payment(payment=payment, amount=order.total - 1000)
    assert captured.captured_amount == order.total - 1000


def test_an_online_payment_is_not_paid_at_the_door(placed):
    _order, payment = placed
    with pytest.raises(DomainError) as caught:
        record_cash_payment(payment=payment)
    assert codes(caught) == ["PAYMENT_ERROR"]

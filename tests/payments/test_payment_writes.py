"""The written-out writes of the paid checkout (payments/writes.py) where they decide
something: a start's answer that arrives too late, or that cannot be stored, is still
kept for the audit and changes nothing else."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from marketplace.orders.models import Order, OrderStatus
from marketplace.payments import services, writes
from marketplace.payments.gateways import ActionKind, GatewayResponse, PaymentAction
from marketplace.payments.models import Payment, PaymentStatus, Transaction
from tests.payments.conftest import place


def answer(reference: str) -> GatewayResponse:
    return GatewayResponse(
        status=PaymentStatus.PENDING,
        action=PaymentAction(kind=ActionKind.REDIRECT, url=f"https://pay.example/{reference}"),
        psp_reference=reference,
        kind="start",
        raw={"response": {"authority": reference}},
    )


def test_a_start_answered_after_the_payment_expired_is_kept_and_stores_nothing(
    sandbox, buyer, goods
):
    _order, payment = place(buyer, goods)
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.FAILED, psp_reference="")
    assert writes.store_start(payment, answer("A-LATE")) is False
    row = Payment.objects.get(pk=payment.pk)
    assert (row.status, row.psp_reference) == (PaymentStatus.FAILED, "")
    kept = Transaction.objects.filter(payment=payment, kind="start").order_by("id").last()
    assert kept.raw == {"response": {"authority": "A-LATE"}}


def test_a_start_answer_that_cannot_be_stored_fails_the_payment_and_is_kept(
    sandbox, buyer, goods, monkeypatch
):
    """A gateway answering with another payment's reference: the unique reference
    refuses it; the buyer sees a failed payment to try again, not a server error."""
    _first, taken = place(buyer, goods)
    order, payment = place(buyer, goods)
    gateway = type(services.get_gateway("sandbox"))
    monkeypatch.setattr(gateway, "start", lambda self, p, url: answer(taken.psp_reference))
    Payment.objects.filter(pk=payment.pk).update(psp_reference="")
    payment.refresh_from_db()
    payment.order = order
    result = services.request_payment(payment=payment)
    assert (result.status, result.psp_reference) == (PaymentStatus.FAILED, "")
    assert Order.objects.get(pk=order.pk).status == OrderStatus.UNCONFIRMED
    assert Order.objects.get(pk=order.pk).payment_status == PaymentStatus.FAILED
    kept = Transaction.objects.filter(payment=payment, kind="start").order_by("id").last()
    assert not kept.is_success and kept.raw == {"response": {"authority": taken.psp_reference}}
    assert kept.amount == Decimal(payment.total)


def test_a_start_without_an_exchange_to_keep_is_stored_alone(sandbox, buyer, goods):
    _order, payment = place(buyer, goods)
    Payment.objects.filter(pk=payment.pk).update(psp_reference="")
    before = Transaction.objects.filter(payment=payment).count()
    silent = replace(answer("A-QUIET"), raw=None)
    assert writes.store_start(payment, silent) is True
    assert Payment.objects.get(pk=payment.pk).psp_reference == "A-QUIET"
    assert Transaction.objects.filter(payment=payment).count() == before

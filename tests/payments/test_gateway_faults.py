"""Faults: a provider that times out or fails, reconciliation, paying again, someone
else's order, an order expired before its payment arrived."""

from __future__ import annotations

from datetime import timedelta

import pytest

from marketplace.core.errors import DomainError
from marketplace.orders import paying
from marketplace.orders import services as order_services
from marketplace.orders.models import Order, OrderStatus
from marketplace.payments import services
from marketplace.payments.models import Payment, PaymentStatus, RefundStatus, Transaction
from tests.builders.accounts import make_user
from tests.builders.inventory import stock_of
from tests.payments.conftest import Faulty, announcements, callback, decide, place, query_of


@pytest.mark.parametrize("status", [None, 502, 503])
def test_a_provider_that_cannot_start_leaves_a_failed_payment_to_retry(
    shaparak, buyer, goods, status
):
    shaparak.fail(Faulty(status))
    order, payment = place(buyer, goods, gateway="shaparak")
    assert payment.status == PaymentStatus.FAILED and not payment.psp_reference
    assert order.status == OrderStatus.UNCONFIRMED
    assert order.payment_status == PaymentStatus.FAILED
    start = Transaction.objects.get(payment=payment, kind="start")
    assert not start.is_success
    # The provider is back: the buyer tries again.
    shaparak.heal()
    order, again = paying.pay_order(actor=buyer, order=order, gateway="shaparak")
    assert again.status == PaymentStatus.PENDING and again.psp_reference
    assert again.action["url"].endswith(f"/pg/StartPay/{again.psp_reference}")


@pytest.mark.parametrize("status", [None, 500])
def test_a_verification_timeout_keeps_the_payment_pending_until_reconciled(
    client, shaparak, buyer, goods, status
):
    order, payment = place(buyer, goods, gateway="shaparak")
    location = decide(client, payment.action["url"], "paid")
    shaparak.fail(Faulty(status))
    response = callback(client, location.replace("/sandbox/callback/", "/shaparak/callback/"))
    assert query_of(response["Location"])["payment"] == "failed"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and payment.captured_amount == 0
    assert services.reconcile_pending(older_than=timedelta(0)) == 0
    shaparak.heal()
    assert services.reconcile_pending(older_than=timedelta(0)) == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CHARGED
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CONFIRMED


def test_reconciliation_settles_a_buyer_who_closed_the_tab(client, placed):
    order, payment = placed
    client.post(payment.action["url"], {"result": "paid"})  # never comes back
    assert services.reconcile_pending(older_than=timedelta(minutes=5)) == 0  # too young
    assert services.reconcile_pending(older_than=timedelta(0)) == 1
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CONFIRMED
    assert services.reconcile_pending(older_than=timedelta(0)) == 0
    assert announcements(order) == [{"order_id": order.pk, "paid": True}]


def test_cancel_then_pay_again_with_order_pay(client, placed):
    order, payment = placed
    callback(client, decide(client, payment.action["url"], "canceled"))
    order.refresh_from_db()
    order, again = paying.pay_order(
        actor=order.user, order=order, gateway="sandbox", redirect_url="https://x.example/r"
    )
    assert again.pk != payment.pk and again.status == PaymentStatus.PENDING
    callback(client, decide(client, again.action["url"], "paid"))
    order.refresh_from_db()
    assert (order.status, order.payment_status) == (OrderStatus.CONFIRMED, PaymentStatus.CHARGED)
    # A confirmed order is not paid twice.
    with pytest.raises(DomainError) as caught:
        paying.pay_order(actor=order.user, order=order, gateway="sandbox")
    assert caught.value.errors[0].code == "INVALID_STATUS"


def test_nobody_pays_someone_elses_order(placed):
    order, _payment = placed
    stranger = make_user("stranger@example.com")
    with pytest.raises(DomainError) as caught:
        paying.pay_order(actor=stranger, order=order, gateway="sandbox")
    assert caught.value.errors[0].code == "NOT_FOUND"


def test_paying_a_superseded_attempt_still_confirms_once(client, placed):
    order, first = placed
    order, second = paying.pay_order(actor=order.user, order=order, gateway="sandbox")
    assert Payment.objects.get(pk=first.pk).status == PaymentStatus.FAILED
    callback(client, decide(client, first.action["url"], "paid"))
    callback(client, decide(client, second.action["url"], "paid"))
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == PaymentStatus.CHARGED
    # The second money had no order to pay: given straight back (reversed).
    assert second.status == PaymentStatus.REFUNDED
    assert second.refunds.get().status == RefundStatus.DONE


def test_expiry_cancels_a_never_paid_order_and_a_late_payment_is_refunded(client, placed, goods):
    order, payment = placed
    Order.objects.filter(pk=order.pk).update(expires_at=order.created)
    assert order_services.expire_unpaid_orders() == 1
    assert stock_of(goods[0]).quantity_allocated == 0
    # The buyer pays on the still-open gateway page after the deadline.
    callback(client, decide(client, payment.action["url"], "paid"))
    payment.refresh_from_db()
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELED
    assert payment.captured_amount == payment.refunded_amount == payment.total
    assert payment.status == PaymentStatus.REFUNDED

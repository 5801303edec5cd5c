"""An accepted return of an online payment: the gateway gives back exactly the returned
units' price, the payment shows it, and the ledger takes it from the parties of those
lines only."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client

from marketplace.ledger import selectors as ledger
from marketplace.ledger.models import CauseKind, Posting
from marketplace.ledger.split import cooperative_party, seller_party
from marketplace.orders.events import EventType
from marketplace.payments.models import Payment, PaymentStatus, Refund, RefundStatus
from marketplace.payments.signals import payment_refunded
from marketplace.returns import services
from marketplace.returns.models import ReturnStatus
from marketplace.returns.refunds import reason_of
from marketplace.returns.services import AskedLine
from tests.builders.catalog import make_variant
from tests.builders.returns import deliver, return_waiting_for_cash
from tests.payments.conftest import callback, decide
from tests.payments.conftest import place as place_online


def test_accepted_return_refunds_the_gateway_and_reverses_the_lines_parts(
    settings, seeded, buyer, seller_a, seller_b, staff_b, django_capture_on_commit_callbacks
):
    settings.PAYMENT_SANDBOX = True
    settings.PAYMENT_PUBLIC_URL = ""
    goods = [make_variant(seller_a, quantity=5), make_variant(seller_b, quantity=5, price=90_000)]
    order, payment = place_online(buyer, goods)
    client = Client()
    callback(client, decide(client, payment.action["url"], "paid"))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CHARGED
    shipment = order.shipments.get(cooperative_id=seller_b.cooperative_id)
    with django_capture_on_commit_callbacks(execute=True):
        deliver(shipment, staff_b)
    line = shipment.lines.get()
    parties = [seller_party(seller_b.pk), cooperative_party(seller_b.cooperative_id)]
    untouched = [seller_party(seller_a.pk), cooperative_party(seller_a.cooperative_id)]
    before = ledger.balances(parties + untouched, order.currency)

    request = services.create_return(
        actor=buyer, order=order, lines=[AskedLine(line.pk, 1)], reason="POOR_QUALITY"
    )
    with django_capture_on_commit_callbacks(execute=True):
        decided = services.decide_return(actor=staff_b, return_request=request, accept=True)

    assert decided.status == ReturnStatus.REFUNDED
    assert decided.refunded == Decimal(90_000)
    refund = Refund.objects.get(reason=f"return:{request.pk}")
    assert refund.amount == Decimal(90_000)
    payment.refresh_from_db()
    assert payment.refunded_amount == Decimal(90_000)
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED
    posting = Posting.objects.get(order_id=order.pk, cause_kind=CauseKind.REFUND)
    assert posting.amount == Decimal(90_000)
    after = ledger.balances(parties + untouched, order.currency)
    given_back = sum((before[p].pending - after[p].pending for p in parties), Decimal(0))
    assert Decimal(0) < given_back <= Decimal(90_000)
    assert all(after[p].pending == before[p].pending for p in untouched)


def test_a_refund_settled_after_the_decision_refunds_its_return(
    seeded, buyer, seller_a, seller_b, staff_b, django_capture_on_commit_callbacks
):
    """Reconciliation settles a return's refund later (its gateway answer was lost, or
    the money was not charged yet): payments says so with payment_refunded, and the
    return becomes REFUNDED then, once."""
    with django_capture_on_commit_callbacks(execute=True):
        order, payment, request = return_waiting_for_cash(buyer, seller_a, seller_b, staff_b)
    request.refresh_from_db()
    assert request.status == ReturnStatus.ACCEPTED  # the other parcel's cash is not in yet

    refund = Refund.objects.create(
        payment=payment, amount=Decimal(90_000), status=RefundStatus.DONE, reason=reason_of(request)
    )
    for _ in range(2):
        payment_refunded.send(sender=Payment, payment=payment, refund=refund)
    request.refresh_from_db()
    assert request.status == ReturnStatus.REFUNDED
    assert request.refunded == Decimal(90_000)
    assert order.events.filter(type=EventType.RETURN_REFUNDED).count() == 1

"""Money of a held refund settled by hand is exact: a refund the gateway kept refusing,
once staff gave it back outside the platform, is a refund made by hand in payments and
the ledger (the returned lines' parts leave escrow, so the seller is never paid them);
one the payment had nothing left for moves no money again."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum

from marketplace.core.errors import DomainError
from marketplace.ledger import selectors as ledger
from marketplace.ledger import services as ledger_services
from marketplace.ledger.models import AccountKind, CauseKind, Entry, Posting
from marketplace.ledger.postings import party_of
from marketplace.ledger.split import split_order
from marketplace.notifications.models import Notification
from marketplace.payments import services as payments
from marketplace.payments.models import PaymentStatus, Refund, RefundStatus
from marketplace.payments.selectors import refundable_payment
from marketplace.payments.services import refund_payment
from marketplace.returns import refunds, services
from marketplace.returns.models import RefundProblem, ReturnRequest, ReturnStatus
from marketplace.returns.services import AskedLine
from tests.returns.test_held_refunds import accepted

ZERO = Decimal(0)


def entries_total(**filters) -> Decimal:
    return Entry.objects.filter(**filters).aggregate(total=Sum("amount"))["total"] or ZERO


def assert_balanced() -> None:
    assert entries_total() == ZERO
    for posting in Posting.objects.all():
        assert entries_total(posting=posting) == ZERO, posting


def held_refused(settings, order, buyer, staff) -> ReturnRequest:
    """A return of the order's whole line, accepted while the gateway refuses refunds
    (a revoked key), so its refund is held as REFUSED at the first refusal."""
    settings.RETURN_REFUND_MAX_TRIES = 1
    settings.STRIPE_SECRET_KEY = "sk_x"
    line = order.lines.get()
    request = services.create_return(
        actor=buyer, order=order, lines=[AskedLine(line.pk, line.quantity)], reason="DAMAGED"
    )
    services.decide_return(actor=staff, return_request=request, accept=True)
    request.refresh_from_db()
    assert request.refund_problem == RefundProblem.REFUSED and request.refund_held_at
    # Not refunded at once, so the buyer is told of the acceptance.
    told = Notification.objects.filter(recipient=f"user:{buyer.pk}", template__startswith="return.")
    assert set(told.values_list("template", flat=True)) == {"return.decided.buyer"}
    return request


def test_a_refused_refund_settled_by_hand_is_refunded_in_payments_and_the_ledger(
    settings, paid_usd_order, buyer, staff_a, operator
):
    order, payment, _remote = paid_usd_order
    request = held_refused(settings, order, buyer, staff_a)
    line = order.lines.get()
    split = split_order(order)
    parts = split.lines[line.pk]
    assert sum(parts.values(), ZERO) == request.refund_due
    producers = [p for p in parts if p[0] != "platform"]  # the commission is not a balance
    before = ledger.balances(producers, order.currency)
    clearing = entries_total(account__kind=AccountKind.CLEARING)

    done = refunds.refund_by_hand(actor=operator, return_request=request)

    assert (done.status, done.refunded) == (ReturnStatus.REFUNDED, request.refund_due)
    refund = Refund.objects.get(idempotency_key=refunds.reason_of(request), by_hand=True)
    assert (refund.status, refund.amount, refund.user) == (
        RefundStatus.DONE,
        request.refund_due,
        operator,
    )
    assert {(r.order_line_id, r.quantity) for r in refund.lines.all()} == {(line.pk, line.quantity)}
    payment.refresh_from_db()
    assert payment.refunded_amount == request.refund_due
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED  # shipping is not returned
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PARTIALLY_REFUNDED

    # The returned line's parts, exactly, leave escrow for the refunded-to-buyers account;
    # the gateway's clearing is untouched (it gave nothing back).
    posting = Posting.objects.get(cause_kind=CauseKind.REFUND, cause_id=f"refund:{refund.pk}")
    assert posting.amount == request.refund_due
    taken = {
        party_of(e.account): e.amount
        for e in posting.entries.select_related("account")
        if e.account.kind == AccountKind.ESCROW
    }
    assert taken == parts
    [sink] = [e for e in posting.entries.select_related("account") if e.amount < 0]
    assert (sink.account.kind, sink.amount) == (AccountKind.REFUNDED, -request.refund_due)
    assert entries_total(account__kind=AccountKind.CLEARING) == clearing
    after = ledger.balances(producers, order.currency)
    assert {p: before[p].pending - after[p].pending for p in producers} == {
        p: parts[p] for p in producers
    }
    assert_balanced()

    # Twice is once: no second refund, posting, message or change to the payment.
    again = refunds.refund_by_hand(actor=operator, return_request=request)
    assert again.status == ReturnStatus.REFUNDED
    assert (
        Refund.objects.filter(idempotency_key=refunds.reason_of(request))
        .exclude(status=RefundStatus.FAILED)
        .count()
        == 1
    )
    assert Posting.objects.filter(order_id=order.pk, cause_kind=CauseKind.REFUND).count() == 1
    payment.refresh_from_db()
    assert payment.refunded_amount == request.refund_due

    # Once the order completes, the producers are owed what they sold less the return.
    ledger_services.post_order_completed(order=order)
    everything = {p: total for p, total in split.by_party().items() if p[0] != "platform"}
    payable = ledger.balances(list(everything), order.currency)
    for party, total in everything.items():
        assert payable[party].available == total - parts.get(party, ZERO), party
        assert payable[party].pending == ZERO
    assert_balanced()


def test_a_held_refund_with_a_try_still_at_the_gateway_is_not_settled_by_hand(
    settings, paid_usd_order, buyer, staff_a, operator
):
    order, payment, _remote = paid_usd_order
    request = held_refused(settings, order, buyer, staff_a)
    key = refunds.reason_of(request)
    # A try that raced the hold: its refund is reserved and the gateway did not answer.
    _payment, pending, _new = payments._reserve(
        None, payment.pk, request.refund_due, key, {order.lines.get().pk: 1}, key
    )
    assert pending.status == RefundStatus.PENDING

    with pytest.raises(DomainError) as refused:
        refunds.refund_by_hand(actor=operator, return_request=request)

    assert refused.value.errors[0].code == "INVALID_STATUS"
    still = ReturnRequest.objects.get(pk=request.pk)
    assert (still.status, still.refund_due) == (ReturnStatus.ACCEPTED, request.refund_due)
    assert not Refund.objects.filter(by_hand=True).exists()
    payment.refresh_from_db()
    assert payment.refunded_amount == request.refund_due  # the pending try's, once


def test_a_refund_held_for_nothing_left_settled_by_hand_moves_no_money_again(
    delivered, buyer, staff_a, operator, saffron
):
    payment = refundable_payment(delivered)
    refund_payment(actor=operator, payment=payment, amount=payment.captured_amount)
    request = accepted(delivered, buyer, staff_a, saffron)
    assert request.refund_problem == RefundProblem.NOTHING_LEFT
    postings_before = Posting.objects.filter(order_id=delivered.pk).count()

    refunds.refund_by_hand(actor=operator, return_request=request)

    assert ReturnRequest.objects.get(pk=request.pk).status == ReturnStatus.REFUNDED
    assert not Refund.objects.filter(idempotency_key=refunds.reason_of(request)).exists()
    assert Posting.objects.filter(order_id=delivered.pk).count() == postings_before
    # The staff's earlier refund already took the whole order out of escrow, owed to
    # the buyer: nothing is left in escrow to pay the seller, and nothing is taken twice.
    escrow = entries_total(posting__order_id=delivered.pk, account__kind=AccountKind.ESCROW)
    assert escrow == ZERO
    assert (
        entries_total(posting__order_id=delivered.pk, account__kind=AccountKind.REFUNDS_OWED)
        == -payment.captured_amount
    )
    assert_balanced()

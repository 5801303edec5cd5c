"""Refunds owed to buyers (marketplace/payments/owed.py): the buyer and the staff who may
refund are told, staff record the transfer to the buyer's bank account once, with the
bank's reference, and the ledger moves the money from «Refunds owed to buyers» to
«Refunded to buyers»."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.test import Client
from django.utils import timezone

from marketplace.core.errors import DomainError
from marketplace.ledger.models import AccountKind, CauseKind, Entry, Posting
from marketplace.notifications.models import Notification
from marketplace.orders.models import OrderEvent
from marketplace.payments.models import Refund, RefundStatus
from marketplace.payments.owed import pay_out_owed_refund
from marketplace.payments.services import refund_payment
from tests.payments.conftest import callback, decide

PART = Decimal("1000000")


@pytest.fixture
def owed(client, placed, operator):
    order, payment = placed
    callback(client, decide(client, payment.action["url"], "paid"))
    payment.refresh_from_db()
    # Part of a Shaparak payment cannot be reversed: it is owed to the buyer.
    refund = refund_payment(actor=operator, payment=payment, amount=PART, reason="damaged")
    assert refund.status == RefundStatus.OWED
    return order, refund


def held_by(kind: str, order) -> Decimal:
    """What the ledger's accounts of `kind` hold for the order (credit balances positive)."""
    total = Entry.objects.filter(account__kind=kind, posting__order=order).aggregate(
        total=Sum("amount")
    )["total"]
    return -(total or Decimal(0))


def test_an_owed_refund_tells_the_buyer_and_the_staff_who_may_transfer_it(owed, buyer, operator):
    order, refund = owed
    to_buyer = Notification.objects.get(template="refund.owed.buyer")
    assert to_buyer.user_id == buyer.pk
    to_staff = Notification.objects.filter(template="refund.owed.staff")
    assert list(to_staff.values_list("email", flat=True)) == [operator.email]
    assert to_staff.get().context["refund_id"] == str(refund.pk)
    assert held_by(AccountKind.REFUNDS_OWED, order) == PART


def test_staff_record_the_transfer_once_and_the_ledger_pays_what_was_owed(owed, operator):
    order, refund = owed
    done = pay_out_owed_refund(actor=operator, refund_id=refund.pk, reference=" 1405-7788 ")
    assert done.paid_out_reference == "1405-7788" and done.paid_out_by == operator
    first = done.paid_out_at
    assert first is not None
    assert held_by(AccountKind.REFUNDS_OWED, order) == 0
    assert held_by(AccountKind.REFUNDED, order) == PART
    again = pay_out_owed_refund(actor=operator, refund_id=refund.pk, reference="other")
    assert (again.paid_out_at, again.paid_out_reference) == (first, "1405-7788")
    assert Posting.objects.filter(cause_kind=CauseKind.REFUND_PAID).count() == 1
    assert held_by(AccountKind.REFUNDED, order) == PART
    assert OrderEvent.objects.filter(order=order, type="REFUND_PAID_OUT").count() == 1
    told = Notification.objects.get(template="refund.paid_out.buyer")
    assert told.context["reference"] == "1405-7788"


def test_bad_requests_change_nothing(owed, operator, buyer, client):
    order, refund = owed
    for reference in ("", "   ", "x" * 101):
        with pytest.raises(DomainError) as caught:
            pay_out_owed_refund(actor=operator, refund_id=refund.pk, reference=reference)
        assert [(e.field, e.code) for e in caught.value.errors] == [("reference", "INVALID")]
    with pytest.raises(DomainError) as caught:
        pay_out_owed_refund(actor=buyer, refund_id=refund.pk, reference="1405")
    assert caught.value.errors[0].code == "PERMISSION_DENIED"
    with pytest.raises(DomainError) as caught:
        pay_out_owed_refund(actor=operator, refund_id=10**9, reference="1405")
    assert caught.value.errors[0].code == "NOT_FOUND"
    refund.refresh_from_db()
    assert refund.paid_out_at is None
    assert held_by(AccountKind.REFUNDS_OWED, order) == PART
    assert not Posting.objects.filter(cause_kind=CauseKind.REFUND_PAID).exists()


def test_only_an_owed_refund_is_transferred(placed, client, operator):
    _order, payment = placed
    callback(client, decide(client, payment.action["url"], "paid"))
    payment.refresh_from_db()
    reversed_ = refund_payment(actor=operator, payment=payment, amount=payment.total)
    assert reversed_.status == RefundStatus.DONE
    with pytest.raises(DomainError) as caught:
        pay_out_owed_refund(actor=operator, refund_id=reversed_.pk, reference="1405")
    assert caught.value.errors[0].code == "INVALID_STATUS"
    with pytest.raises(IntegrityError), transaction.atomic():
        Refund.objects.filter(pk=reversed_.pk).update(
            paid_out_at=timezone.now(), paid_out_reference="1405"
        )


def applying(refunds: list[Refund], reference: str) -> dict:
    """The admin action's second step: the chosen refunds and the bank's reference."""
    return {
        "action": "mark_paid_out",
        "_selected_action": [r.pk for r in refunds],
        "apply": "1",
        "reference": reference,
    }


def test_the_admin_asks_for_the_reference_then_records_it(owed, operator):
    _order, refund = owed
    admin = Client()
    admin.force_login(operator)
    url = "/admin/payments/refund/"
    listed = admin.get(url, {"owed": "waiting"})
    assert listed.status_code == 200 and list(listed.context["cl"].result_list) == [refund]
    asked = admin.post(url, {"action": "mark_paid_out", "_selected_action": [refund.pk]})
    assert asked.status_code == 200 and 'name="reference"' in asked.content.decode()
    refund.refresh_from_db()
    assert refund.paid_out_at is None
    recorded = admin.post(url, applying([refund], "1405-9911"))
    assert recorded.status_code == 302
    refund.refresh_from_db()
    assert refund.paid_out_reference == "1405-9911" and refund.paid_out_by == operator
    assert not admin.get(url, {"owed": "waiting"}).context["cl"].result_count
    # Recorded again with another reference: said so, and nothing changes.
    again = admin.post(url, applying([refund], "x"), follow=True)
    assert "1405-9911" in again.content.decode()
    refund.refresh_from_db()
    assert refund.paid_out_reference == "1405-9911"


def test_the_admin_records_one_refund_at_a_time(placed, client, operator):
    _order, payment = placed
    callback(client, decide(client, payment.action["url"], "paid"))
    payment.refresh_from_db()
    two = [refund_payment(actor=operator, payment=payment, amount=PART) for _ in range(2)]
    admin = Client()
    admin.force_login(operator)
    answer = admin.post("/admin/payments/refund/", applying(two, "1405"), follow=True)
    assert answer.status_code == 200
    assert not Refund.objects.filter(paid_out_at__isnull=False).exists()

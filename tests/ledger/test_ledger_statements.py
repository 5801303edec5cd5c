"""Statements (CSV and Persian PDF) and the daily reconciliation of gateway clearing."""

from __future__ import annotations

import csv
import io
import logging
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from marketplace.ledger import documents, selectors, services, statements, tasks
from marketplace.ledger.split import seller_party
from marketplace.payments.models import Payment, PaymentStatus
from tests.ledger.conftest import place
from tests.ledger.test_ledger_postings import collect_cash


@pytest.fixture
def month(variants, three_sellers):
    order = place([(variants[0], 2), (variants[1], 1)])
    collect_cash(order)
    services.post_order_completed(order=order)
    line = order.lines.get(seller=three_sellers[0])
    services.post_refund(order=order, amount=Decimal(2_500_001), cause_key="r", lines={line.pk: 1})
    today = timezone.localdate()
    return order, today.replace(day=1), today


def test_cooperative_statement_per_member(month, coop_a, staff_a, staff_b, three_sellers):
    _order, start, end = month
    statement = statements.cooperative_statement(
        actor=staff_a, cooperative=coop_a, start=start, end=end
    )
    (row,) = statement.rows
    assert row.label == three_sellers[0].name
    assert (row.sold, row.cooperative_fee, row.commission, row.voucher) == (
        5_000_002,
        250_000,
        500_000,
        0,
    )
    assert 0 < row.refunds < 2_500_001  # the producer's part of the refunded unit
    assert row.net == 4_250_002 - row.refunds
    assert statement.cash_held > 0
    assert (
        statements.cooperative_statement(actor=staff_b, cooperative=coop_a, start=start, end=end)
        is None
    )


def test_seller_statement_is_the_producers_own(month, three_sellers):
    order, start, end = month
    seller_a, seller_b, _independent = three_sellers
    mine = statements.seller_statement(actor=seller_a.owner, seller=seller_a, start=start, end=end)
    assert [row.label for row in mine.rows] == [str(order.number)]
    assert (
        statements.seller_statement(actor=seller_b.owner, seller=seller_a, start=start, end=end)
        is None
    )


def test_a_refund_before_completion_is_in_the_statement(online, variants, three_sellers):
    seller_a = three_sellers[0]
    order = place([(variants[0], 3)], gateway=online.id)
    services.post_payment_captured(payment=Payment.objects.get(order=order), amount=order.total)
    line = order.lines.get()
    services.post_refund(order=order, amount=Decimal(2_500_001), cause_key="r", lines={line.pk: 1})
    services.post_order_completed(order=order)
    today = timezone.localdate()
    mine = statements.seller_statement(
        actor=seller_a.owner, seller=seller_a, start=today.replace(day=1), end=today
    )
    (row,) = mine.rows
    assert row.sold == 7_500_003 and row.refunds > 0
    assert row.net == selectors.balance_of(seller_party(seller_a.pk), "IRR").available


def test_statement_csv_and_pdf(month, coop_a, staff_a):
    _order, start, end = month
    statement = statements.cooperative_statement(
        actor=staff_a, cooperative=coop_a, start=start, end=end
    )
    rows = list(csv.reader(io.StringIO(documents.statement_csv(statement))))
    assert rows[0][0] == coop_a.name
    assert rows[2][:4] == [statement.rows[0].label, "5000002", "250000", "500000"]
    assert rows[-2][1:4] == ["5000002", "250000", "500000"]  # the totals
    pdf = documents.statement_pdf(statement)
    assert pdf.startswith(b"%PDF")
    html = documents.statement_html(statement)
    assert 'dir="rtl"' in html and ">5000002<" in html
    assert documents.font_path().is_file()
    assert documents.font_path().resolve().as_uri() in html


def test_reconciliation_finds_unposted_captures(online, variants):
    paid = place([(variants[0], 1)], gateway=online.id)
    unposted = place([(variants[1], 1)], gateway=online.id)
    for order in (paid, unposted):
        Payment.objects.filter(order=order).update(
            status=PaymentStatus.CHARGED, captured_amount=order.total, captured_at=timezone.now()
        )
    services.post_payment_captured(payment=Payment.objects.get(order=paid), amount=paid.total)
    (report,) = statements.reconcile(timezone.localdate())
    assert report.gateway == online.id
    assert (report.captured, report.posted) == (paid.total + unposted.total, paid.total)
    assert report.difference == unposted.total
    assert report.unposted_payments == (Payment.objects.get(order=unposted).pk,)
    assert report.unknown_payments == ()


def test_the_daily_reconciliation_logs_what_does_not_match(online, variants, caplog):
    unposted = place([(variants[0], 1)], gateway=online.id)
    yesterday = timezone.now() - timedelta(days=1)
    Payment.objects.filter(order=unposted).update(
        status=PaymentStatus.CHARGED, captured_amount=unposted.total, captured_at=yesterday
    )
    with caplog.at_level(logging.ERROR, logger="marketplace.ledger.tasks"):
        assert tasks.reconcile_yesterday() == 1
    assert str(Payment.objects.get(order=unposted).pk) in caplog.text
    out = io.StringIO()
    call_command("reconcile_payments", stdout=out)
    assert "MISMATCH" in out.getvalue() and online.id in out.getvalue()


def test_the_reconciliation_command_refuses_a_bad_day():
    with pytest.raises(CommandError):
        call_command("reconcile_payments", day="1405-13-40")

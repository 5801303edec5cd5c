"""The ledger's postings on orders placed through the real checkout: cash on delivery and
an online capture, completion, refunds before and after completion, vouchers, and the
database's refusal of unbalanced or edited postings."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, InternalError, connection, transaction
from django.db.models import Sum
from django.db.utils import ProgrammingError

from marketplace.core.errors import DomainError
from marketplace.ledger import selectors, services
from marketplace.ledger.models import (
    Account,
    AccountKind,
    CategoryCommission,
    CauseKind,
    Entry,
    Posting,
)
from marketplace.ledger.split import cooperative_party, seller_party
from marketplace.payments.models import Payment
from tests.builders.catalog import category, make_variant
from tests.builders.discounts import make_voucher
from tests.ledger.conftest import place


def all_accounts_sum() -> Decimal:
    return Entry.objects.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def collect_cash(order) -> Decimal:
    total = Decimal(0)
    for shipment in order.shipments.all():
        due = selectors.cash_due(shipment)
        services.post_cash_collected(shipment=shipment, amount=due)
        total += due
    return total


def commission(gross: int, rate: str = "0.10") -> Decimal:
    return (Decimal(gross) * Decimal(rate)).quantize(Decimal(1))


def test_cash_on_delivery_order_is_released_to_each_party(variants, three_sellers, coop_a, coop_b):
    seller_a, seller_b, independent = three_sellers
    order = place([(variants[0], 2), (variants[1], 1), (variants[2], 1)])
    assert collect_cash(order) == order.total
    pending = selectors.balance_of(seller_party(seller_a.pk), "IRR").pending
    assert pending == 5_000_002 - 250_000 - 500_000  # 5% fee and 10% commission, exact

    services.post_order_completed(order=order)

    a = selectors.balance_of(seller_party(seller_a.pk), "IRR")
    b = selectors.balance_of(seller_party(seller_b.pk), "IRR")
    solo = selectors.balance_of(seller_party(independent.pk), "IRR")
    assert (a.pending, a.available) == (0, Decimal(5_000_002) - 250_000 - 500_000)
    assert b.available == 3_000_000 - 300_000 - 300_000
    shipping = {s.cooperative_id or s.seller_id: s.shipping_price for s in order.shipments.all()}
    # The independent seller holds the cash of its own shipment: what the platform owes
    # it is netted against that cash.
    solo_due = Decimal(4_000_003) - 400_000 + shipping[independent.pk]
    assert solo.available == 0
    assert solo.cash_held == Decimal(4_000_003) + shipping[independent.pk] - solo_due
    coop = selectors.balance_of(cooperative_party(coop_a.pk), "IRR")
    assert coop.available == 0  # its fee and shipping are kept from the cash it holds
    assert coop.cash_held == Decimal(5_000_002) - 250_000
    platform = Account.objects.get(kind=AccountKind.COMMISSION, currency="IRR")
    assert -Entry.objects.filter(account=platform).aggregate(t=Sum("amount"))["t"] == (
        500_000 + 300_000 + 400_000
    )
    assert all_accounts_sum() == 0


def test_every_posting_is_once_per_cause(variants):
    order = place([(variants[0], 1)])
    shipment = order.shipments.get()
    due = selectors.cash_due(shipment)
    services.post_cash_collected(shipment=shipment, amount=due)
    assert services.post_cash_collected(shipment=shipment, amount=due) is None
    services.post_order_completed(order=order)
    assert services.post_order_completed(order=order) is None
    assert Posting.objects.filter(order=order).count() == 2


def test_online_capture_refund_before_and_after_completion(online, variants, three_sellers):
    seller_a, seller_b, _independent = three_sellers
    order = place([(variants[0], 2), (variants[1], 1)], gateway=online.id)
    payment = Payment.objects.get(order=order)
    services.post_payment_captured(payment=payment, amount=order.total)
    clearing = Account.objects.get(kind=AccountKind.CLEARING, gateway=online.id)
    assert Entry.objects.get(account=clearing).amount == order.total

    line_b = order.lines.get(seller=seller_b)
    services.post_refund(
        order=order, amount=Decimal(3_000_000), cause_key="r1", lines={line_b.pk: 1}
    )
    assert selectors.balance_of(seller_party(seller_b.pk), "IRR").pending == 0
    services.post_order_completed(order=order)
    a = selectors.balance_of(seller_party(seller_a.pk), "IRR")
    assert a.available == Decimal(5_000_002) - 250_000 - 500_000

    line_a = order.lines.get(seller=seller_a)
    services.post_refund(
        order=order, amount=Decimal(2_500_001), cause_key="r2", lines={line_a.pk: 1}
    )
    after = selectors.balance_of(seller_party(seller_a.pk), "IRR")
    # One of two units back: the seller, the cooperative and the platform give back
    # exactly their parts of it.
    assert a.available - after.available in (Decimal(2_125_000), Decimal(2_125_001))
    assert Entry.objects.filter(account=clearing).aggregate(t=Sum("amount"))["t"] == (
        order.total - 3_000_000 - 2_500_001
    )
    assert all_accounts_sum() == 0


def test_refund_larger_than_what_remains_changes_nothing(online, variants):
    order = place([(variants[0], 1)], gateway=online.id)
    payment = Payment.objects.get(order=order)
    services.post_payment_captured(payment=payment, amount=order.total)
    services.post_refund(order=order, amount=Decimal(1_000_000), cause_key="part")
    before = Entry.objects.count()
    with pytest.raises(DomainError) as error:
        services.post_refund(order=order, amount=order.total, cause_key="too-much")
    assert [(e.field, e.code) for e in error.value.errors] == [("amount", "INVALID")]
    for bad in (Decimal(0), Decimal(-5), Decimal("0.5")):
        with pytest.raises(DomainError):
            services.post_refund(order=order, amount=bad, cause_key=f"bad{bad}")
    assert Entry.objects.count() == before


def test_seller_voucher_is_borne_by_the_seller_platform_voucher_by_the_platform(
    variants, three_sellers, ir
):
    seller_a, seller_b, _independent = three_sellers
    voucher = make_voucher(seller=seller_a, kind="FIXED", value=Decimal(100_000))
    order = place([(variants[0], 1), (variants[1], 1)], voucher=voucher)
    assert order.discount == 100_000
    collect_cash(order)
    services.post_order_completed(order=order)
    a = selectors.balance_of(seller_party(seller_a.pk), "IRR")
    b = selectors.balance_of(seller_party(seller_b.pk), "IRR")
    assert a.available == Decimal(2_125_001) - 100_000
    platform = Account.objects.get(kind=AccountKind.COMMISSION, currency="IRR")
    earned = -Entry.objects.filter(account=platform).aggregate(t=Sum("amount"))["t"]
    assert earned == commission(2_500_001) + commission(3_000_000)
    assert b.available == 3_000_000 - 300_000 - 300_000

    other = place([(variants[1], 2)], voucher=make_voucher(kind="FIXED", value=Decimal(50_000)))
    collect_cash(other)
    services.post_order_completed(order=other)
    earned_after = -Entry.objects.filter(account=platform).aggregate(t=Sum("amount"))["t"]
    assert earned_after - earned == commission(6_000_000) - 50_000


def test_category_commission_overrides_the_default(variants, three_sellers):
    CategoryCommission.objects.create(category=category(), rate=Decimal("0.03"))
    order = place([(variants[1], 1)])
    collect_cash(order)
    services.post_order_completed(order=order)
    b = selectors.balance_of(seller_party(three_sellers[1].pk), "IRR")
    assert b.available == 3_000_000 - 300_000 - 90_000


def test_money_in_refuses_more_than_the_total(online, variants):
    order = place([(variants[0], 1)], gateway=online.id)
    payment = Payment.objects.get(order=order)
    with pytest.raises(DomainError):
        services.post_payment_captured(payment=payment, amount=order.total + 1)
    assert not Posting.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_database_refuses_unbalanced_and_edited_postings(ir):
    account = Account.objects.create(kind=AccountKind.CLEARING, currency="IRR", gateway="x")
    other = Account.objects.create(kind=AccountKind.REFUNDS_OWED, currency="IRR")
    with pytest.raises(IntegrityError), transaction.atomic():
        posting = Posting.objects.create(
            cause_kind=CauseKind.REVERSAL, cause_id="1", amount=1, currency="IRR"
        )
        Entry.objects.create(posting=posting, account=account, amount=5, currency="IRR")
        Entry.objects.create(posting=posting, account=other, amount=-4, currency="IRR")
    assert not Entry.objects.exists()
    with transaction.atomic():
        posting = Posting.objects.create(
            cause_kind=CauseKind.REVERSAL, cause_id="2", amount=5, currency="IRR"
        )
        Entry.objects.create(posting=posting, account=account, amount=5, currency="IRR")
        Entry.objects.create(posting=posting, account=other, amount=-5, currency="IRR")
    for statement in (
        "UPDATE ledger_entry SET amount = amount + 1",
        "DELETE FROM ledger_entry",
        "UPDATE ledger_posting SET amount = 0",
    ):
        with (
            pytest.raises((InternalError, ProgrammingError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(posting=posting, account=account, amount=1, currency="USD")
    assert Entry.objects.aggregate(t=Sum("amount"))["t"] == 0


def test_reversal_undoes_a_posting(variants, three_sellers):
    order = place([(variants[0], 1)])
    collect_cash(order)
    posting = Posting.objects.get(cause_kind=CauseKind.CASH)
    services.reverse_posting(posting=posting, reason="entered by mistake")
    party = seller_party(three_sellers[0].pk)
    assert selectors.balance_of(party, "IRR").pending == 0
    assert not Entry.objects.filter(account__kind=AccountKind.CASH_HELD).aggregate(t=Sum("amount"))[
        "t"
    ]
    assert all_accounts_sum() == 0


def test_completion_queries_do_not_grow_with_lines(variants, three_sellers):
    from django.test.utils import CaptureQueriesContext

    more = [make_variant(three_sellers[i % 3], quantity=20) for i in range(7)]
    warm_up = place([(v, 1) for v in variants])  # creates the parties' accounts
    collect_cash(warm_up)
    services.post_order_completed(order=warm_up)
    small = place([(variants[0], 1), (variants[1], 1), (variants[2], 1)])
    large = place([(v, 1) for v in [*variants, *more]])
    counts = []
    for order in (small, large):
        collect_cash(order)
        with CaptureQueriesContext(connection) as queries:
            services.post_order_completed(order=order)
        counts.append(len(queries))
    assert counts[0] == counts[1]

"""Races on real PostgreSQL, each thread on its own connection and committing (so the
deferred balance check runs): two completions of one order, and a payout batch against
a refund. One effect each."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from marketplace.ledger import payouts, selectors, services
from marketplace.ledger.models import CauseKind, Entry, Payout, Posting
from marketplace.ledger.split import seller_party
from marketplace.payments.models import Payment
from tests.ledger.conftest import place
from tests.ledger.test_ledger_postings import collect_cash
from tests.orders.test_concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)
SHEBA = "IR050170000000123456789012"


def test_two_completions_of_one_order_post_once(variants, three_sellers):
    order = place([(variants[0], 2), (variants[1], 1)])
    collect_cash(order)
    results = race(2, lambda i: services.post_order_completed(order=order) is not None)
    assert sorted(results) == [("ok", False), ("ok", True)]
    assert Posting.objects.filter(cause_kind=CauseKind.COMPLETION).count() == 1
    seller_a = three_sellers[0]
    available = selectors.balance_of(seller_party(seller_a.pk), "IRR").available
    assert available == Decimal(5_000_002) - 250_000 - 500_000
    assert Entry.objects.aggregate(t=Sum("amount"))["t"] == 0


def test_payout_batch_racing_a_refund_has_one_effect_each(online, variants, three_sellers):
    seller_a = three_sellers[0]
    seller_a.payout_iban = SHEBA
    seller_a.save(update_fields=["payout_iban"])
    order = place([(variants[0], 2)], gateway=online.id)
    services.post_payment_captured(payment=Payment.objects.get(order=order), amount=order.total)
    services.post_order_completed(order=order)
    party = seller_party(seller_a.pk)
    released = selectors.balance_of(party, "IRR").available
    line = order.lines.get()

    def work(i: int):
        if i == 0:
            return payouts.run_payouts(currency="IRR", now=timezone.now() + timedelta(days=8)).pk
        return services.post_refund(
            order=order, amount=Decimal(2_500_001), cause_key="race", lines={line.pk: 1}
        ).pk

    results = race(2, work)
    assert [kind for kind, _value in results] == ["ok", "ok"]
    payout = Payout.objects.get()
    refund = Posting.objects.get(cause_kind=CauseKind.REFUND)
    seller_share = -Entry.objects.filter(
        posting=refund, account__seller=seller_a, account__kind__in=["SELLER", "RECEIVABLE"]
    ).aggregate(t=Sum("amount"))["t"]
    balance = selectors.balance_of(party, "IRR")
    # Whichever went first, the seller is paid what was released less its part of the
    # refund: now, or by the next batch (from the receivable it owes).
    assert balance.available >= 0
    assert payout.amount + balance.available - balance.receivable == released + seller_share
    assert Entry.objects.aggregate(t=Sum("amount"))["t"] == 0
